namespace Hindsight.Tensors.Kernels;

/// <summary>
/// Single-precision matrix product on row-major spans (BLAS sgemm semantics):
/// effectively computes <c>C[m,n] = (accumulate ? C : 0) + sum_p op(A)[m,p] * op(B)[p,n]</c>,
/// where <c>op(A)</c> is A or its transpose. Leading dimensions are row strides.
/// </summary>
/// <remarks>
/// Small products (the seed's tiny layers) run a direct loop with no setup; larger ones pack A and B into
/// cache-sized panels and run a register-blocked FMA microkernel (<see cref="GemmPacked"/>), on up to
/// <see cref="KernelThreads.Count"/> threads for large shapes. Threads split the output into disjoint column
/// (or row) ranges aligned to the microkernel tile and never split the sum over k, so every output element is
/// reduced in the same order whatever the thread count: results are bit-identical for 1, 2 or more threads.
/// </remarks>
public static class Gemm
{
    /// <summary>Below this many multiply-adds (m n k) the direct loop is used.</summary>
    internal const long PackedThreshold = 4096;

    /// <summary>From this many multiply-adds up the product is split over <see cref="KernelThreads.Count"/> threads.</summary>
    internal static long ParallelThreshold = 1L << 21;

    /// <summary>Runs the product. <paramref name="a"/> is (m,k) or, transposed, (k,m); <paramref name="b"/> is (k,n) or (n,k).</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        => Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, sameB: false);

    /// <summary>
    /// <see cref="Run(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>;
    /// <paramref name="sameB"/> promises that B (same span, same contents) was also the B of this thread's previous
    /// product, so a single-threaded packed product may reuse its packed copy (the recurrences' per-step W_hh).
    /// </summary>
    internal static unsafe void Run(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, bool sameB)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(pc + (long)i * ldc, n).Clear();
            if (k == 0) return;
            long work = (long)m * n * k;
            // Small, thin (a row or two of A) or rank-few updates with contiguous B rows: direct loops.
            if (work < PackedThreshold || m < 4 || n < 8 || (k <= 4 && !transB))
                GemmSmall.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc);
            else if (work >= ParallelThreshold && KernelThreads.Count > 1)
                GemmPacked.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc);
            else
                GemmPacked.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, sameB);
        }
    }

    /// <summary>
    /// Which loop <see cref="Run(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
    /// takes for an untransposed product of <paramref name="m"/> rows (mirrors its and <see cref="GemmSmall"/>'s choices).
    /// Each loop computes every row of C from that row of A alone, with the same operations whatever m is (the packed
    /// kernels never split k by anything but its fixed slices; the thread split cuts whole rows or columns), so two
    /// products of the same n and k whose <see cref="RowLoop"/> agree give every row the same bits: a batch can be cut
    /// into row ranges without changing a bit when the ranges take the whole batch's loop.
    /// </summary>
    internal static int RowLoop(long m, int n, int k)
    {
        if (m == 0 || n == 0 || k == 0) return 0;
        long work = m * n * k;
        if (!(work < PackedThreshold || m < 4 || n < 8 || k <= 4)) return PackedLoop;
        if ((n < 8 || work <= 512) && !(n == 1 && m * k > 4096)) return 1;                   // tiny: chains from zero
        return n == 1 ? 2 : 3;                                                                // column; row times matrix
    }

    /// <summary>The <see cref="RowLoop"/> of the packed kernels (monotone: more rows of a packed shape stay packed).</summary>
    internal const int PackedLoop = 4;

    /// <summary>Naive triple loop with double accumulation: the reference the fast kernel is tested against.</summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += (double)av * bv;
                }
                c[i * ldc + j] = (float)s;
            }
    }

    /// <summary>Validates sizes and that every addressed element lies inside its span (the fast path uses pointers).</summary>
    private static void Check(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: negative size m={m}, n={n}, k={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Need("A", aRows, aCols, aLen, lda);
        Need("B", bRows, bCols, bLen, ldb);
        Need("C", m, n, cLen, ldc);
    }

    private static void Need(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"Gemm: leading dimension of {name} is {ld}, less than its {cols} columns.");
        long need = (long)(rows - 1) * ld + cols;
        if (length < need) throw new ArgumentException($"Gemm: {name} ({rows}x{cols}, ld {ld}) needs {need} elements, the span has {length}.");
    }
}
