using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// Register-blocked microkernels: an 8-row by NR-column tile of C accumulated in registers over one packed
/// k-panel, one FMA per (row, vector) per step of k, then added to C. NR is two vectors wide (32 with
/// Vector512, 16 with Vector256 or scalar; <see cref="FastPaths.Use512"/> chooses). Every element of the tile is <c>c + sum_p a_p b_p</c> with the sum
/// taken in order of p, so the three variants give identical results.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 8;

    /// <summary>Widest register tile (columns), the size of an edge tile's scratch row.</summary>
    public const int MaxNR = 32;

    /// <summary>
    /// Columns of the register tile for the width <see cref="FastPaths.Use512"/> chooses on this thread: 32 with 512-bit
    /// vectors, else 16. A product reads it once and passes it down (the parallel parts run on other threads).
    /// </summary>
    public static int NR => FastPaths.Use512 ? 32 : 16;

    /// <summary>C tile (MR x <paramref name="nr"/>, leading dimension ldc) += A panel (kc x MR) B panel (kc x nr); nr from <see cref="NR"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int nr)
    {
        if (nr == 32) Kernel512(kc, a, b, c, ldc);
        else if (Vector256.IsHardwareAccelerated) Kernel256(kc, a, b, c, ldc);
        else KernelScalar(kc, a, b, c, ldc);
    }

    /// <summary>C[8 x 32] (ld <paramref name="ldc"/>) += packed A (kc x 8) times packed B (kc x 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a, float* b, float* c, int ldc)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * 16)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(a6, b0, c60); c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(a7, b0, c70); c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
        }
        { float* cr = c + 0 * (long)ldc; (Vector512.Load(cr) + c00).Store(cr); (Vector512.Load(cr + 16) + c01).Store(cr + 16); }
        { float* cr = c + 1 * (long)ldc; (Vector512.Load(cr) + c10).Store(cr); (Vector512.Load(cr + 16) + c11).Store(cr + 16); }
        { float* cr = c + 2 * (long)ldc; (Vector512.Load(cr) + c20).Store(cr); (Vector512.Load(cr + 16) + c21).Store(cr + 16); }
        { float* cr = c + 3 * (long)ldc; (Vector512.Load(cr) + c30).Store(cr); (Vector512.Load(cr + 16) + c31).Store(cr + 16); }
        { float* cr = c + 4 * (long)ldc; (Vector512.Load(cr) + c40).Store(cr); (Vector512.Load(cr + 16) + c41).Store(cr + 16); }
        { float* cr = c + 5 * (long)ldc; (Vector512.Load(cr) + c50).Store(cr); (Vector512.Load(cr + 16) + c51).Store(cr + 16); }
        { float* cr = c + 6 * (long)ldc; (Vector512.Load(cr) + c60).Store(cr); (Vector512.Load(cr + 16) + c61).Store(cr + 16); }
        { float* cr = c + 7 * (long)ldc; (Vector512.Load(cr) + c70).Store(cr); (Vector512.Load(cr + 16) + c71).Store(cr + 16); }
    }

    /// <summary>C[8 x 16] (ld <paramref name="ldc"/>) += packed A (kc x 8) times packed B (kc x 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a, float* b, float* c, int ldc)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        Vector256<float> c60 = default, c61 = default;
        Vector256<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * 8)
        {
            var b0 = Vector256.Load(b); var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(a4, b0, c40); c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(a5, b0, c50); c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector256.Create(a[6]); c60 = Vector256.FusedMultiplyAdd(a6, b0, c60); c61 = Vector256.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector256.Create(a[7]); c70 = Vector256.FusedMultiplyAdd(a7, b0, c70); c71 = Vector256.FusedMultiplyAdd(a7, b1, c71);
        }
        { float* cr = c + 0 * (long)ldc; (Vector256.Load(cr) + c00).Store(cr); (Vector256.Load(cr + 8) + c01).Store(cr + 8); }
        { float* cr = c + 1 * (long)ldc; (Vector256.Load(cr) + c10).Store(cr); (Vector256.Load(cr + 8) + c11).Store(cr + 8); }
        { float* cr = c + 2 * (long)ldc; (Vector256.Load(cr) + c20).Store(cr); (Vector256.Load(cr + 8) + c21).Store(cr + 8); }
        { float* cr = c + 3 * (long)ldc; (Vector256.Load(cr) + c30).Store(cr); (Vector256.Load(cr + 8) + c31).Store(cr + 8); }
        { float* cr = c + 4 * (long)ldc; (Vector256.Load(cr) + c40).Store(cr); (Vector256.Load(cr + 8) + c41).Store(cr + 8); }
        { float* cr = c + 5 * (long)ldc; (Vector256.Load(cr) + c50).Store(cr); (Vector256.Load(cr + 8) + c51).Store(cr + 8); }
        { float* cr = c + 6 * (long)ldc; (Vector256.Load(cr) + c60).Store(cr); (Vector256.Load(cr + 8) + c61).Store(cr + 8); }
        { float* cr = c + 7 * (long)ldc; (Vector256.Load(cr) + c70).Store(cr); (Vector256.Load(cr + 8) + c71).Store(cr + 8); }
    }

    /// <summary>Portable fallback with the same arithmetic (NR = 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelScalar(int kc, float* a, float* b, float* c, int ldc)
    {
        const int nr = 16;
        float* acc = stackalloc float[MR * nr];
        new Span<float>(acc, MR * nr).Clear();
        for (int p = 0; p < kc; p++, a += MR, b += nr)
            for (int r = 0; r < MR; r++)
                for (int j = 0; j < nr; j++) acc[r * nr + j] = MathF.FusedMultiplyAdd(a[r], b[j], acc[r * nr + j]);
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < nr; j++) c[r * (long)ldc + j] += acc[r * nr + j];
    }
}
