using System.Diagnostics;
using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;
using Hindsight.Tensors.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace Hindsight.Bench;

/// <summary>
/// Issue 13's side-by-side inference table: each model is built with fixed seeds, exported with Hindsight's ONNX exporter,
/// run once by every engine to check the outputs agree, then timed in alternating rounds in the same process:
/// Hindsight's no-grad <c>Forward</c> (the layers' own calls, tensors allocated per call), the inference path
/// (<see cref="RecurrentPredictor"/> / <see cref="SequentialPredictor"/>) with 1 and 2 kernel threads, and ONNX Runtime
/// (all graph optimizations, sequential execution, preallocated input and output <see cref="OrtValue"/>s) with 1 and
/// 2 intra-op threads. Prints microseconds per call, best of the rounds and the spread (worst / best - 1).
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- inference [rounds] [filter]</c>, the filter matched against
/// "model|batch|" (e.g. <c>"T=48|1|"</c>).
/// </summary>
internal static class InferenceComparison
{
    private const double TargetSeconds = 0.15;

    private sealed record Case(string Model, int Batch, Tensor Input, Func<Tensor, Tensor> Forward, Action<float[], float[]> Infer, int OutputLength, byte[] Onnx);

    private sealed record Engine(string Name, Action Call, int Threads);

    public static void Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        string filter = args.Length > 2 ? args[2] : "";
        Console.WriteLine($"inference: {rounds} rounds, ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {Environment.ProcessorCount} processors, load {LoadAverage()}");
        Console.WriteLine("| model | batch | Hindsight Forward us | inference 1 thr | inference 2 thr | ORT intra 1 | ORT intra 2 | best ORT / best inference | CPU us inference 1 thr | CPU us ORT intra 1 | CPU ratio | max abs diff vs ORT | inference = Forward | inference bytes/call |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (int batch in (int[])[1, 32, 1024])
            foreach (var make in (Func<int, Case>[])[Lstm, Gru, SeedRnn, Mlp])
            {
                var c = make(batch);
                if (filter.Length > 0 && !$"{c.Model}|{batch}|".Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                RunCase(c, rounds);
            }
        KernelThreads.Count = Environment.ProcessorCount;
        Console.WriteLine($"load at the end {LoadAverage()}");
    }

    private static Case Lstm(int batch)
    {
        var model = new LastStepModel(new Lstm(1, 64, batchFirst: true, rng: new Rng(1)), new Linear(64, 1, rng: new Rng(2)));
        var predictor = new RecurrentPredictor(model.Recurrent, model.Head);
        return Recurrent("LSTM(1,64) + Linear last step, T=48", batch, 48, 1, model, model.Forward, predictor);
    }

    private static Case Gru(int batch)
    {
        var model = new LastStepModel(new Gru(8, 128, 2, batchFirst: true, rng: new Rng(3)), new Linear(128, 1, rng: new Rng(4)));
        var predictor = new RecurrentPredictor(model.Recurrent, model.Head);
        return Recurrent("GRU(8,128, 2 layers) + Linear last step, T=100", batch, 100, 8, model, model.Forward, predictor);
    }

    private static Case SeedRnn(int batch)
    {
        var model = new EveryStepModel(new Rnn(1, 2, batchFirst: true, rng: new Rng(5)), new Linear(2, 1, rng: new Rng(6)));
        var predictor = new RecurrentPredictor(model.Recurrent, model.Head, RecurrentReadout.EveryStep);
        return Recurrent("seed RNN(1,2) + Linear every step, T=10", batch, 10, 1, model, model.Forward, predictor);
    }

    private static Case Recurrent(string name, int batch, int steps, int features, Module model, Func<Tensor, Tensor> forward, RecurrentPredictor predictor)
    {
        var x = Tensor.Randn(new Rng(7), batch, steps, features);
        byte[] onnx = OnnxExporter.ToBytes(model, -1, -1, features);
        return new Case(name, batch, x, forward, (input, output) => predictor.Run(input, batch, steps, output),
            predictor.OutputLength(batch, steps), onnx);
    }

    private static Case Mlp(int batch)
    {
        var model = new Sequential(new Linear(64, 256, rng: new Rng(8)), new ReLU(), new Linear(256, 256, rng: new Rng(9)), new ReLU(),
            new Linear(256, 10, rng: new Rng(10)));
        var predictor = new SequentialPredictor(model);
        var x = Tensor.Randn(new Rng(7), batch, 64);
        return new Case("MLP 64-256-256-10", batch, x, model.Forward, (input, output) => predictor.Run(input, batch, output),
            batch * 10, OnnxExporter.ToBytes(model, -1, 64));
    }

    private static void RunCase(Case c, int rounds)
    {
        float[] expected;
        using (Tape.NoGrad()) expected = c.Forward(c.Input).Data;
        var inferred = new float[c.OutputLength];
        c.Infer(c.Input.Data, inferred);
        int differing = 0; double inferDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(inferred[i])) differing++;
            inferDiff = Math.Max(inferDiff, Math.Abs(expected[i] - inferred[i]));
        }

