using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hindsight.Cli.Bench;
using Hindsight.Cli.Json;
using Hindsight.Forecasting;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Cli.Commands;

/// <summary>
/// <c>hindsight bench [W1|W2|W3|W4|W5|nbeats|all] [--steps N] [--threads T] [--json | --compare [--rounds R] [--openblas DIR]]</c>:
/// times full training steps of the benchmark workloads (the same ones <c>tools/reference/torch_workloads.py</c> and
/// <c>nbeats_step.py</c> run in PyTorch); <c>--compare</c> runs those scripts too, in alternating rounds (<see cref="BenchComparison"/>).
/// <c>hindsight bench forecast-epoch [--kind rnn|gru|lstm|all] [--series S] [--length N] ...</c> times one training epoch
/// of the recurrent forecasters instead (<see cref="ForecastEpochBench"/>, <see cref="ForecastEpochComparison"/>).
/// </summary>
internal static class BenchCommand
{
    /// <summary>One workload's measurement.</summary>
    internal sealed record Result(string Workload, string Description, int Steps, double UsPerStep, double? GflopPerSecond, double BytesPerStep, float FinalLoss);

    public static Command Create()
    {
        var which = new Argument<string>("workload") { Description = $"{string.Join(", ", Workload.Names)}, all, or {ForecastEpoch} (one training epoch of rnn, gru, lstm forecasters)", DefaultValueFactory = _ => "all" };
        // From BenchOptions (declared there once); a bad value is a parse error naming the flag.
        var steps = SettingOptions.For<BenchOptions, int?>(nameof(BenchOptions.Steps));
        var threads = SettingOptions.For<BenchOptions, int?>(nameof(BenchOptions.Threads));
        var compare = SettingOptions.For<BenchOptions, bool>(nameof(BenchOptions.Compare));
        var rounds = SettingOptions.For<BenchOptions, int>(nameof(BenchOptions.Rounds));
        var openBlas = SettingOptions.For<BenchOptions, string>(nameof(BenchOptions.OpenBlas), "--openblas");
        var kind = SettingOptions.For<BenchOptions, ForecastEpochKind>(nameof(BenchOptions.Kind));
        var series = SettingOptions.For<BenchOptions, int>(nameof(BenchOptions.Series));
        var length = SettingOptions.For<BenchOptions, int>(nameof(BenchOptions.Length));
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object (not with --compare)" };
        var cmd = new Command("bench", "Time one training step (forward, loss, backward, optimizer step) of the benchmark workloads: microseconds per step, GFLOP/s of the matrix products where meaningful, bytes allocated per step.")
        {
            which, steps, threads, json, compare, rounds, openBlas, kind, series, length,
        };
        cmd.SetAction(r =>
        {
            string name = r.GetValue(which) ?? "all";
            bool all = name.Equals("all", StringComparison.OrdinalIgnoreCase);
            bool epoch = name.Equals(ForecastEpoch, StringComparison.OrdinalIgnoreCase);
            string? found = Workload.Find(name);
            if (!all && !epoch && found is null)
                return Usage($"bench: unknown workload '{name}'; expected {string.Join(", ", Workload.Names)}, all or {ForecastEpoch}.");
            IReadOnlyList<string> names = all || epoch ? Workload.Names : [found!];
            var options = new BenchOptions
            {
                Steps = r.GetValue(steps), Threads = r.GetValue(threads), Compare = r.GetValue(compare), Rounds = r.GetValue(rounds),
                OpenBlas = r.GetValue(openBlas) ?? BenchOptions.DefaultOpenBlas,
                Kind = r.GetValue(kind), Series = r.GetValue(series), Length = r.GetValue(length),
            };
            bool asJson = r.GetValue(json);
            if (options.Compare && asJson) return Usage("bench: --compare prints a table; it cannot be combined with --json.");
            if (epoch) return RunEpochs(options, asJson);
            int? n = options.Steps;
            int t = options.EffectiveThreads;
            int savedThreads = KernelThreads.Count;
            KernelThreads.Count = t;
            var results = new List<Result>();
            try
            {
                if (options.Compare)
                {
                    try { BenchComparison.Run(names, n, options.Rounds, t, options.OpenBlas, Console.Out); }
                    catch (TorchUnavailableException ex)
                    {
                        Console.Error.WriteLine($"error: {ex.Message}");
                        return CliErrors.Failure;
                    }
                    return 0;
                }
                foreach (var w in names)
                {
                    var result = Run(w, n);
                    results.Add(result);
                    if (!asJson) Console.WriteLine(Format(result));
                }
            }
            finally { KernelThreads.Count = savedThreads; }
            if (asJson)
                Console.WriteLine(JsonSerializer.Serialize(new BenchJson("hindsight", t, results), JsonOut.Options));
            return 0;
        });
        return cmd;
    }

