using BenchmarkDotNet.Attributes;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Bench;

/// <summary>
/// The matrix products of W4 and W5 (one training step calls each many times), on 1 and 2 threads.
/// GFLOP/s = 2 m n k / time. Shapes are named by the product they come from.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    public record Shape(string Name, bool TransA, bool TransB, int M, int N, int K)
    {
        public override string ToString() => $"{Name} {M}x{N}x{K}";
    }

    public static IEnumerable<Shape> Shapes() =>
    [
        new("W4 h Whh^T", false, true, 64, 256, 64),
        new("W4 dh=dG Whh", false, false, 64, 64, 256),
        new("W4 dWhh=dG^T H", true, false, 256, 64, 48 * 64),
        new("W5 h Whh^T", false, true, 128, 1024, 256),
        new("W5 dh=dG Whh", false, false, 128, 256, 1024),
        new("W5 x Wih^T (l1)", false, true, 100 * 128, 1024, 256),
        new("W5 dWih=dG^T X (l1)", true, false, 1024, 256, 100 * 128),
    ];

    [ParamsSource(nameof(Shapes))]
    public Shape S { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    private float[] _a = [], _b = [], _c = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _a = new float[S.M * S.K]; _b = new float[S.K * S.N]; _c = new float[S.M * S.N];
        rng.FillUniform(_a, -1, 1); rng.FillUniform(_b, -1, 1);
        KernelThreads.Count = Threads;
    }

    [Benchmark]
    public void Gemm()
    {
        int lda = S.TransA ? S.M : S.K, ldb = S.TransB ? S.K : S.N;
        Tensors.Kernels.Gemm.Run(S.TransA, S.TransB, S.M, S.N, S.K, _a, lda, _b, ldb, _c, S.N, accumulate: false);
    }
}
