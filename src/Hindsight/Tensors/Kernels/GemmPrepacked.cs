using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Hindsight.Tensors.Kernels.GemmMicroKernel;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// Inference's <c>y = act(x W^T + b)</c> on weights packed once (<see cref="PrepackedWeights"/>): the packed GEMM's
/// arithmetic on the same operands in the same order, with x read in place (no packing of A), a half-width tile for a
/// narrow last panel (a 10-wide output layer), and the bias and ReLU applied as each tile is stored instead of in passes
/// of their own. Every element is what <c>Ops.LinearForward</c> computes on the packed path (C set to the bias, then per
/// KC-slice of k an FMA chain from zero in order of k added to C; in the packed GEMM's edge tiles the sums added to zero
/// first, which turns a -0 sum into +0) followed by <c>max(y, 0)</c>, so the bits are the same, whichever tile or thread
/// computes which element. Large products split their rows, in parts aligned to the register
/// tile, over <see cref="KernelThreads"/>.
/// </summary>
internal static unsafe class GemmPrepacked
{
    private const int MC = 96;

    /// <summary>From this many multiply-adds up the rows are split over <see cref="KernelThreads.Count"/> threads.</summary>
    internal const long ParallelThreshold = 1L << 20;

    [ThreadStatic] private static float[]? _tailRows;

    /// <summary>
    /// y (m, n) = x (m, k) W^T + b, then max(y, 0) when <paramref name="relu"/>. Meant for the products
    /// <see cref="Gemm.Run(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
    /// sends to its packed path (at least 4 rows, 8 columns and 4096 multiply-adds); <paramref name="w"/> must be packed
    /// for the calling thread's width (<see cref="PrepackedWeights.MatchWidth"/>). <paramref name="split"/>: whether a
    /// large product may split its rows over <see cref="KernelThreads"/> (false: this thread only).
    /// </summary>
    public static void Run(ReadOnlySpan<float> x, int m, PrepackedWeights w, Span<float> y, bool relu, bool split = true)
    {
        int n = w.N, k = w.K;
        if (x.Length < m * k) throw new ArgumentException($"GemmPrepacked: x has {x.Length} values; {m} x {k} needed.", nameof(x));
        if (y.Length < m * n) throw new ArgumentException($"GemmPrepacked: y has {y.Length} values; {m} x {n} needed.", nameof(y));
        if (m == 0) return;
        fixed (float* px = x, py = y, panels = w.Panels, bias = w.Bias)
        {
            var job = new Job
            {
                X = px, Y = py, Panels = panels, Bias = bias, M = m, N = n, K = k, PaddedN = w.PaddedN, Nr = w.Nr, Relu = relu,
                GemmFullColumns = w.GemmFullColumns, Units = (m + MR - 1) / MR,
            };
            int threads = KernelThreads.Count;
            job.Parts = Math.Min(4 * threads, job.Units);
            if (split && threads > 1 && (long)m * n * k >= ParallelThreshold && job.Parts >= 2 && KernelThreads.TryBegin())
                KernelThreads.Execute(&RunPart, &job, job.Parts);
            else RunRows(ref job, 0, m);
        }
    }

