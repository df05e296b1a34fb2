namespace Hindsight.Tests.Support;

/// <summary>Paths inside the repository (tests run from bin/, so walk up to the folder holding Hindsight.slnx).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Fixture(string name) => Path("tests", "fixtures", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Hindsight.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Hindsight.slnx) not found above " + AppContext.BaseDirectory);
    }
}
