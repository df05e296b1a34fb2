using System.Diagnostics;
using System.Globalization;
using Hindsight.Forecasting.Classical.Ets;

namespace Hindsight.Bench;

/// <summary>
/// CPU and wall time of R-style automatic ETS (every allowed model): a synthetic 200-point monthly series, and (when
/// bench/forecast/series.csv is found) the quarterly macro_realgdp and the yearly nelplo_ip; then the time of each
/// candidate model alone and nanoseconds per recursion step per model form.
/// </summary>
public static class EtsTiming
{
    /// <summary>A 200-point monthly series: level 100, trend, multiplicative season and seeded noise (positive, so all 15 models run).</summary>
    public static double[] Monthly(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 200).Select(t => (100 + 0.3 * t) * (1 + 0.1 * Math.Sin(2 * Math.PI * t / 12)) + 3 * (rng.NextDouble() - 0.5)).ToArray();
    }

    private static double[]? Load(string id)
    {
        string? dir = Directory.GetCurrentDirectory();
        while (dir is not null && !File.Exists(Path.Combine(dir, "bench/forecast/series.csv"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) return null;
        var values = File.ReadLines(Path.Combine(dir, "bench/forecast/series.csv")).Skip(1).Select(l => l.Split(','))
            .Where(p => p[0] == id).Select(p => double.Parse(p[2], CultureInfo.InvariantCulture)).ToArray();
        return values.Length > 0 ? values : null;
    }

    private static double ThreadCpuMs() => Process.GetCurrentProcess().Threads.Cast<ProcessThread>().Sum(t => t.TotalProcessorTime.TotalMilliseconds);

    private static (double WallMs, double CpuMs, string Model) Time(Func<string> fit, int runs)
    {
        fit(); // warm-up
        var times = new List<double>();
        var cpu = new List<double>();
        string model = "";
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            model = fit();
            times.Add(sw.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
        }
        times.Sort();
        cpu.Sort();
        return (times[runs / 2], cpu[runs / 2], model);
    }

    /// <summary>Prints the timings.</summary>
    public static void Print()
    {
        if (Environment.GetEnvironmentVariable("ETS_MICRO") is not null) { Micro(); return; }
        var cases = new List<(string Name, double[] Y, int M)>();
        for (int seed = 1; seed <= 3; seed++) cases.Add(($"200 monthly (seed {seed})", Monthly(seed), 12));
        if (Load("macro_realgdp") is { } q) cases.Add(($"{q.Length} quarterly (macro_realgdp)", q, 4));
        if (Load("nelplo_ip") is { } a) cases.Add(($"{a.Length} yearly (nelplo_ip)", a, 1));
        foreach (var (name, y, m) in cases)
        {
            var (wall, cpu, model) = Time(() => Ets.Fit(y, m).Model.Spec.ToString(), 7);
            Console.WriteLine($"ets auto, {name}: median wall {wall:F1} ms, median process CPU {cpu:F1} ms -> {model}");
        }
        // each candidate alone (single-threaded) on the first monthly series, and ns per recursion step of its fitted model
        var ym = cases[0].Y;
        double total = 0;
        foreach (var code in new[] { "ANN", "ANA", "AAN", "AAdN", "AAA", "AAdA", "MNN", "MNA", "MNM", "MAN", "MAdN", "MAA", "MAdA", "MAM", "MAdM" })
        {
            var options = new EtsOptions { Model = code.Replace("d", "", StringComparison.Ordinal), Damped = code.Contains('d', StringComparison.Ordinal) };
            var fitted = Ets.Fit(ym, 12, options).Model;
            var (_, cpu, _) = Time(() => Ets.Fit(ym, 12, options).Model.Spec.ToString(), 5);
            total += cpu;
            const int reps = 2000;
            fitted.Filter(ym);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) fitted.Filter(ym);
            double ns = sw.Elapsed.TotalMilliseconds * 1e6 / reps / ym.Length;
            Console.WriteLine($"  {code,-5} fit CPU {cpu,6:F1} ms; recursion {ns,5:F1} ns/step (~{cpu * 1e6 / (ns * ym.Length),6:F0} evaluations if all time were recursion)");
        }
        Console.WriteLine($"  sum of candidate CPU: {total:F1} ms");
    }

    private static void Micro()
    {
        var asm = typeof(Ets).Assembly;
        var recT = asm.GetType("Hindsight.Forecasting.Classical.Ets.EtsRecursion")!;
        var batT = asm.GetType("Hindsight.Forecasting.Classical.Ets.EtsRecursionBatch")!;
        var y = Monthly(1);
        var spec = new EtsSpec(EtsForm.Multiplicative, EtsForm.Additive, EtsForm.Multiplicative, false);
        var fit = Ets.Fit(y, 12, new EtsOptions { Model = "MAM", Damped = false }).Model;
        var state = fit.InitialStates.ToArray();
        var rec = Activator.CreateInstance(recT, y.Length, 12, 1)!;
        var bat = Activator.CreateInstance(batT, 12)!;
        var run = recT.GetMethod("Run")!;
        var brun = batT.GetMethod("Run")!;
        var states4 = Enumerable.Range(0, 4).SelectMany(_ => state).ToArray();
        double a = fit.Alpha, b = fit.Beta ?? 0, g = fit.Gamma ?? 0;
        var lik = new double[4];
        var va = System.Runtime.Intrinsics.Vector256.Create(a);
        var vb = System.Runtime.Intrinsics.Vector256.Create(b);
        var vg = System.Runtime.Intrinsics.Vector256.Create(g);
        var vp = System.Runtime.Intrinsics.Vector256.Create(1.0);
        var sdel = run.CreateDelegate<ScalarRun>(rec);
        var bdel = brun.CreateDelegate<BatchRun>(bat);
        for (int round = 0; round < 1; round++)
        {
            var sw = Stopwatch.StartNew();
            double sink = 0;
            for (int i = 0; i < 20000; i++) sink += sdel(y, state, spec, a, b, g, 1.0, false, default);
            double ts = sw.Elapsed.TotalMilliseconds * 1e6 / 20000 / y.Length;
            sw.Restart();
            for (int i = 0; i < 20000; i++) bdel(y, states4, state.Length, spec, va, vb, vg, vp, lik);
            double tb = sw.Elapsed.TotalMilliseconds * 1e6 / 20000 / y.Length;
            var best = new Dictionary<string, double>();
            for (int rep = 0; rep < 5; rep++)
                foreach (var code in new[] { "MAM", "AAA", "AAdA", "AAN", "AAdN" })
                    foreach (var nob in new[] { "1", null })
                    {
                        typeof(Ets).GetProperty("ScalarOnly", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.SetValue(null, nob is not null);
                        var o = new EtsOptions { Model = code.Replace("d", ""), Damped = code.Contains('d') };
                        var t0 = Process.GetCurrentProcess().TotalProcessorTime;
                        for (int i = 0; i < 10; i++) Ets.Fit(y, 12, o);
                        double ms = (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / 10;
                        string key = $"{code} {(nob is null ? "batch" : "scalar")}";
                        best[key] = Math.Min(best.GetValueOrDefault(key, double.MaxValue), ms);
                    }
            Console.WriteLine(string.Join("  ", best.Select(kv => $"{kv.Key} {kv.Value:F1}")));
            Console.WriteLine($"MAM scalar {ts:F1} ns/step, batch of 4 {tb:F1} ns/step; lik {sdel(y, state, spec, a, b, g, 1.0, false, default):R} vs {lik[0]:R} {lik[3]:R}; {sink:E1}");
        }
    }

    private delegate double ScalarRun(ReadOnlySpan<double> y, ReadOnlySpan<double> init, EtsSpec spec, double alpha, double beta, double gamma, double phi, bool amse, Span<double> final);
    private delegate void BatchRun(ReadOnlySpan<double> y, ReadOnlySpan<double> states, int stateLength, EtsSpec spec, System.Runtime.Intrinsics.Vector256<double> alpha,
        System.Runtime.Intrinsics.Vector256<double> beta, System.Runtime.Intrinsics.Vector256<double> gamma, System.Runtime.Intrinsics.Vector256<double> phi, Span<double> lik);
}
