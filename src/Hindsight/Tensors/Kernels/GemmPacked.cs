using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Hindsight.Tensors.Kernels.GemmMicroKernel;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// Cache-blocked GEMM (the BLIS/GotoBLAS loop nest): for each NC-column block of C and KC-slice of k, B is packed
/// into NR-wide panels (kept in L2), then for each MC-row block A is packed into MR-tall panels and the
/// microkernel sweeps the tiles. Edge tiles are computed into a zero-padded scratch tile with the same kernel.
/// Computes C += op(A) op(B) (C already cleared by the caller when not accumulating).
/// </summary>
internal static unsafe class GemmPacked
{
    private const int KC = 256, MC = 96, NC = 1024;

    [ThreadStatic] private static float[]? _packA, _packB, _tile;
    /// <summary>Which B the thread's packed-B buffer holds whole (one k-slice, one column block), or null.</summary>
    [ThreadStatic] private static float* _packedB;
    [ThreadStatic] private static int _packedLdb, _packedK, _packedN;
    [ThreadStatic] private static bool _packedTransB;
    [ThreadStatic] private static int _packedNr;

    /// <summary>
    /// Single-threaded product. <paramref name="sameB"/>: the caller guarantees B's contents are unchanged since its
    /// previous product on this thread (a recurrence multiplying by the same weights every time step); then, when
    /// this thread's packed-B buffer still holds exactly that B, it is not packed again (same values, same result).
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool sameB = false)
        => Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, NR, sameB);

    /// <summary><see cref="Run(bool, bool, int, int, int, float*, int, float*, int, float*, int, bool)"/> with the register tile's width <paramref name="nr"/> (16 or 32) given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, int nr, bool sameB)
    {
        float* pa = Pinned(ref _packA, MC * KC), pb = Pinned(ref _packB, KC * (NC + MaxNR)), tile = Pinned(ref _tile, MR * MaxNR);
        bool whole = k <= KC && n <= NC;
        bool reuse = sameB && whole && _packedB == b && _packedLdb == ldb && _packedK == k && _packedN == n && _packedTransB == transB
            && _packedNr == nr;
        _packedB = null;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                if (!reuse) PackB(transB, b, ldb, pc, jc, kc, nc, nr, pb);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    PackA(transA, a, lda, ic, pc, mc, kc, pa);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bp = pb + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            int rows = Math.Min(MR, mc - ir);
                            float* cp = c + (long)(ic + ir) * ldc + jc + jr;
                            float* ap = pa + (long)ir * kc;
                            if (rows == MR && cols == nr) GemmMicroKernel.Run(kc, ap, bp, cp, ldc, nr);
                            else
                            {
                                new Span<float>(tile, MR * nr).Clear();
                                GemmMicroKernel.Run(kc, ap, bp, tile, nr, nr);
                                for (int r = 0; r < rows; r++)
                                    for (int j = 0; j < cols; j++) cp[(long)r * ldc + j] += tile[r * nr + j];
                            }
                        }
                    }
                }
            }
        }
        if (whole) { _packedB = b; _packedLdb = ldb; _packedK = k; _packedN = n; _packedTransB = transB; _packedNr = nr; }
    }

    /// <summary>
    /// Splits C into <see cref="KernelThreads.Count"/> disjoint column ranges (or row ranges when C is narrow), aligned
    /// to the register tile, and runs <see cref="Run(bool, bool, int, int, int, float*, int, float*, int, float*, int, bool)"/> on each; the k sum is never split, so results do not depend on
    /// the thread count.
    /// </summary>
    public static void RunParallel(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        int threads = KernelThreads.Count;
        int nr = NR;   // this thread's width decision, carried to the parts (a worker's switches may differ)
        bool byColumns = n >= m || m < 2 * MR * threads;   // split the longer side of C
        int units = byColumns ? (n + nr - 1) / nr : (m + MR - 1) / MR;
        // Four parts per thread: a thread that starts late still finds work, and a thread descheduled in the middle
        // of a part (on a busy machine) holds back only a small piece.
        int parts = Math.Min(4 * threads, units);
        if (parts < 2 || !KernelThreads.TryBegin())
        {
            Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, nr, sameB: false);
            return;
        }
        var job = new Job
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc,
            ByColumns = byColumns, Units = units, Parts = parts, Nr = nr,
        };
        KernelThreads.Execute(&RunPart, &job, parts);
    }

    private struct Job
    {
        public bool TransA, TransB, ByColumns;
        public int M, N, K, Lda, Ldb, Ldc, Units, Parts, Nr;
        public float* A, B, C;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void RunPart(void* state, int part)
    {
        ref Job j = ref Unsafe.AsRef<Job>(state);
        int u0 = (int)((long)j.Units * part / j.Parts), u1 = (int)((long)j.Units * (part + 1) / j.Parts);
        if (j.ByColumns)
        {
            int nr = j.Nr, j0 = u0 * nr, j1 = Math.Min(j.N, u1 * nr);
            if (j1 <= j0) return;
            float* b = j.TransB ? j.B + (long)j0 * j.Ldb : j.B + j0;
            Run(j.TransA, j.TransB, j.M, j1 - j0, j.K, j.A, j.Lda, b, j.Ldb, j.C + j0, j.Ldc, nr, sameB: false);
        }
        else
        {
            int i0 = u0 * MR, i1 = Math.Min(j.M, u1 * MR);
            if (i1 <= i0) return;
            float* a = j.TransA ? j.A + i0 : j.A + (long)i0 * j.Lda;
            Run(j.TransA, j.TransB, i1 - i0, j.N, j.K, a, j.Lda, j.B, j.Ldb, j.C + (long)i0 * j.Ldc, j.Ldc, j.Nr, sameB: false);
        }
    }

    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc) into MR-row panels: panel q holds, for each p, MR consecutive values (zero-padded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (transA)
            {
                // op(A)[i,p] = a[p*lda + i]: MR values of one p are contiguous.
                float* src = a + (long)pc * lda + ic + ir;
                if (rows == MR)
                    for (int p = 0; p < kc; p++) Vector256.Store(Vector256.Load(src + (long)p * lda), panel + p * MR);
                else
                    for (int p = 0; p < kc; p++)
                        for (int r = 0; r < MR; r++) panel[p * MR + r] = r < rows ? src[(long)p * lda + r] : 0f;
            }
            else
            {
                // op(A)[i,p] = a[i*lda + p]: 8x8 register transposes, then the tail of p (or a short panel) one by one.
                int p0 = 0;
                if (rows == MR && Avx.IsSupported)
                    for (; p0 + 8 <= kc; p0 += 8) Transpose8x8(a + (long)(ic + ir) * lda + pc + p0, lda, panel + p0 * MR, MR);
                for (int r = 0; r < MR; r++)
                {
                    if (r < rows)
                    {
                        float* src = a + (long)(ic + ir + r) * lda + pc;
                        for (int p = p0; p < kc; p++) panel[p * MR + r] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) panel[p * MR + r] = 0f;
                }
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc) into NR-column panels: panel q holds, for each p, NR consecutive values (zero-padded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (!transB)
            {
                // op(B)[p,j] = b[p*ldb + j]: NR values of one p are contiguous.
                float* src = b + (long)pc * ldb + jc + jr;
                if (cols == nr)
                    for (int p = 0; p < kc; p++) new ReadOnlySpan<float>(src + (long)p * ldb, nr).CopyTo(new Span<float>(panel + p * nr, nr));
                else
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < nr; j++) panel[p * nr + j] = j < cols ? src[(long)p * ldb + j] : 0f;
            }
            else
            {
                // op(B)[p,j] = b[j*ldb + p]: 8x8 register transposes over full groups of 8 columns, the rest one by one.
                int fullGroups = Avx.IsSupported ? cols / 8 : 0, p8 = kc & ~7;
                for (int g = 0; g < fullGroups; g++)
                    for (int p = 0; p < p8; p += 8)
                        Transpose8x8(b + (long)(jc + jr + 8 * g) * ldb + pc + p, ldb, panel + p * nr + 8 * g, nr);
                for (int j = 0; j < nr; j++)
                {
                    if (j < cols)
                    {
                        float* src = b + (long)(jc + jr + j) * ldb + pc;
                        for (int p = j < 8 * fullGroups ? p8 : 0; p < kc; p++) panel[p * nr + j] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
                }
            }
        }
    }

    /// <summary>Writes the transpose of the 8x8 block at <paramref name="src"/> (row stride <paramref name="srcStride"/>): dst[p*dstStride + r] = src[r*srcStride + p].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride); var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride); var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride); var r7 = Avx.LoadVector256(src + 7 * srcStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>A pinned per-thread scratch array of at least <paramref name="length"/> floats, as a pointer.</summary>
    private static float* Pinned(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }
}
