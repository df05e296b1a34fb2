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
}
