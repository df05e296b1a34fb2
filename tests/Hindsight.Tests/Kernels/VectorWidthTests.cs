using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Tests.Kernels;

/// <summary>
/// The kernels' vector width (<see cref="FastPaths.Use512"/>, the one decision point) changes the speed, never the
/// bits: the GEMM's paths (direct loops, dot products, packed, parallel) and the activations give the same result with
/// 512-bit and 256-bit vectors. On a machine without AVX-512 both runs take the 256-bit path and the test still
/// checks that the switch is honoured.
/// </summary>
public class VectorWidthTests
{
    [Fact]
    public void FiveHundredTwelveBitsWhereverTheMachineHasAvx512()
    {
        // Also where .NET accelerates only 256-bit vectors (Intel parts that lower their clock for wide vectors).
        Assert.Equal(Vector512.IsHardwareAccelerated || Avx512F.IsSupported, FastPaths.Use512);
        Assert.Equal(FastPaths.Use512 ? 32 : 16, GemmMicroKernel.NR);
        Assert.Equal(FastPaths.Use512, FastPaths.MachineWidths().Contains(512));
        Assert.False(With(256, () => FastPaths.Use512));
        Assert.Equal(16, With(256, () => GemmMicroKernel.NR));
    }

    [Fact]
    public void GemmGivesTheSameBitsAtBothWidthsOnRandomShapes()
    {
        var rng = new Rng(2026);
        int[] sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 64, 65, 96, 100, 129, 256, 300];
        int Pick() => sizes[(int)(rng.NextFloat() * sizes.Length)];
        for (int c = 0; c < 160; c++)
        {
            bool ta = rng.NextFloat() < 0.5f, tb = rng.NextFloat() < 0.5f, accumulate = rng.NextFloat() < 0.5f;
            int m = Pick(), n = Pick(), k = Pick(), pad = c % 3;
            CompareWidths(ta, tb, m, n, k, accumulate, pad, seed: c);
        }
    }

    [Theory]
    [InlineData(64, 256, 64)]      // W4's per-step product (packed, one thread)
    [InlineData(64, 64, 256)]
    [InlineData(1, 256, 64)]       // one row: x W^T by dot products, four at a time with 512 bits
    [InlineData(3, 10, 256)]
    [InlineData(200, 1, 300)]      // a column: matrix-vector dot products
    [InlineData(300, 520, 260)]    // parallel on two or more threads, edge tiles, two k-slices
    public void GemmGivesTheSameBitsAtBothWidthsOnTheWorkloadShapes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                CompareWidths(ta, tb, m, n, k, accumulate: true, pad: 1, seed: m + n + k);
    }

    [Fact]
    public void ReusedPackedBIsPackedAgainAfterAWidthChange()
    {
        // The recurrences' "same B" promise must not reuse a B packed in 32-column panels for a 16-column kernel.
        var rng = new Rng(5);
        int m = 16, n = 96, k = 40;
        var a = new float[m * k]; var b = new float[k * n];
        rng.FillUniform(a, -1f, 1f); rng.FillUniform(b, -1f, 1f);
        float[] Product(int bits, bool sameB) => With(bits, () =>
        {
            var c = new float[m * n];
            Gemm.Run(false, false, m, n, k, a, k, b, n, c, n, false, sameB);
            return c;
        });
        var expected = Product(256, sameB: false);
        Product(512, sameB: false);
        AssertSameBits(expected, Product(256, sameB: true), "256 after 512");
        AssertSameBits(expected, Product(512, sameB: true), "512 after 256");
    }

    [Fact]
    public void ActivationsGiveTheSameBitsAtEveryWidthAndLength()
    {
        var rng = new Rng(11);
        for (int n = 1; n <= 70; n++)
        {
            var x = new float[n];
            rng.FillNormal(x, 0f, 4f);
            foreach (var (name, op) in new (string, Action<float[], float[]>)[] { ("tanh", (a, b) => Activation.Tanh(a, b)), ("sigmoid", (a, b) => Activation.Sigmoid(a, b)) })
            {
                float[] Run(int bits) => With(bits, () => { var y = new float[n]; op(x, y); return y; });
                var wide = Run(0);
                foreach (int bits in FastPaths.MachineWidths()) AssertSameBits(wide, Run(bits), $"{name} n={n} width {bits}");
            }
        }
    }

    private static void CompareWidths(bool ta, bool tb, int m, int n, int k, bool accumulate, int pad, int seed)
    {
        var rng = new Rng((ulong)(seed * 7919 + 1));
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = new float[aRows * lda]; var b = new float[bRows * ldb]; var c0 = new float[m * ldc];
        rng.FillUniform(a, -1f, 1f); rng.FillUniform(b, -1f, 1f); rng.FillUniform(c0, -1f, 1f);
        float[] Run(int bits) => With(bits, () =>
        {
            var c = (float[])c0.Clone();
            Gemm.Run(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return c;
        });
        AssertSameBits(Run(256), Run(512), $"m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad}");
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var e = MemoryMarshal.Cast<float, int>(expected); var a = MemoryMarshal.Cast<float, int>(actual);
        for (int i = 0; i < e.Length; i++)
            if (e[i] != a[i]) Assert.Fail($"{what}: element {i} is {actual[i]:R} at 512 bits, {expected[i]:R} at 256 bits");
    }

    private static T With<T>(int bits, Func<T> run)
    {
        int saved = FastPaths.MaxVectorBits;
        FastPaths.MaxVectorBits = bits;
        try { return run(); }
        finally { FastPaths.MaxVectorBits = saved; }
    }
}