        var sessions = new List<(InferenceSession Session, OrtValue In, OrtValue Out, float[] Result, string[] InNames, string[] OutNames, RunOptions Run)>();
        foreach (int threads in (int[])[1, 2])
        {
            var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads, InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            };
            var session = new InferenceSession(c.Onnx, options);
            var result = new float[c.OutputLength];
            var input = OrtValue.CreateTensorValueFromMemory(c.Input.Data, [.. c.Input.Shape.ToArray().Select(d => (long)d)]);
            long[] outShape = c.OutputLength == c.Batch * c.Input.Dim(1) && c.Input.Rank == 3 ? [c.Batch, c.Input.Dim(1), 1]
                : [c.Batch, c.OutputLength / c.Batch];
            var output = OrtValue.CreateTensorValueFromMemory(result, outShape);
            sessions.Add((session, input, output, result, [.. session.InputMetadata.Keys], [.. session.OutputMetadata.Keys], new RunOptions()));
        }
        double ortDiff = 0;
        foreach (var s in sessions)
        {
            s.Session.Run(s.Run, s.InNames, [s.In], s.OutNames, [s.Out]);
            for (int i = 0; i < expected.Length; i++) ortDiff = Math.Max(ortDiff, Math.Abs(expected[i] - s.Result[i]));
        }
        double scale = expected.Max(v => Math.Abs((double)v));
        if (ortDiff > 1e-5 * Math.Max(1, scale)) throw new InvalidOperationException($"{c.Model} batch {c.Batch}: ONNX Runtime differs by {ortDiff}");
        if (inferDiff > 1e-6 * Math.Max(1, scale)) throw new InvalidOperationException($"{c.Model} batch {c.Batch}: the inference path differs by {inferDiff}");

        var engines = new List<Engine>
        {
            new("forward", () => { using (Tape.NoGrad()) c.Forward(c.Input); }, Environment.ProcessorCount),
            new("infer1", () => c.Infer(c.Input.Data, inferred), 1),
            new("infer2", () => c.Infer(c.Input.Data, inferred), 2),
        };
        foreach (var s in sessions)
            engines.Add(new("ort", () => s.Session.Run(s.Run, s.InNames, [s.In], s.OutNames, [s.Out]), 0));

        var best = new double[engines.Count]; var worst = new double[engines.Count];
        var bestCpu = new double[engines.Count]; var worstCpu = new double[engines.Count];
        Array.Fill(best, double.MaxValue); Array.Fill(bestCpu, double.MaxValue);
        foreach (var e in engines) Time(e, 0.3, out _, out _);   // warm-up: the tiered JIT and ORT's first runs
        long bytes = long.MaxValue;
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < engines.Count; i++)
            {
                double us = Time(engines[i], TargetSeconds, out double cpu, out long allocated);
                best[i] = Math.Min(best[i], us); worst[i] = Math.Max(worst[i], us);
                bestCpu[i] = Math.Min(bestCpu[i], cpu); worstCpu[i] = Math.Max(worstCpu[i], cpu);
                if (engines[i].Name == "infer1") bytes = Math.Min(bytes, allocated);
            }
        KernelThreads.Count = Environment.ProcessorCount;
        foreach (var s in sessions) { s.Session.Dispose(); s.In.Dispose(); s.Out.Dispose(); s.Run.Dispose(); }

        string Cell(int i) => $"{Format(best[i])} (+{(worst[i] / best[i] - 1) * 100:F0}%)";
        string CpuCell(int i) => $"{Format(bestCpu[i])} (+{(worstCpu[i] / bestCpu[i] - 1) * 100:F0}%)";
        double ratio = Math.Min(best[3], best[4]) / Math.Min(best[1], best[2]);
        Console.WriteLine($"| {c.Model} | {c.Batch} | {Cell(0)} | {Cell(1)} | {Cell(2)} | {Cell(3)} | {Cell(4)} | **{ratio:F2}x** | "
            + $"{CpuCell(1)} | {CpuCell(3)} | **{bestCpu[3] / bestCpu[1]:F2}x** | {ortDiff:G2} | "
            + $"{(differing == 0 ? "bit for bit" : $"{differing} differ, max {inferDiff:G2}")} | {bytes} |");
    }

    /// <summary>
    /// Microseconds per call over at least <paramref name="seconds"/> (at least 2 calls); the calling thread's CPU time per
    /// call (on a loaded machine the honest figure for the one-thread engines: time spent descheduled does not count);
    /// bytes allocated per call on this thread.
    /// </summary>
    private static double Time(Engine e, double seconds, out double cpuUs, out long allocatedPerCall)
    {
        if (e.Threads > 0) KernelThreads.Count = e.Threads;
        e.Call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        double cpu0 = ThreadCpuMicroseconds();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        do { e.Call(); calls++; } while (calls < 2 || sw.Elapsed.TotalSeconds < seconds);
        double us = sw.Elapsed.TotalMicroseconds / calls;
        cpuUs = (ThreadCpuMicroseconds() - cpu0) / calls;
        allocatedPerCall = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
        return us;
    }

    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID).</summary>
    internal static double ThreadCpuMicroseconds()
    {
        ClockGetTime(3, out var t);
        return t.Seconds * 1e6 + t.Nanoseconds / 1e3;
    }

    private static string Format(double us) => us >= 1000 ? $"{us:F0}" : us >= 10 ? $"{us:F1}" : $"{us:F2}";

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
