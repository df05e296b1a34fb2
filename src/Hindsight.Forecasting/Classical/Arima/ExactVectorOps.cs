using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// Element-wise loops of the Kalman filter and Q0 in SIMD with exactly the scalar operations of R's C loops (a multiply
/// then an add, never fused), so each element is bit-identical to the scalar code.
/// </summary>
internal static class ExactVectorOps
{
    /// <summary><c>dst[i] = a * x[i] + y[i]</c>.</summary>
    public static void ScaleAdd(ReadOnlySpan<double> x, double a, ReadOnlySpan<double> y, Span<double> dst)
    {
        int n = dst.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y), rd = ref MemoryMarshal.GetReference(dst);
            var va = Vector256.Create(a);
            for (; i <= n - 4; i += 4)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref rx, (nuint)i) * va + Vector256.LoadUnsafe(ref ry, (nuint)i), ref rd, (nuint)i);
        }
        for (; i < n; i++) dst[i] = a * x[i] + y[i];
    }

    /// <summary><c>acc[i] = acc[i] + a * x[i]</c>.</summary>
    public static void AddScaled(Span<double> acc, double a, ReadOnlySpan<double> x)
    {
        int n = acc.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rx = ref MemoryMarshal.GetReference(x), racc = ref MemoryMarshal.GetReference(acc);
            var va = Vector256.Create(a);
            for (; i <= n - 4; i += 4)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref racc, (nuint)i) + va * Vector256.LoadUnsafe(ref rx, (nuint)i), ref racc, (nuint)i);
        }
        for (; i < n; i++) acc[i] += a * x[i];
    }

    /// <summary><c>acc[i] = (acc[i] + a[0] * x[0][i]) + a[1] * x[1][i] + ...</c> over the <c>a.Length</c> columns of
    /// <paramref name="x"/> (column c at <c>c * acc.Length</c>), in that order: the same sums as that many
    /// <see cref="AddScaled"/> calls, in one pass.</summary>
    public static void AddScaledColumns(Span<double> acc, ReadOnlySpan<double> a, ReadOnlySpan<double> x)
    {
        int n = acc.Length, k = a.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rx = ref MemoryMarshal.GetReference(x), racc = ref MemoryMarshal.GetReference(acc);
            for (; i <= n - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref racc, (nuint)i);
                for (int c = 0; c < k; c++) v += Vector256.Create(a[c]) * Vector256.LoadUnsafe(ref rx, (nuint)(c * n + i));
                Vector256.StoreUnsafe(v, ref racc, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double v = acc[i];
            for (int c = 0; c < k; c++) v += a[c] * x[c * n + i];
            acc[i] = v;
        }
    }

    /// <summary><c>dst[i] = src[i] - m[i] * mj / gain</c> (the product first, then the division, as R).</summary>
    public static void SubtractOuter(ReadOnlySpan<double> src, ReadOnlySpan<double> m, double mj, double gain, Span<double> dst)
    {
        int n = dst.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rs = ref MemoryMarshal.GetReference(src), rm = ref MemoryMarshal.GetReference(m), rd = ref MemoryMarshal.GetReference(dst);
            var vmj = Vector256.Create(mj);
            var vg = Vector256.Create(gain);
            for (; i <= n - 4; i += 4)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref rs, (nuint)i) - Vector256.LoadUnsafe(ref rm, (nuint)i) * vmj / vg, ref rd, (nuint)i);
        }
        for (; i < n; i++) dst[i] = src[i] - m[i] * mj / gain;
    }

    /// <summary><c>dst[i] = a[i] + m[i] * r / gain</c>.</summary>
    public static void AddRatio(ReadOnlySpan<double> a, ReadOnlySpan<double> m, double r, double gain, Span<double> dst)
    {
        int n = dst.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double ra = ref MemoryMarshal.GetReference(a), rm = ref MemoryMarshal.GetReference(m), rd = ref MemoryMarshal.GetReference(dst);
            var vr = Vector256.Create(r);
            var vg = Vector256.Create(gain);
            for (; i <= n - 4; i += 4)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref ra, (nuint)i) + Vector256.LoadUnsafe(ref rm, (nuint)i) * vr / vg, ref rd, (nuint)i);
        }
        for (; i < n; i++) dst[i] = a[i] + m[i] * r / gain;
    }

    /// <summary>The Givens step of AS 154's <c>inclu2</c>: <c>row[k] = row[k] - xi * rbar[k]; rbar[k] = cbar * rbar[k] + sbar * row[k]</c> (old row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rotate(Span<double> row, Span<double> rbar, double xi, double cbar, double sbar)
    {
        int n = row.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rx = ref MemoryMarshal.GetReference(row), rr = ref MemoryMarshal.GetReference(rbar);
            var vxi = Vector256.Create(xi);
            var vc = Vector256.Create(cbar);
            var vs = Vector256.Create(sbar);
            for (; i <= n - 4; i += 4)
            {
                var xk = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var rb = Vector256.LoadUnsafe(ref rr, (nuint)i);
                Vector256.StoreUnsafe(xk - vxi * rb, ref rx, (nuint)i);
                Vector256.StoreUnsafe(vc * rb + vs * xk, ref rr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double xk = row[i], rb = rbar[i];
            row[i] = xk - xi * rb;
            rbar[i] = cbar * rb + sbar * xk;
        }
    }
}
