using System.Diagnostics;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Bench;

/// <summary>
/// Issue 10's speed goal (each classical model fits a 200-point monthly series in under 50 ms): fit + 18-step forecast of
/// ets, theta, otm, dotm and arima (auto.arima) through the forecaster API on 200-month windows of the benchmark's monthly
/// series (bench/forecast/series.csv: the first 200 months of elnino_nino12, nino3, tcm_tcm1y and eurostat_elec_equip).
/// Prints best-of-N and median wall and process CPU time per fit after two warm-up fits, and the time of the first fit (for
/// the first series, a cold start's JIT included) (CPU time is what other jobs on a
/// loaded machine inflate least). Run:
/// <c>dotnet bench/Hindsight.Bench/bin/Release/net10.0/Hindsight.Bench.dll speed [runs] [models] [id-substring]</c>.
/// </summary>
public static class ClassicalSpeed
{
    /// <summary>Prints the timings.</summary>
    public static void Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
        var models = args.Length > 2 ? args[2].Split(',') : ["ets", "theta", "otm", "dotm", "arima"];
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Hindsight.slnx"))) root = Path.GetDirectoryName(root)!;
        var data = SeriesCsv.Load(Path.Combine(root, "bench", "forecast", "series.csv"));
        var settings = new ForecastSettings { SeasonalPeriod = 12, Horizon = 18 };
        var process = Process.GetCurrentProcess();
        foreach (var id in new[] { "elnino_nino12", "nino3", "tcm_tcm1y", "eurostat_elec_equip" })
        {
            if (args.Length > 3 && !id.Contains(args[3], StringComparison.Ordinal)) continue;
            var series = data[id].Values[..200];
            foreach (var name in models)
            {
                float Fit()
                {
                    var model = settings.Create(name);
                    model.Fit([series]);
                    return model.Predict(18)[0][^1];
                }
                // the first fit of the process is what a CLI call feels (cold JIT); then one more warm-up fit
                process.Refresh();
                var first0 = process.TotalProcessorTime;
                var firstWatch = Stopwatch.StartNew();
                Fit();
                double firstWall = firstWatch.Elapsed.TotalMilliseconds;
                process.Refresh();
                double firstCpu = (process.TotalProcessorTime - first0).TotalMilliseconds;
                Fit();
                var wall = new List<double>();
                var cpu = new List<double>();
                for (int i = 0; i < runs; i++)
                {
                    process.Refresh();
                    var c0 = process.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    Fit();
                    wall.Add(sw.Elapsed.TotalMilliseconds);
                    process.Refresh();
                    cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
                }
                wall.Sort();
                cpu.Sort();
                Console.WriteLine($"{id}[..200] {name,-6} wall best {wall[0],7:F1} median {wall[runs / 2],7:F1} ms | CPU best {cpu[0],7:F1} median {cpu[runs / 2],7:F1} ms | first fit wall {firstWall,7:F1} CPU {firstCpu,7:F1} ms");
            }
        }
    }
}
