using System.Diagnostics;
using Hindsight.Forecasting.Classical.Ets;

namespace Hindsight.Bench;

/// <summary>Wall time of R-style automatic ETS (every allowed model) on 200-point monthly series: best of 5 and median.</summary>
public static class EtsTiming
{
    /// <summary>A 200-point monthly series: level 100, trend, multiplicative season and seeded noise (positive, so all 15 models run).</summary>
    public static double[] Monthly(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 200).Select(t => (100 + 0.3 * t) * (1 + 0.1 * Math.Sin(2 * Math.PI * t / 12)) + 3 * (rng.NextDouble() - 0.5)).ToArray();
    }

    public static void Print()
    {
        for (int seed = 1; seed <= 3; seed++)
        {
            var y = Monthly(seed);
            Ets.Fit(y, 12); // warm-up
            var times = new List<double>();
            var cpu = new List<double>();
            string model = "";
            var process = Process.GetCurrentProcess();
            for (int i = 0; i < 5; i++)
            {
                process.Refresh();
                var c0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                model = Ets.Fit(y, 12).Model.Spec.ToString();
                times.Add(sw.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
            }
            times.Sort();
            cpu.Sort();
            Console.WriteLine($"ets auto, 200 monthly values (seed {seed}): wall best {times[0]:F1} ms, median {times[2]:F1} ms; process CPU median {cpu[2]:F1} ms -> {model}");
        }
    }
}
