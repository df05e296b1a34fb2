using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Kernels;

/// <summary>Direct loops for small products (no packing, no setup): C += op(A) op(B). Each element sums over p in order.</summary>
internal static unsafe class GemmSmall
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        if ((n < 8 || (long)m * n * k <= 512) && !(n == 1 && (long)m * k > 4096))
        {
            // Tiny: one FMA chain per element, no calls (the seed's 2- and 10-wide layers live here).
            long ars = transA ? 1 : lda, acs = transA ? lda : 1, brs = transB ? 1 : ldb, bcs = transB ? ldb : 1;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float s = 0f;
                    float* ai = a + i * ars, bj = b + j * bcs;
                    for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[p * acs], bj[p * brs], s);
                    c[(long)i * ldc + j] += s;
                }
            return;
        }
        if (n == 1)
        {
            // Matrix-vector product: C[:,0] += op(A) x, where x[p] = op(B)[p,0].
            long xStride = transB ? 1 : ldb;
            if (transA)
            {
                // op(A)[i,p] = a[p*lda + i]: add x[p] times row p of a into C's column.
                for (int p = 0; p < k; p++)
                {
                    float xp = b[p * xStride];
                    float* ap = a + (long)p * lda;
                    if (ldc == 1) Axpy(xp, ap, c, m);
                    else for (int i = 0; i < m; i++) c[(long)i * ldc] = MathF.FusedMultiplyAdd(xp, ap[i], c[(long)i * ldc]);
                }
                return;
            }
            if (transB)
                for (int i = 0; i < m; i++) c[(long)i * ldc] += Dot(a + (long)i * lda, b, k);
            else
                for (int i = 0; i < m; i++)
                {
                    float s = 0f;
                    float* ai = a + (long)i * lda;
                    for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[p], b[(long)p * ldb], s);
                    c[(long)i * ldc] += s;
                }
            return;
        }
        if (!transB)
        {
            // C[i,:] += op(A)[i,p] * B[p,:]  (rows of B are contiguous)
            for (int i = 0; i < m; i++)
            {
                float* ci = c + (long)i * ldc;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    Axpy(av, b + (long)p * ldb, ci, n);
                }
            }
        }
        else if (!transA)
        {
            // C[i,j] += dot(A[i,:], B[j,:])
            for (int i = 0; i < m; i++)
            {
                float* ai = a + (long)i * lda, ci = c + (long)i * ldc;
                for (int j = 0; j < n; j++) ci[j] += Dot(ai, b + (long)j * ldb, k);
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float s = 0f;
                    float* bj = b + (long)j * ldb;
                    for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[(long)p * lda + i], bj[p], s);
                    c[(long)i * ldc + j] += s;
                }
        }
    }

    /// <summary>y[0..n) += alpha x[0..n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(float alpha, float* x, float* y, int n)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var va = Vector512.Create(alpha);
            for (; j <= n - 16; j += 16) Vector512.FusedMultiplyAdd(va, Vector512.Load(x + j), Vector512.Load(y + j)).Store(y + j);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var va = Vector256.Create(alpha);
            for (; j <= n - 8; j += 8) Vector256.FusedMultiplyAdd(va, Vector256.Load(x + j), Vector256.Load(y + j)).Store(y + j);
        }
        for (; j < n; j++) y[j] = MathF.FusedMultiplyAdd(alpha, x[j], y[j]);
    }

    /// <summary>Dot product of length n (lane sums reduced in a fixed order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* x, float* y, int n)
    {
        int p = 0;
        float s = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; p <= n - 16; p += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), acc);
            s = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; p <= n - 8; p += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc);
            s = Vector256.Sum(acc);
        }
        for (; p < n; p++) s = MathF.FusedMultiplyAdd(x[p], y[p], s);
        return s;
    }
}
