using System.Numerics.Tensors;

namespace Hindsight.Kernels;

/// <summary>
/// Single-precision matrix product on row-major spans (BLAS sgemm semantics):
/// effectively computes <c>C[m,n] = (accumulate ? C : 0) + sum_p op(A)[m,p] * op(B)[p,n]</c>,
/// where <c>op(A)</c> is A or its transpose. Leading dimensions are row strides.
/// Every output element is reduced in the same order whatever the thread count, so results are deterministic.
/// </summary>
public static class Gemm
{
    /// <summary>Runs the product. <paramref name="a"/> is (m,k) or, transposed, (k,m); <paramref name="b"/> is (k,n) or (n,k).</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0) return;
        if (!accumulate)
            for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
        if (k == 0) return;
        if (!transA && !transB)
        {
            // C[i,:] += A[i,p] * B[p,:]
            for (int i = 0; i < m; i++)
            {
                var ci = c.Slice(i * ldc, n);
                var ai = a.Slice(i * lda, k);
                for (int p = 0; p < k; p++)
                {
                    float aip = ai[p];
                    if (aip != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, ci, ci);
                }
            }
        }
        else if (!transA && transB)
        {
            // C[i,j] += dot(A[i,:], B[j,:])
            for (int i = 0; i < m; i++)
            {
                var ai = a.Slice(i * lda, k);
                var ci = c.Slice(i * ldc, n);
                for (int j = 0; j < n; j++) ci[j] += TensorPrimitives.Dot(ai, b.Slice(j * ldb, k));
            }
        }
        else if (transA && !transB)
        {
            // C[i,:] += A[p,i] * B[p,:]
            for (int i = 0; i < m; i++)
            {
                var ci = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    float api = a[p * lda + i];
                    if (api != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), api, ci, ci);
                }
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[p * lda + i] * b[j * ldb + p];
                    c[i * ldc + j] += s;
                }
        }
    }

    /// <summary>Naive triple loop with double accumulation: the reference the fast kernel is tested against.</summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
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
}
