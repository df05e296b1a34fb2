using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Bench;

/// <summary>
/// Runs one inference case in a loop for a profiler (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>):
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- inferprof lstm|gru|mlp batch seconds [threads] [steps]</c>
/// (threads: <see cref="KernelThreads.Count"/>, default the processor count; steps: the recurrent models' T). Prints
/// wall-clock and process CPU microseconds per call (under load the CPU time shows what a second thread costs).
/// </summary>
internal static class InferenceProfile
{
    public static void Run(string[] args)
    {
        string kind = args[1];
        if (kind == "rows") { RowKernels(); return; }
        int batch = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        double seconds = double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        if (args.Length > 4) KernelThreads.Count = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        // HINDSIGHT_SPLIT_THRESHOLD: multiply-adds from which a batch runs as row ranges (to measure the threshold)
        if (Environment.GetEnvironmentVariable("HINDSIGHT_SPLIT_THRESHOLD") is { } split)
            RecurrentBase.SplitThresholdOverride = long.Parse(split, System.Globalization.CultureInfo.InvariantCulture);
        Action call;
        if (kind == "mlp")
        {
            var p = new SequentialPredictor(new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10)));
            var x = new float[batch * 64]; var y = new float[batch * 10];
            call = () => p.Run(x, batch, y);
        }
        else
        {
            RecurrentBase layer = kind == "gru" ? new Gru(8, 128, 2, batchFirst: true) : new Lstm(1, 64, batchFirst: true);
            int steps = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : kind == "gru" ? 100 : 48;
            var p = new RecurrentPredictor(layer, new Linear(layer.HiddenSize, 1));
            var x = new float[batch * steps * layer.InputSize]; var y = new float[batch];
            new Rng(1).FillNormal(x, 0f, 1f);
            call = () => p.Run(x, batch, steps, y);
        }
        call();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long calls = 0;
        while (sw.Elapsed.TotalSeconds < seconds) { call(); calls++; }
        double wall = sw.Elapsed.TotalMicroseconds / calls;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMicroseconds / calls;
        Console.WriteLine($"{kind} batch {batch} threads {KernelThreads.Count}: {wall:F1} us/call, process CPU {cpu:F1} us/call over {calls} calls");
    }

    /// <summary>
    /// The batch-1 product h W_hh^T (k = H, n = G*H) from the strided W_hh^T against the 128-column panels, alternating in
    /// one process: the least thread CPU time per product over 15 rounds (<c>inferprof rows</c>).
    /// </summary>
    private static void RowKernels()
    {
        foreach (var (k, n) in ((int, int)[])[(64, 256), (128, 384)])
        {
            var rng = new Rng(1);
            var a = new float[k]; var b = new float[k * n]; var c = new float[n];
            rng.FillNormal(a, 0f, 1f); rng.FillNormal(b, 0f, 0.1f);
            var panels = new float[RowTimesMatrix.PackedLength(n, k)];
            RowTimesMatrix.Pack(b, n, n, k, panels);
            double strided = double.MaxValue, packed = double.MaxValue;
            const int calls = 20000;
            for (int r = 0; r < 15; r++)
            {
                double t0 = InferenceComparison.ThreadCpuMicroseconds();
                for (int i = 0; i < calls; i++) { c.AsSpan().Clear(); RowTimesMatrix.Accumulate(a, b, n, c, n, k); }
                double t1 = InferenceComparison.ThreadCpuMicroseconds();
                for (int i = 0; i < calls; i++) { c.AsSpan().Clear(); RowTimesMatrix.AccumulatePacked(a, panels, b, n, c, n, k); }
                double t2 = InferenceComparison.ThreadCpuMicroseconds();
                strided = Math.Min(strided, (t1 - t0) * 1000 / calls); packed = Math.Min(packed, (t2 - t1) * 1000 / calls);
            }
            Console.WriteLine($"k={k} n={n}: strided {strided:F0} ns, panels {packed:F0} ns per product (least thread CPU of 15 rounds)");
        }
    }
}
