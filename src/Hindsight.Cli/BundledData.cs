namespace Hindsight.Cli;

/// <summary>Locates the data files shipped beside the executable (copied from the repository's data/ folder).</summary>
internal static class BundledData
{
    public static string Path(string fileName)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "data", fileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: bundled data file not found (was the tool built from the repository?).", path);
        return path;
    }
}
