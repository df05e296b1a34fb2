using System.Diagnostics;
using System.Globalization;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Bench;

/// <summary>
/// A quick GEMM table: GFLOP/s (2 m n k / time) of <see cref="Gemm.Run"/> on the shapes of <see cref="GemmBenchmarks"/>,
/// 1 and 2 threads, at each vector width the machine has (512 and 256 bits, <see cref="FastPaths.Use512"/>), best of
/// five timed batches of about 0.1 s each after a warm-up, the widths alternating batch by batch so both see the same
/// load (on a shared machine the best batch is the one least disturbed by other processes). The one-thread figure
/// is also given in the thread's CPU time, which does not count time spent descheduled.
/// </summary>
internal static class GemmThroughput
{
    public static void Print()
    {
        int[] widths = FastPaths.MachineWidths().Contains(512) ? [512, 256] : [256];
        Console.WriteLine($"gflops: {Environment.ProcessorCount} processors, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, widths {string.Join("/", widths)} bits");
        string head = string.Join(" | ", widths.Select(w => $"{w}-bit 1 thread | {w}-bit 1 thread CPU | {w}-bit 2 threads"));
        Console.WriteLine($"| Product | m x n x k | {head} |");
        Console.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---|---|---|", widths.Length)));
        foreach (var s in GemmBenchmarks.Shapes().Append(new GemmBenchmarks.Shape("square 2048", false, false, 2048, 2048, 2048)))
        {
            var rng = new Rng(1);
            var a = new float[s.M * s.K]; var b = new float[s.K * s.N]; var c = new float[s.M * s.N];
            rng.FillUniform(a, -1, 1); rng.FillUniform(b, -1, 1);
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            double flops = 2.0 * s.M * s.N * s.K;
            var wall = new Dictionary<(int, int), double>(); var cpu = new Dictionary<int, double>();
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                int reps = Math.Max(1, (int)(0.1 * 150e9 / flops));
                foreach (int w in widths)
                {
                    FastPaths.MaxVectorBits = w;
                    for (int r = 0; r < Math.Max(1, reps / 2); r++) Gemm.Run(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, false);
                    wall[(w, threads)] = double.MaxValue;
                    if (threads == 1) cpu[w] = double.MaxValue;
                }
                for (int batch = 0; batch < 5; batch++)
                    foreach (int w in widths)
                    {
                        FastPaths.MaxVectorBits = w;
                        double cpu0 = InferenceComparison.ThreadCpuMicroseconds();
                        var sw = Stopwatch.StartNew();
                        for (int r = 0; r < reps; r++) Gemm.Run(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, false);
                        wall[(w, threads)] = Math.Min(wall[(w, threads)], sw.Elapsed.TotalSeconds / reps);
                        if (threads == 1) cpu[w] = Math.Min(cpu[w], (InferenceComparison.ThreadCpuMicroseconds() - cpu0) / 1e6 / reps);
                    }
            }
            FastPaths.MaxVectorBits = 0;
            string G(double seconds) => (flops / seconds / 1e9).ToString("F1", CultureInfo.InvariantCulture);
            string cells = string.Join(" | ", widths.Select(w => $"{G(wall[(w, 1)])} | {G(cpu[w])} | {G(wall[(w, 2)])}"));
            Console.WriteLine($"| {s.Name} | {s.M} x {s.N} x {s.K} | {cells} |");
        }
    }
}
