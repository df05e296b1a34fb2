using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// One row times a row-major matrix, added: <c>c[j] += sum_p a[p] b[p, j]</c>, each element the in-order FMA chain over p
/// starting from c[j], exactly as <see cref="Gemm"/> computes a product with one row of A (the same bits), but eight
/// vectors of columns per pass (128 with AVX-512, 64 with AVX2: eight independent accumulators, enough to keep both
/// FMA pipes busy where the GEMM's loop, one vector wide without AVX-512, waits on the FMA latency). The recurrent inference path's per-step <c>h W_hh^T</c> at batch 1.
/// </summary>
internal static class RowTimesMatrix
{
    /// <summary>512-bit vectors where <see cref="FastPaths.Use512"/> says so (the one decision point for the width).</summary>
    internal static bool Use512 => FastPaths.Use512;

    /// <summary>c (n) += a (k) b (k, n), b's rows <paramref name="ldb"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, Span<float> c, int n, int k)
    {
        if (a.Length < k || c.Length < n || (k > 0 && b.Length < (long)(k - 1) * ldb + n))
            throw new ArgumentException($"RowTimesMatrix: spans too short for k={k}, n={n}, ldb={ldb}.");
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        int j = 0;
        if (Use512)
        {
            for (; j + 128 <= n; j += 128)
            {
                var c0 = Vector512.LoadUnsafe(ref cr, (nuint)j); var c1 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 16));
                var c2 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 32)); var c3 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 48));
                var c4 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 64)); var c5 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 80));
                var c6 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 96)); var c7 = Vector512.LoadUnsafe(ref cr, (nuint)(j + 112));
                nuint row = (nuint)j;
                for (int p = 0; p < k; p++, row += (nuint)ldb)
                {
                    var av = Vector512.Create(Unsafe.Add(ref ar, p));
                    c0 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row), c0);
                    c1 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 16), c1);
                    c2 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 32), c2);
                    c3 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 48), c3);
                    c4 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 64), c4);
                    c5 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 80), c5);
                    c6 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 96), c6);
                    c7 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref br, row + 112), c7);
                }
                c0.StoreUnsafe(ref cr, (nuint)j); c1.StoreUnsafe(ref cr, (nuint)(j + 16));
                c2.StoreUnsafe(ref cr, (nuint)(j + 32)); c3.StoreUnsafe(ref cr, (nuint)(j + 48));
                c4.StoreUnsafe(ref cr, (nuint)(j + 64)); c5.StoreUnsafe(ref cr, (nuint)(j + 80));
                c6.StoreUnsafe(ref cr, (nuint)(j + 96)); c7.StoreUnsafe(ref cr, (nuint)(j + 112));
            }
            for (; j + 16 <= n; j += 16)
            {
                var c0 = Vector512.LoadUnsafe(ref cr, (nuint)j);
                nuint row = (nuint)j;
                for (int p = 0; p < k; p++, row += (nuint)ldb)
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ar, p)), Vector512.LoadUnsafe(ref br, row), c0);
                c0.StoreUnsafe(ref cr, (nuint)j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 64 <= n; j += 64)
            {
                var c0 = Vector256.LoadUnsafe(ref cr, (nuint)j); var c1 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 8));
                var c2 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 16)); var c3 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 24));
                var c4 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 32)); var c5 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 40));
                var c6 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 48)); var c7 = Vector256.LoadUnsafe(ref cr, (nuint)(j + 56));
                nuint row = (nuint)j;
                for (int p = 0; p < k; p++, row += (nuint)ldb)
                {
                    var av = Vector256.Create(Unsafe.Add(ref ar, p));
                    c0 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row), c0);
                    c1 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 8), c1);
                    c2 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 16), c2);
                    c3 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 24), c3);
                    c4 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 32), c4);
                    c5 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 40), c5);
                    c6 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 48), c6);
                    c7 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref br, row + 56), c7);
                }
                c0.StoreUnsafe(ref cr, (nuint)j); c1.StoreUnsafe(ref cr, (nuint)(j + 8));
                c2.StoreUnsafe(ref cr, (nuint)(j + 16)); c3.StoreUnsafe(ref cr, (nuint)(j + 24));
                c4.StoreUnsafe(ref cr, (nuint)(j + 32)); c5.StoreUnsafe(ref cr, (nuint)(j + 40));
                c6.StoreUnsafe(ref cr, (nuint)(j + 48)); c7.StoreUnsafe(ref cr, (nuint)(j + 56));
            }
            for (; j + 8 <= n; j += 8)
            {
                var c0 = Vector256.LoadUnsafe(ref cr, (nuint)j);
                nuint row = (nuint)j;
                for (int p = 0; p < k; p++, row += (nuint)ldb)
                    c0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ar, p)), Vector256.LoadUnsafe(ref br, row), c0);
                c0.StoreUnsafe(ref cr, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            float s = Unsafe.Add(ref cr, j);
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(Unsafe.Add(ref ar, p), Unsafe.Add(ref br, p * ldb + j), s);
            Unsafe.Add(ref cr, j) = s;
        }
    }

    /// <summary>Columns of a panel of <see cref="Pack"/>: one pass of <see cref="Accumulate"/>'s widest loop (eight 512-bit vectors, or two passes of eight 256-bit ones).</summary>
    public const int PanelColumns = 128;

    /// <summary>Floats <see cref="Pack"/> writes for a (k, n) matrix: its first n / 128 * 128 columns.</summary>
    public static int PackedLength(int n, int k) => n / PanelColumns * PanelColumns * k;

    /// <summary>
    /// Copies the first n / 128 * 128 columns of b (k, n), rows <paramref name="ldb"/> apart, into panels of 128 columns,
    /// each (k, 128) row-major: what <see cref="AccumulatePacked"/> streams in order instead of 512 bytes of every row.
    /// </summary>
    public static void Pack(ReadOnlySpan<float> b, int ldb, int n, int k, Span<float> panels)
    {
        int full = n / PanelColumns;
        for (int q = 0; q < full; q++)
            for (int p = 0; p < k; p++)
                b.Slice(p * ldb + q * PanelColumns, PanelColumns).CopyTo(panels.Slice((q * k + p) * PanelColumns, PanelColumns));
    }

    /// <summary>
    /// <see cref="Accumulate"/> with the first n / 128 * 128 columns of b read from <paramref name="panels"/> (<see cref="Pack"/>):
    /// the same FMA chain for every element, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulatePacked(ReadOnlySpan<float> a, ReadOnlySpan<float> panels, ReadOnlySpan<float> b, int ldb, Span<float> c, int n, int k)
    {
        int full = n / PanelColumns;
        if (a.Length < k || c.Length < n || panels.Length < full * PanelColumns * k)
            throw new ArgumentException($"RowTimesMatrix: spans too short for k={k}, n={n}.");
        if (!Use512 && !Vector256.IsHardwareAccelerated) { Accumulate(a, b, ldb, c, n, k); return; }
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float cr = ref MemoryMarshal.GetReference(c);
        for (int q = 0; q < full; q++)
        {
            ref float panel = ref Unsafe.Add(ref MemoryMarshal.GetReference(panels), q * PanelColumns * k);
            ref float cq = ref Unsafe.Add(ref cr, q * PanelColumns);
            if (Use512) Panel512(ref ar, ref panel, ref cq, k);
            else { Panel256(ref ar, ref panel, ref cq, k); Panel256(ref ar, ref Unsafe.Add(ref panel, 64), ref Unsafe.Add(ref cq, 64), k); }
        }
        int done = full * PanelColumns;
        if (done < n) Accumulate(a, b.Slice(done), ldb, c.Slice(done), n - done, k);
    }

    /// <summary>c (128) += a (k) panel (k, 128): eight 512-bit accumulators, the panel read in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel512(ref float a, ref float panel, ref float c, int k)
    {
        var c0 = Vector512.LoadUnsafe(ref c); var c1 = Vector512.LoadUnsafe(ref c, 16);
        var c2 = Vector512.LoadUnsafe(ref c, 32); var c3 = Vector512.LoadUnsafe(ref c, 48);
        var c4 = Vector512.LoadUnsafe(ref c, 64); var c5 = Vector512.LoadUnsafe(ref c, 80);
        var c6 = Vector512.LoadUnsafe(ref c, 96); var c7 = Vector512.LoadUnsafe(ref c, 112);
        nuint row = 0;
        for (int p = 0; p < k; p++, row += PanelColumns)
        {
            var av = Vector512.Create(Unsafe.Add(ref a, p));
            c0 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row), c0);
            c1 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 32), c2);
            c3 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 48), c3);
            c4 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 64), c4);
            c5 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 80), c5);
            c6 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 96), c6);
            c7 = Vector512.FusedMultiplyAdd(av, Vector512.LoadUnsafe(ref panel, row + 112), c7);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref c, 16); c2.StoreUnsafe(ref c, 32); c3.StoreUnsafe(ref c, 48);
        c4.StoreUnsafe(ref c, 64); c5.StoreUnsafe(ref c, 80); c6.StoreUnsafe(ref c, 96); c7.StoreUnsafe(ref c, 112);
    }

    /// <summary>c (64) += a (k) times 64 columns of a panel (rows 128 apart): eight 256-bit accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel256(ref float a, ref float panel, ref float c, int k)
    {
        var c0 = Vector256.LoadUnsafe(ref c); var c1 = Vector256.LoadUnsafe(ref c, 8);
        var c2 = Vector256.LoadUnsafe(ref c, 16); var c3 = Vector256.LoadUnsafe(ref c, 24);
        var c4 = Vector256.LoadUnsafe(ref c, 32); var c5 = Vector256.LoadUnsafe(ref c, 40);
        var c6 = Vector256.LoadUnsafe(ref c, 48); var c7 = Vector256.LoadUnsafe(ref c, 56);
        nuint row = 0;
        for (int p = 0; p < k; p++, row += PanelColumns)
        {
            var av = Vector256.Create(Unsafe.Add(ref a, p));
            c0 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row), c0);
            c1 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 8), c1);
            c2 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 16), c2);
            c3 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 24), c3);
            c4 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 32), c4);
            c5 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 40), c5);
            c6 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 48), c6);
            c7 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref panel, row + 56), c7);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref c, 8); c2.StoreUnsafe(ref c, 16); c3.StoreUnsafe(ref c, 24);
        c4.StoreUnsafe(ref c, 32); c5.StoreUnsafe(ref c, 40); c6.StoreUnsafe(ref c, 48); c7.StoreUnsafe(ref c, 56);
    }
}
