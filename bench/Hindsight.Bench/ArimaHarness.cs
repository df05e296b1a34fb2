using System.Diagnostics;
using System.Text.Json;
using Hindsight.Forecasting.Classical.Arima;

namespace Hindsight.Bench;

/// <summary>
/// auto.arima on every series of tests/fixtures/forecast/arima_r.json (the benchmark's training parts): wall time per series
/// and per class (with the process's CPU time, which a loaded machine does not inflate), and the match against R's choice
/// and forecast. Run:
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- arima [maxRSeconds] [id-substring]</c>.
/// </summary>
public static class ArimaHarness
{
    public static void Run(string[] args)
    {
        double maxR = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : double.PositiveInfinity;
        string? filter = args.Length > 2 ? args[2] : null;
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Hindsight.slnx"))) root = Path.GetDirectoryName(root)!;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests", "fixtures", "forecast", "arima_r.json")));
        var perClass = new Dictionary<int, double>();
        int total = 0, same = 0;
        double worst = 0, all = 0, allCpu = 0;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        // warm up the JIT on a small series
        AutoArima.Fit(Enumerable.Range(0, 60).Select(i => Math.Sin(i * 0.7) + 0.01 * i).ToArray(), 4);
        foreach (var s in doc.RootElement.GetProperty("series").EnumerateArray())
        {
            string id = s.GetProperty("id").GetString()!;
            if (filter is not null && !id.Contains(filter, StringComparison.Ordinal)) continue;
            if (s.GetProperty("auto_seconds").GetDouble() > maxR) continue;
            var y = s.GetProperty("train").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            int m = s.GetProperty("season").GetInt32(), h = s.GetProperty("horizon").GetInt32();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            ArimaModel model;
            try { model = AutoArima.Fit(y, m); }
            catch (ArimaFitException e) { Console.WriteLine($"{id}: {e.Message}"); continue; }
            double sec = sw.Elapsed.TotalSeconds;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            all += sec;
            allCpu += cpu;
            perClass[m] = perClass.GetValueOrDefault(m) + sec;
            var auto = s.GetProperty("auto");
            string rm = auto.TryGetProperty("method", out var me) ? me.GetString()! : "error";
            total++;
            string mark = "DIFF";
            if (model.ToString().Replace(" ", "") == rm.Replace(" ", "") || Normalize(model.ToString()) == Normalize(rm))
            {
                same++;
                var rf = auto.GetProperty("forecast").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var fc = model.Forecast(h).Mean;
                double scale = Math.Max(y.Max() - y.Min(), 1e-12), d = 0;
                for (int i = 0; i < rf.Length; i++) d = Math.Max(d, Math.Abs(rf[i] - fc[i]) / scale);
                worst = Math.Max(worst, d);
                mark = $"fc {d:E1}";
            }
            Console.WriteLine($"{id,-45} n={y.Length,4} m={m,2} {sec * 1000,10:F1} ms (cpu {cpu * 1000,8:F1})  {model} | R {rm} [{mark}]");
        }
        foreach (var kv in perClass.OrderBy(k => k.Key)) Console.WriteLine($"period {kv.Key}: {kv.Value:F2} s");
        Console.WriteLine($"total {all:F2} s (cpu {allCpu:F2} s); same model as R on {same}/{total}; largest forecast difference {worst:E2} of the scale");
    }

    private static string Normalize(string s) => s.Replace(" ", "").Replace("[1]", "");
}
