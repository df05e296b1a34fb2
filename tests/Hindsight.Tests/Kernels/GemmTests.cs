using Hindsight.Tensors.Kernels;

namespace Hindsight.Tests.Kernels;

/// <summary>The fast <see cref="Gemm.Run"/> against the naive <see cref="Gemm.Reference"/> over every tail and transpose.</summary>
public class GemmTests
{
    /// <summary>
    /// Runs both kernels on random data with the given leading-dimension padding and checks every element against a
    /// float error bound: |fast - ref| &lt;= 3e-7 (k + 2) (sum_p |a_ip b_pj| + |c_ij|).
    /// </summary>
    private static void Check(bool ta, bool tb, int m, int n, int k, bool accumulate, int pad = 0, int seed = 1)
    {
        var rng = new Rng((ulong)(seed + 131 * m + 17 * n + 7 * k));
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + 3 * pad;
        var a = new float[Math.Max(0, aRows * lda)];
        var b = new float[Math.Max(0, bRows * ldb)];
        var c0 = new float[Math.Max(0, m * ldc)];
        rng.FillUniform(a, -1f, 1f); rng.FillUniform(b, -1f, 1f); rng.FillUniform(c0, -1f, 1f);
        var fast = (float[])c0.Clone();
        var reference = (float[])c0.Clone();
        Gemm.Run(ta, tb, m, n, k, a, lda, b, ldb, fast, ldc, accumulate);
        Gemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, reference, ldc, accumulate);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                int at = i * ldc + j;
                if (j >= n)
                {
                    Assert.True(fast[at] == c0[at], $"Gemm wrote outside C at ({i},{j}) for m={m} n={n} k={k} ta={ta} tb={tb}");
                    continue;
                }
                double bound = accumulate ? Math.Abs(c0[at]) : 0;
                for (int p = 0; p < k; p++)
                    bound += Math.Abs((ta ? a[p * lda + i] : a[i * lda + p]) * (double)(tb ? b[j * ldb + p] : b[p * ldb + j]));
                double diff = Math.Abs((double)fast[at] - reference[at]);
                Assert.True(diff <= 3e-7 * (k + 2) * bound + 1e-30,
                    $"Gemm m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad}: C[{i},{j}] = {fast[at]}, reference {reference[at]}");
            }
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory, MemberData(nameof(Transposes))]
    public void EveryM(bool ta, bool tb)
    {
        for (int m = 1; m <= 70; m++) { Check(ta, tb, m, 37, 29, accumulate: false); Check(ta, tb, m, 40, 16, accumulate: true, pad: 1); }
    }

    [Theory, MemberData(nameof(Transposes))]
    public void EveryN(bool ta, bool tb)
    {
        for (int n = 1; n <= 70; n++) { Check(ta, tb, 19, n, 23, accumulate: false); Check(ta, tb, 8, n, 33, accumulate: true, pad: 2); }
    }

    [Theory, MemberData(nameof(Transposes))]
    public void EveryK(bool ta, bool tb)
    {
        for (int k = 0; k <= 70; k++) { Check(ta, tb, 21, 35, k, accumulate: false); Check(ta, tb, 9, 64, k, accumulate: true, pad: 3); }
    }

    [Theory, MemberData(nameof(Transposes))]
    public void MixedSmallShapes(bool ta, bool tb)
    {
        var rng = new Rng(5);
        for (int trial = 0; trial < 150; trial++)
        {
            int m = 1 + rng.NextInt(70), n = 1 + rng.NextInt(70), k = 1 + rng.NextInt(70);
            Check(ta, tb, m, n, k, accumulate: trial % 2 == 0, pad: trial % 3, seed: trial);
        }
    }

    /// <summary>Odd sizes crossing the cache blocks (KC 256, MC 96, NC 1024) and the parallel split.</summary>
    [Theory, MemberData(nameof(Transposes))]
    public void LargeOddShapes(bool ta, bool tb)
    {
        Check(ta, tb, 131, 257, 300, accumulate: false, pad: 1);
        Check(ta, tb, 97, 1061, 259, accumulate: true, pad: 5);
        Check(ta, tb, 203, 45, 517, accumulate: true);
    }

    /// <summary>Vector-matrix and rank-few shapes (the seed's RNN cell: one row of 185 against 128 or 18 outputs).</summary>
    [Theory, MemberData(nameof(Transposes))]
    public void ThinShapes(bool ta, bool tb)
    {
        foreach (int m in new[] { 1, 2, 3, 128 })
            foreach (int n in new[] { 1, 18, 64, 185, 257 })
                foreach (int k in new[] { 1, 3, 128, 185 })
                    Check(ta, tb, m, n, k, accumulate: (m + n + k) % 2 == 0, pad: k % 3);
    }

    [Fact]
    public void SameBReusesOnlyTheBThisThreadPackedLast()
    {
        // A recurrence: C_t = A_t B with the same B every step (packed path: 16 x 96 x 40). In between, a product with
        // another B and a B whose contents changed: a promise of "same B" must never reuse a packed copy of another B.
        var rng = new Rng(5);
        int m = 16, n = 96, k = 40;
        float[] Rand(int len) { var v = new float[len]; rng.FillUniform(v, -1f, 1f); return v; }
        var b = Rand(k * n); var other = Rand(k * n); var a = Rand(m * k);
        float[] Fresh(float[] bb) { var c = new float[m * n]; Gemm.Run(false, false, m, n, k, a, k, bb, n, c, n, false); return c; }
        float[] Reusing(float[] bb) { var c = new float[m * n]; Gemm.Run(false, false, m, n, k, a, k, bb, n, c, n, false, sameB: true); return c; }
        var expected = Fresh(b);
        Assert.Equal(expected, Reusing(b));           // packed by the previous call: reused, same bits
        Fresh(other);
        Assert.Equal(expected, Reusing(b));           // the buffer held another B: packed again
        Assert.Equal(Fresh(other), Reusing(other));
    }

    [Fact]
    public void EmptySizesLeaveOrClearC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Run(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Run(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void TooShortSpanIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Run(false, false, 4, 4, 4, new float[15], 4, new float[16], 4, new float[16], 4, false));
        Assert.Contains("A (4x4, ld 4) needs 16 elements, the span has 15", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Run(false, true, 4, 4, 4, new float[16], 4, new float[16], 3, new float[16], 4, false));
        Assert.Contains("leading dimension of B is 3", ex.Message);
    }

    /// <summary>Bit-identical results for 1 and 2 threads (the split is over outputs, never over k).</summary>
    [Theory]
    [InlineData(128, 1024, 256)]
    [InlineData(1024, 64, 300)]
    [InlineData(64, 256, 64)]
    public void SameBitsWhateverTheThreadCount(int m, int n, int k)
    {
        var rng = new Rng(9);
        var a = new float[m * k]; var b = new float[n * k];
        rng.FillUniform(a, -1, 1); rng.FillUniform(b, -1, 1);
        int saved = KernelThreads.Count;
        try
        {
            var results = new List<float[]>();
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelThreads.Count = threads;
                var c = new float[m * n];
                Gemm.Run(false, true, m, n, k, a, k, b, k, c, n, accumulate: false);
                results.Add(c);
            }
            Assert.Equal(results[0], results[1]);
            Assert.Equal(results[0], results[2]);
        }
        finally { KernelThreads.Count = saved; }
    }

    /// <summary>
    /// <see cref="Gemm.RowLoop"/>: a product of the first rows of A gives those rows the bits the whole product gives them
    /// whenever both take the same loop (what the recurrent inference path's row ranges rely on), accumulating into C.
    /// </summary>
    [Fact]
    public void RowsGetTheSameBitsFromFewerRowsOnTheSameLoop()
    {
        var rng = new Rng(21);
        int[] ms = [2, 3, 4, 5, 8, 9, 13, 16, 37, 70, 130];
        int[] ns = [1, 3, 8, 12, 32, 48, 256, 384];
        int[] ks = [1, 3, 5, 8, 64, 300];
        int compared = 0;
        foreach (int bits in FastPaths.MachineWidths())
            for (int c = 0; c < 60; c++)
            {
                int m = ms[(int)(rng.NextFloat() * ms.Length)], n = ns[(int)(rng.NextFloat() * ns.Length)], k = ks[(int)(rng.NextFloat() * ks.Length)];
                int rows = 1 + (int)(rng.NextFloat() * m);
                if (Gemm.RowLoop(rows, n, k) != Gemm.RowLoop(m, n, k)) continue;
                var a = new float[m * k]; var b = new float[k * n]; var c0 = new float[m * n];
                rng.FillUniform(a, -1, 1); rng.FillUniform(b, -1, 1); rng.FillUniform(c0, -1, 1);
                var whole = c0.ToArray(); var part = c0.AsSpan(0, rows * n).ToArray();
                int saved = FastPaths.MaxVectorBits;
                try
                {
                    FastPaths.MaxVectorBits = bits;
                    Gemm.Run(false, false, m, n, k, a, k, b, n, whole, n, accumulate: true);
                    Gemm.Run(false, false, rows, n, k, a, k, b, n, part, n, accumulate: true);
                }
                finally { FastPaths.MaxVectorBits = saved; }
                for (int i = 0; i < rows * n; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(whole[i]) == BitConverter.SingleToInt32Bits(part[i]),
                        $"width {bits} m={m} rows={rows} n={n} k={k} loop {Gemm.RowLoop(m, n, k)}: element {i}");
                compared++;
            }
        Assert.True(compared > 100, $"{compared} shapes compared");
    }
}