    /// <summary>
    /// Rows <paramref name="rowStart"/>..<paramref name="rowEnd"/> of <see cref="Run"/>'s result alone, on this thread
    /// (<paramref name="rowStart"/> a multiple of the register tile's rows): what one part of a split computes.
    /// </summary>
    internal static void RunRows(ReadOnlySpan<float> x, int m, PrepackedWeights w, Span<float> y, bool relu, int rowStart, int rowEnd)
    {
        if (rowStart % MR != 0 || rowStart < 0 || rowEnd > m || rowEnd < rowStart)
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"GemmPrepacked: rows {rowStart}..{rowEnd} of {m}.");
        if (x.Length < m * w.K || y.Length < m * w.N) throw new ArgumentException("GemmPrepacked: sizes or width do not match.", nameof(w));
        fixed (float* px = x, py = y, panels = w.Panels, bias = w.Bias)
        {
            var job = new Job { X = px, Y = py, Panels = panels, Bias = bias, M = m, N = w.N, K = w.K, PaddedN = w.PaddedN, Nr = w.Nr, Relu = relu, GemmFullColumns = w.GemmFullColumns };
            if (rowEnd > rowStart) RunRows(ref job, rowStart, rowEnd);
        }
    }

    private struct Job
    {
        public float* X, Y, Panels, Bias;
        public int M, N, K, PaddedN, Nr, GemmFullColumns, Units, Parts;
        public bool Relu;
    }

    private static void RunPart(void* state, int part)
    {
        ref Job j = ref Unsafe.AsRef<Job>(state);
        int u0 = (int)((long)j.Units * part / j.Parts), u1 = (int)((long)j.Units * (part + 1) / j.Parts);
        int i0 = u0 * MR, i1 = Math.Min(j.M, u1 * MR);
        if (i1 > i0) RunRows(ref j, i0, i1);
    }

    /// <summary>Rows i0..i1 of y (i0 a multiple of MR): every k-slice, MC-row block, NR-column panel and MR-row tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows(ref Job j, int i0, int i1)
    {
        int n = j.N, k = j.K, nr = j.Nr, padded = j.PaddedN;
        float* tile = stackalloc float[MR * PrepackedWeights.MaxPanelWidth];
        // -0 is the additive identity: a tile computed onto it holds the bare sums
        float* negativeZeros = stackalloc float[PrepackedWeights.MaxPanelWidth];
        new Span<float>(negativeZeros, PrepackedWeights.MaxPanelWidth).Fill(-0f);
        int gemmFull = j.GemmFullColumns;
        // the last row group when it has fewer than MR rows: its rows of x, zero-padded to MR (leading dimension k)
        int tailStart = i0 + (i1 - i0) / MR * MR;
        float* tail = null;
        if (tailStart < i1)
        {
            if (_tailRows is null || _tailRows.Length < MR * k) _tailRows = GC.AllocateUninitializedArray<float>(MR * k, pinned: true);
            tail = (float*)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_tailRows));
            var rows = new Span<float>(tail, MR * k);
            rows.Clear();
            new ReadOnlySpan<float>(j.X + (long)tailStart * k, (i1 - tailStart) * k).CopyTo(rows);
        }
        for (int pc = 0; pc < k; pc += PrepackedWeights.KC)
        {
            int kc = Math.Min(PrepackedWeights.KC, k - pc);
            bool first = pc == 0, last = pc + kc == k;
            bool relu = j.Relu && last;
            float* slice = j.Panels + (long)pc * padded;
            for (int ic = i0; ic < i1; ic += MC)
            {
                int icEnd = Math.Min(i1, ic + MC);
                for (int jr = 0; jr < n; jr += nr)
                {
                    int cols = Math.Min(nr, n - jr);
                    float* bp = slice + (long)jr * kc;
                    for (int ir = ic; ir < icEnd; ir += MR)
                    {
                        int rows = Math.Min(MR, icEnd - ir);
                        float* ap = rows == MR ? j.X + (long)ir * k + pc : tail + pc;
                        float* cp = j.Y + (long)ir * n + jr;
                        if (rows == MR && jr + nr <= gemmFull)
                        {
                            // inside the packed GEMM's full tiles: C (the bias on the first slice) + the slice's sums
                            if (first) Tile(nr, kc, ap, k, bp, j.Bias + jr, 0, cp, n, relu);
                            else Tile(nr, kc, ap, k, bp, cp, n, cp, n, relu);
                        }
                        else
                        {
                            // the bare sums in a scratch tile (a narrow last panel: only the vectors that hold its columns),
                            // then C + sums, where the packed GEMM's edge tiles add C + (0 + sums)
                            if (nr == 32 && cols <= 16) TileHalf512(kc, ap, k, bp, nr, negativeZeros, tile);
                            else Tile(nr, kc, ap, k, bp, negativeZeros, 0, tile, nr, false);
                            for (int r = 0; r < rows; r++)
                                for (int c = 0; c < cols; c++)
                                {
                                    float sums = tile[r * nr + c];
                                    if (rows < MR || jr + c >= gemmFull) sums = 0f + sums;
                                    float v = (first ? j.Bias[jr + c] : cp[(long)r * n + c]) + sums;
                                    cp[(long)r * n + c] = relu ? Relu(v) : v;
                                }
                        }
                    }
                }
            }
        }
    }

    /// <summary>max(v, 0) as <c>TensorPrimitives.Max(x, 0f)</c> computes it: NaN stays NaN, -0 becomes +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Relu(float v) => v > 0f || float.IsNaN(v) ? v : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Relu(Vector512<float> v) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero) | ~Vector512.Equals(v, v), v, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu(Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero) | ~Vector256.Equals(v, v), v, Vector256<float>.Zero);

    /// <summary>
    /// C tile (MR x nr, ld <paramref name="ldc"/>) = D + A (MR rows of x, ld <paramref name="lda"/>) times the packed B
    /// panel (kc x nr), D read at <paramref name="add"/> with row stride <paramref name="addLd"/> (0: one row for all);
    /// then max(., 0) when <paramref name="relu"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int nr, int kc, float* a, int lda, float* b, float* add, int addLd, float* c, int ldc, bool relu)
    {
        if (nr == 32) Tile512(kc, a, lda, b, 32, add, addLd, c, ldc, relu);
        else if (Vector256.IsHardwareAccelerated) Tile256(kc, a, lda, b, add, addLd, c, ldc, relu);
        else TileScalar(kc, a, lda, b, add, addLd, c, ldc, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512(int kc, float* a, int lda, float* b, int ldb, float* add, int addLd, float* c, int ldc, bool relu)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        float* a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda;
        for (int p = 0; p < kc; p++, b += ldb)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a0[p]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[p]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[p]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[p]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[p]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[p]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a6[p]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a7[p]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        Store512(add, c, c00, c01, relu); add += addLd; c += ldc;
        Store512(add, c, c10, c11, relu); add += addLd; c += ldc;
        Store512(add, c, c20, c21, relu); add += addLd; c += ldc;
        Store512(add, c, c30, c31, relu); add += addLd; c += ldc;
        Store512(add, c, c40, c41, relu); add += addLd; c += ldc;
        Store512(add, c, c50, c51, relu); add += addLd; c += ldc;
        Store512(add, c, c60, c61, relu); add += addLd; c += ldc;
        Store512(add, c, c70, c71, relu);
    }

    /// <summary>
    /// The first 16 columns of <see cref="Tile512"/> (B and the scratch tile with leading dimension <paramref name="ld"/>) plus
    /// D at <paramref name="add"/>: an edge panel with at most 16 columns, half the multiply-adds, the same per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileHalf512(int kc, float* a, int lda, float* b, int ld, float* add, float* tile)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        float* a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda;
        for (int p = 0; p < kc; p++, b += ld)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[p]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[p]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[p]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[p]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[p]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[p]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[p]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a7[p]), b0, c7);
        }
        var z = Vector512.Load(add);
        (z + c0).Store(tile); (z + c1).Store(tile + ld); (z + c2).Store(tile + 2 * ld); (z + c3).Store(tile + 3 * ld);
        (z + c4).Store(tile + 4 * ld); (z + c5).Store(tile + 5 * ld); (z + c6).Store(tile + 6 * ld); (z + c7).Store(tile + 7 * ld);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* add, float* c, Vector512<float> s0, Vector512<float> s1, bool relu)
    {
        var v0 = Vector512.Load(add) + s0; var v1 = Vector512.Load(add + 16) + s1;
        if (relu) { v0 = Relu(v0); v1 = Relu(v1); }
        v0.Store(c); v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256(int kc, float* a, int lda, float* b, float* add, int addLd, float* c, int ldc, bool relu)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> c60 = default, c61 = default, c70 = default, c71 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        float* a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda;
        for (int p = 0; p < kc; p++, b += 16)
        {
            var b0 = Vector256.Load(b); var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[p]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[p]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[p]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            x = Vector256.Create(a6[p]); c60 = Vector256.FusedMultiplyAdd(x, b0, c60); c61 = Vector256.FusedMultiplyAdd(x, b1, c61);
            x = Vector256.Create(a7[p]); c70 = Vector256.FusedMultiplyAdd(x, b0, c70); c71 = Vector256.FusedMultiplyAdd(x, b1, c71);
        }
        Store256(add, c, c00, c01, relu); add += addLd; c += ldc;
        Store256(add, c, c10, c11, relu); add += addLd; c += ldc;
        Store256(add, c, c20, c21, relu); add += addLd; c += ldc;
        Store256(add, c, c30, c31, relu); add += addLd; c += ldc;
        Store256(add, c, c40, c41, relu); add += addLd; c += ldc;
        Store256(add, c, c50, c51, relu); add += addLd; c += ldc;
        Store256(add, c, c60, c61, relu); add += addLd; c += ldc;
        Store256(add, c, c70, c71, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* add, float* c, Vector256<float> s0, Vector256<float> s1, bool relu)
    {
        var v0 = Vector256.Load(add) + s0; var v1 = Vector256.Load(add + 8) + s1;
        if (relu) { v0 = Relu(v0); v1 = Relu(v1); }
        v0.Store(c); v1.Store(c + 8);
    }

    /// <summary>Portable fallback with the same arithmetic (nr = 16).</summary>
    private static void TileScalar(int kc, float* a, int lda, float* b, float* add, int addLd, float* c, int ldc, bool relu)
    {
        const int nr = 16;
        float* acc = stackalloc float[MR * nr];
        new Span<float>(acc, MR * nr).Clear();
        for (int p = 0; p < kc; p++, b += nr)
            for (int r = 0; r < MR; r++)
            {
                float av = a[(long)r * lda + p];
                for (int q = 0; q < nr; q++) acc[r * nr + q] = MathF.FusedMultiplyAdd(av, b[q], acc[r * nr + q]);
            }
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < nr; q++)
            {
                float v = add[(long)r * addLd + q] + acc[r * nr + q];
                c[(long)r * ldc + q] = relu ? Relu(v) : v;
            }
    }
}
