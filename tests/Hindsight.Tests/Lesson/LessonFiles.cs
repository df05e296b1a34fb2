using System.Globalization;
using System.Text;

namespace Hindsight.Tests.Lesson;

/// <summary>A temporary folder for one test, deleted on dispose, with helpers that write small wide CSV files.</summary>
public sealed class LessonFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("hindsight-lesson-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>A pandas-style wide file: header ",p0,p1,...", then "i,v..." rows of smooth positive series.</summary>
    public string WriteSeries(string name, int rows, int periods)
    {
        var sb = new StringBuilder();
        for (int c = 0; c < periods; c++) sb.Append(CultureInfo.InvariantCulture, $",2001-{c:D2}");
        sb.Append('\n');
        for (int r = 0; r < rows; r++)
        {
            sb.Append(r.ToString(CultureInfo.InvariantCulture));
            for (int c = 0; c < periods; c++)
                sb.Append(CultureInfo.InvariantCulture, $",{100 + 10 * r + 20 * Math.Sin(0.7 * c + r):F3}");
            sb.Append('\n');
        }
        return WriteText(name, sb.ToString());
    }

    public string WriteText(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
