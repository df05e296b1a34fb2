using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

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
            if (k == 1)
            {
                // Outer product: c += a_i b_j (the same rounding as a one-term FMA chain added to c).
                for (int i = 0; i < m; i++)
                {
                    float ai = a[i * ars];
                    float* ci = c + (long)i * ldc;
                    for (int j = 0; j < n; j++) ci[j] += ai * b[j * bcs];
                }
                return;
            }
            int i0 = 0;
            if (n == 1)
                // A column of C: two rows at a time (each an in-order FMA chain over p from zero).
                for (; i0 + 2 <= m; i0 += 2)
                {
                    float s0 = 0f, s1 = 0f;
                    float* a0 = a + i0 * ars, a1 = a0 + ars, bp = b;
                    for (int p = 0; p < k; p++, a0 += acs, a1 += acs, bp += brs)
                    {
                        float bv = *bp;
                        s0 = MathF.FusedMultiplyAdd(*a0, bv, s0);
                        s1 = MathF.FusedMultiplyAdd(*a1, bv, s1);
                    }
                    c[(long)i0 * ldc] += s0;
                    c[(long)(i0 + 1) * ldc] += s1;
                }
            for (int i = i0; i < m; i++)
            {
                int j = 0;
                // Two independent chains at a time (each still an in-order FMA chain over p from zero).
                for (; j + 2 <= n; j += 2)
                {
                    float s0 = 0f, s1 = 0f;
                    float* ap = a + i * ars, b0 = b + j * bcs, b1 = b0 + bcs;
                    for (int p = 0; p < k; p++, ap += acs, b0 += brs, b1 += brs)
                    {
                        float av = *ap;
                        s0 = MathF.FusedMultiplyAdd(av, *b0, s0);
                        s1 = MathF.FusedMultiplyAdd(av, *b1, s1);
                    }
                    c[(long)i * ldc + j] += s0;
                    c[(long)i * ldc + j + 1] += s1;
                }
                for (; j < n; j++)
                {
                    float s = 0f;
                    float* ap = a + i * ars, bp = b + j * bcs;
                    for (int p = 0; p < k; p++, ap += acs, bp += brs) s = MathF.FusedMultiplyAdd(*ap, *bp, s);
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        bool wide = FastPaths.Use512;
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
                    if (ldc == 1) Axpy(xp, ap, c, m, wide);
                    else for (int i = 0; i < m; i++) c[(long)i * ldc] = MathF.FusedMultiplyAdd(xp, ap[i], c[(long)i * ldc]);
                }
                return;
            }
            if (transB)
                for (int i = 0; i < m; i++) c[(long)i * ldc] += Dot(a + (long)i * lda, b, k, wide);
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
            long ars = transA ? 1 : lda, acs = transA ? lda : 1;
            for (int i = 0; i < m; i++)
                RowTimesMatrix(a + i * ars, acs, b, ldb, c + (long)i * ldc, n, k, wide);
        }
        else if (!transA)
        {
            // C[i,j] += dot(A[i,:], B[j,:]), four rows of B at a time.
            for (int i = 0; i < m; i++)
            {
                float* ai = a + (long)i * lda, ci = c + (long)i * ldc;
                int j = 0;
                if (wide)
                    for (; j + 4 <= n; j += 4) Dot4(ai, b + (long)j * ldb, ldb, k, ci + j);
                for (; j < n; j++) ci[j] += Dot(ai, b + (long)j * ldb, k, wide);
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

    /// <summary>
    /// c[0..n) += sum_p a[p*aStride] b[p*ldb + 0..n): 64 columns at a time kept in registers over all of p, then 16,
    /// then one by one (each element is c + an in-order FMA chain over p).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesMatrix(float* a, long aStride, float* b, int ldb, float* c, int n, int k, bool wide)
    {
        int j = 0;
        if (wide)
        {
            for (; j + 64 <= n; j += 64)
            {
                var c0 = Vector512.Load(c + j); var c1 = Vector512.Load(c + j + 16);
                var c2 = Vector512.Load(c + j + 32); var c3 = Vector512.Load(c + j + 48);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var av = Vector512.Create(a[p * aStride]);
                    c0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp), c0);
                    c1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 16), c1);
                    c2 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 32), c2);
                    c3 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 48), c3);
                }
                c0.Store(c + j); c1.Store(c + j + 16); c2.Store(c + j + 32); c3.Store(c + j + 48);
            }
            for (; j + 16 <= n; j += 16)
            {
                var c0 = Vector512.Load(c + j);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[p * aStride]), Vector512.Load(bp), c0);
                c0.Store(c + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= n; j += 8)
            {
                var c0 = Vector256.Load(c + j);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[p * aStride]), Vector256.Load(bp), c0);
                c0.Store(c + j);
            }
        for (; j < n; j++)
        {
            float s = c[j];
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[p * aStride], b[(long)p * ldb + j], s);
            c[j] = s;
        }
    }

    /// <summary>
    /// c[0..4) += dot(x, rows 0..3 of y) (row stride ldy), with four independent accumulators; each the same bits as
    /// <see cref="Dot"/> gives it (the same 16 lane sums, the same reduction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(float* x, float* y, int ldy, int n, float* c)
    {
        float* y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
        var a0 = Vector512<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
        int p = 0;
        for (; p + 16 <= n; p += 16)
        {
            var xv = Vector512.Load(x + p);
            a0 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y + p), a0);
            a1 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y1 + p), a1);
            a2 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y2 + p), a2);
            a3 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y3 + p), a3);
        }
        if (p + 8 <= n)
        {
            // One 8-wide step of the tail, added into the low half of the 16-wide accumulators.
            var xv = Vector256.Load(x + p);
            a0 += Vector256.FusedMultiplyAdd(xv, Vector256.Load(y + p), Vector256<float>.Zero).ToVector512();
            a1 += Vector256.FusedMultiplyAdd(xv, Vector256.Load(y1 + p), Vector256<float>.Zero).ToVector512();
            a2 += Vector256.FusedMultiplyAdd(xv, Vector256.Load(y2 + p), Vector256<float>.Zero).ToVector512();
            a3 += Vector256.FusedMultiplyAdd(xv, Vector256.Load(y3 + p), Vector256<float>.Zero).ToVector512();
            p += 8;
        }
        float s0 = Reduce(a0.GetLower(), a0.GetUpper()), s1 = Reduce(a1.GetLower(), a1.GetUpper());
        float s2 = Reduce(a2.GetLower(), a2.GetUpper()), s3 = Reduce(a3.GetLower(), a3.GetUpper());
        for (; p < n; p++)
        {
            float xv = x[p];
            s0 = MathF.FusedMultiplyAdd(xv, y[p], s0); s1 = MathF.FusedMultiplyAdd(xv, y1[p], s1);
            s2 = MathF.FusedMultiplyAdd(xv, y2[p], s2); s3 = MathF.FusedMultiplyAdd(xv, y3[p], s3);
        }
        c[0] += s0; c[1] += s1; c[2] += s2; c[3] += s3;
    }

    /// <summary>y[0..n) += alpha x[0..n) (one FMA per element at every width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(float alpha, float* x, float* y, int n, bool wide)
    {
        int j = 0;
        if (wide && n >= 16)
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

    /// <summary>
    /// Dot product of length n: 16 lane sums (lane l sums the products p = l mod 16 of the whole 16-blocks, in order,
    /// then one 8-wide step of the tail into lanes 0-7), reduced by <see cref="Reduce"/>, then the last 0-7 products
    /// one FMA at a time. The same bits with 512-bit vectors (one accumulator), 256-bit ones (two) and without (scalar).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* x, float* y, int n, bool wide)
    {
        int p = 0;
        float s = 0f;
        if (wide && n >= 8)
        {
            var acc = Vector512<float>.Zero;
            for (; p + 16 <= n; p += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), acc);
            if (p + 8 <= n) { acc += Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), Vector256<float>.Zero).ToVector512(); p += 8; }
            s = Reduce(acc.GetLower(), acc.GetUpper());
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> lo = Vector256<float>.Zero, hi = lo;
            for (; p + 16 <= n; p += 16)
            {
                lo = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), lo);
                hi = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 8), Vector256.Load(y + p + 8), hi);
            }
            if (p + 8 <= n) { lo += Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), Vector256<float>.Zero); hi += Vector256<float>.Zero; p += 8; }
            s = Reduce(lo, hi);
        }
        else if (n >= 8)
        {
            float* acc = stackalloc float[16];
            for (int l = 0; l < 16; l++) acc[l] = 0f;
            for (; p + 16 <= n; p += 16)
                for (int l = 0; l < 16; l++) acc[l] = MathF.FusedMultiplyAdd(x[p + l], y[p + l], acc[l]);
            if (p + 8 <= n)
            {
                for (int l = 0; l < 8; l++) acc[l] += MathF.FusedMultiplyAdd(x[p + l], y[p + l], 0f);
                for (int l = 8; l < 16; l++) acc[l] += 0f;
                p += 8;
            }
            s = ReduceScalar(acc);
        }
        for (; p < n; p++) s = MathF.FusedMultiplyAdd(x[p], y[p], s);
        return s;
    }

    /// <summary>
    /// The sum of 16 lanes given as two halves, in a fixed order: t = lo + hi (8 lanes), u = t[0..4) + t[4..8),
    /// then (u0 + u1) + (u2 + u3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> lo, Vector256<float> hi)
    {
        var t = lo + hi;
        var u = t.GetLower() + t.GetUpper();
        return (u.GetElement(0) + u.GetElement(1)) + (u.GetElement(2) + u.GetElement(3));
    }

    /// <summary><see cref="Reduce"/> on 16 floats in memory (the same additions in the same order).</summary>
    private static float ReduceScalar(float* acc)
    {
        float u0 = (acc[0] + acc[8]) + (acc[4] + acc[12]), u1 = (acc[1] + acc[9]) + (acc[5] + acc[13]);
        float u2 = (acc[2] + acc[10]) + (acc[6] + acc[14]), u3 = (acc[3] + acc[11]) + (acc[7] + acc[15]);
        return (u0 + u1) + (u2 + u3);
    }
}
