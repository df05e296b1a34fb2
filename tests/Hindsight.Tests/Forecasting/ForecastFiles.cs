using System.Globalization;
using System.Text;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Forecasting;

/// <summary>A temporary folder for one test (deleted on dispose) and small synthetic series.</summary>
public sealed class ForecastFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("hindsight-forecast-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"));
        return path;
    }

    /// <summary>Seasonal series with a trend and a little seeded noise: 10 + k + 3 sin(2 pi t / 12 + k) + 0.02 t + noise.</summary>
    public static float[][] Seasonal(int count, int length, ulong seed = 1)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(k => Enumerable.Range(0, length)
            .Select(t => (float)(10 + k + 3 * Math.Sin(2 * Math.PI * t / 12 + k) + 0.02 * t + 0.1 * rng.NextGaussian())).ToArray()).ToArray();
    }

    /// <summary>The series as a long CSV <c>series,date,value</c> with monthly dates from 2000-01.</summary>
    public string WriteLong(string name, float[][] series)
    {
        var sb = new StringBuilder("series,date,value\n");
        for (int s = 0; s < series.Length; s++)
            for (int t = 0; t < series[s].Length; t++)
                sb.Append(CultureInfo.InvariantCulture, $"s{s},{new DateTime(2000, 1, 1).AddMonths(t):yyyy-MM-dd},{series[s][t]:R}\n");
        return Write(name, sb.ToString());
    }

    public static string Co2 => Repo.Path("data", "co2-concentration.csv");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
