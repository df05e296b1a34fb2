using System.Diagnostics;
using System.Globalization;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Bench;

/// <summary>
/// A quick GEMM table: GFLOP/s (2 m n k / time) of <see cref="Gemm.Run"/> on the shapes of <see cref="GemmBenchmarks"/>,
/// 1 and 2 threads, best of five timed batches of about 0.2 s each after a warm-up (on a shared machine the best
/// batch is the one least disturbed by other processes).
/// </summary>
internal static class GemmThroughput
{
    public static void Print()
    {
        Console.WriteLine("| Product | m x n x k | 1 thread GFLOP/s | 2 threads GFLOP/s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var s in GemmBenchmarks.Shapes().Append(new GemmBenchmarks.Shape("square 2048", false, false, 2048, 2048, 2048)))
        {
            var rng = new Rng(1);
            var a = new float[s.M * s.K]; var b = new float[s.K * s.N]; var c = new float[s.M * s.N];
            rng.FillUniform(a, -1, 1); rng.FillUniform(b, -1, 1);
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            double flops = 2.0 * s.M * s.N * s.K;
            var cells = new List<string>();
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Count = threads;
                int reps = Math.Max(1, (int)(0.2 * 150e9 / flops));
                for (int r = 0; r < Math.Max(1, reps / 2); r++) Gemm.Run(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, false);
                double best = double.MaxValue;
                for (int batch = 0; batch < 5; batch++)
                {
                    var sw = Stopwatch.StartNew();
                    for (int r = 0; r < reps; r++) Gemm.Run(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, false);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
                }
                cells.Add((flops / best / 1e9).ToString("F1", CultureInfo.InvariantCulture));
            }
            Console.WriteLine($"| {s.Name} | {s.M} x {s.N} x {s.K} | {cells[0]} | {cells[1]} |");
        }
    }
}