    /// <summary>The workload name of <see cref="ForecastEpochBench"/>.</summary>
    internal const string ForecastEpoch = "forecast-epoch";

    // forecast-epoch: one timed epoch per kind (Hindsight only, as text or JSON), or the comparison with PyTorch.
    private static int RunEpochs(BenchOptions options, bool asJson)
    {
        IReadOnlyList<NeuralKind> kinds = options.Kind switch
        {
            ForecastEpochKind.Rnn => [NeuralKind.Rnn],
            ForecastEpochKind.Gru => [NeuralKind.Gru],
            ForecastEpochKind.Lstm => [NeuralKind.Lstm],
            _ => ForecastEpochBench.Kinds,
        };
        int t = options.EffectiveThreads;
        int savedThreads = KernelThreads.Count;
        KernelThreads.Count = t;
        try
        {
            if (options.Compare)
            {
                try { ForecastEpochComparison.Run(kinds, options.Series, options.Length, options.Rounds, t, options.OpenBlas, Console.Out); }
                catch (TorchUnavailableException ex)
                {
                    Console.Error.WriteLine($"error: {ex.Message}");
                    return CliErrors.Failure;
                }
                return 0;
            }
            var results = new List<EpochResultJson>();
            foreach (var k in kinds)
            {
                var e = ForecastEpochBench.Measure(k, options.Series, options.Length);
                results.Add(new EpochResultJson(ForecastEpoch, k.ModelName(), e.Description, e.Windows, e.Batches, e.UsPerEpoch, e.CpuUsPerEpoch, e.Parameters, e.FinalLoss));
                if (!asJson)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ForecastEpoch} {k.ModelName()} {e.UsPerEpoch / 1000:F1} ms/epoch  {e.CpuUsPerEpoch / 1000:F1} CPU ms/epoch  ({e.Windows} windows in {e.Batches} batches, loss {e.FinalLoss:G5}, {e.Parameters} parameters)"));
            }
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(new BenchEpochJson("hindsight", t, results), JsonOut.Options));
            return 0;
        }
        finally { KernelThreads.Count = savedThreads; }
    }

    /// <summary>Minimum warm-up time per workload (the tiered JIT needs about a second of steady calls to settle).</summary>
    internal const double WarmupSeconds = 2.0;

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return CliErrors.BadInput;
    }

    /// <summary>
    /// Warms up a first instance for at least <see cref="WarmupSeconds"/> and min(N, 200) steps (the tiered JIT reaches
    /// its final code), then creates a fresh instance of the same workload, runs one untimed step (arena and optimizer
    /// state come into being) and times <paramref name="steps"/> steps. The reported loss is therefore the loss after
    /// exactly N + 1 steps from seed 0, the same for every run and every thread count.
    /// </summary>
    internal static Result Run(string name, int? steps) => Measure(name, steps).Result;

    /// <summary><see cref="Run"/> plus the process CPU time per timed step (all threads; steadier than wall time on a loaded machine).</summary>
    internal static (Result Result, double CpuUsPerStep) Measure(string name, int? steps)
    {
        var warm = Workload.Create(name, seed: 0);
        int n = steps ?? warm.DefaultSteps;
        int warmup = Math.Max(2, Math.Min(n, 200));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < warmup || clock.Elapsed.TotalSeconds < WarmupSeconds; i++) warm.Step();
        var workload = Workload.Create(name, seed: 0);
        workload.Step();
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        long bytes0 = GC.GetAllocatedBytesForCurrentThread();
        var timer = Stopwatch.StartNew();
        float loss = 0;
        for (int i = 0; i < n; i++) loss = workload.Step();
        double seconds = timer.Elapsed.TotalSeconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
        process.Refresh();
        double cpuUs = (process.TotalProcessorTime - cpu0).TotalMicroseconds / n;
        double us = seconds * 1e6 / n;
        double? gflops = workload.FlopsPerStep > 0 ? workload.FlopsPerStep * n / seconds / 1e9 : null;
        return (new Result(workload.Name, workload.Description, n, us, gflops, (double)bytes / n, loss), cpuUs);
    }

    /// <summary><c>W1 12.3 us/step</c>, then GFLOP/s when meaningful and bytes allocated per step.</summary>
    internal static string Format(Result r)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{r.Workload} {r.UsPerStep:F1} us/step");
        if (r.GflopPerSecond is double g) line += string.Create(CultureInfo.InvariantCulture, $"  {g:F1} GFLOP/s");
        return line + string.Create(CultureInfo.InvariantCulture, $"  {r.BytesPerStep:F0} bytes/step  ({r.Steps} steps, loss {r.FinalLoss:G5})");
    }
}
