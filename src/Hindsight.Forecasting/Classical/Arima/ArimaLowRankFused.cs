using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// <see cref="ArimaLowRank.Run"/> with each observation's vector work in one pass over the state instead of a dozen: the
/// same operations on every element in the same order, so the likelihood sums and the final state are bit for bit those
/// of <see cref="ArimaLowRank.Run"/> (held by a property test). The transition T is mostly a shift (the ARMA block moves
/// up one place, the differences down one), so <c>T y</c> is written as <c>y</c> is computed, one place over, and only the
/// few entries of T's other rows (phi, the first difference) are computed apart.
/// </summary>
/// <remarks>
/// Layout of a factor column: <c>rd + 2</c> doubles, entry i at <c>1 + i</c>, with a slot before and after: the shifted
/// store of entry 0 of the ARMA block lands in the slot before (it is T's phi column) and that of the last difference in
/// the slot after (it enters the first difference's sum). The state carries one spare entry so the ARMA block's shifted
/// read of entry r stays in bounds without differences.
/// </remarks>
internal static class ArimaLowRankFused
{
    private const int K = ArimaLowRank.MaxRank;

    /// <summary>
    /// As <see cref="ArimaLowRank.Run"/>: filters <paramref name="y"/> from the state <c>mod.A</c>, the gain vector
    /// <paramref name="m"/> and innovation variance <paramref name="gain"/>, and the factored change <paramref name="w"/>
    /// (rd x <paramref name="k"/>, column-major) S W' of the prediction to the next observation. <c>mod.A</c> receives the
    /// final state; <paramref name="m"/>, <paramref name="w"/> and <paramref name="s"/> are overwritten.
    /// </summary>
    public static LikelihoodSums Run(ReadOnlySpan<double> y, ArimaStateSpace mod, Span<double> m, double gain,
        ReadOnlySpan<double> w, Span<double> s, int k, ReadOnlySpan<int> nz)
    {
        double[] phi = mod.Phi, delta = mod.Delta;
        int rd = mod.Rd, d = delta.Length, r = rd - d, p = phi.Length, lim = Math.Min(p, r - 1);
        int stride = rd + 2;
        int need = 2 * K * stride + 2 * (rd + 1);
        Span<double> buffer = need <= 4096 ? stackalloc double[need] : new double[need];
        buffer.Clear();
        var wCur = buffer[..(K * stride)];
        var wNext = buffer.Slice(K * stride, K * stride);
        var aCur = buffer.Slice(2 * K * stride, rd + 1);
        var aNext = buffer.Slice(2 * K * stride + rd + 1, rd + 1);
        for (int c = 0; c < k; c++) w.Slice(c * rd, rd).CopyTo(wCur.Slice(c * stride + 1, rd));
        mod.A.AsSpan().CopyTo(aCur);
        Span<double> u = stackalloc double[K], su = stackalloc double[K], cu = stackalloc double[K], size = stackalloc double[K];
        double ssq = 0, sumlog = 0;
        int nu = 0;
        bool steady = k == 0;
        for (int l = 0; l < y.Length; l++)
        {
            double a0 = aCur[0];
            // the predicted state's entries the residual reads (T a at 0 and at the differences)
            double resid = y[l] - PredictedAt(aCur, 0, a0, phi, delta, nz, r, lim, p);
            foreach (int j in nz) resid -= delta[j] * PredictedAt(aCur, r + j, a0, phi, delta, nz, r, lim, p);
            int kk = 0;
            if (!steady)
            {
                kk = k;
                // u = W' Z, S u, u' S u (ArimaLowRank.Run's sums in its order)
                for (int c = 0; c < k; c++)
                {
                    double t = wCur[c * stride + 1];
                    foreach (int j in nz) t += delta[j] * wCur[c * stride + 1 + r + j];
                    u[c] = t;
                }
                double uSu = 0;
                for (int b = 0; b < k; b++)
                {
                    double t = 0;
                    for (int c = 0; c < k; c++) t += s[b * K + c] * u[c];
                    su[b] = t;
                    uSu += u[b] * t;
                }
                for (int c = 0; c < k; c++) cu[c] = -(u[c] / gain);
                gain += uSu;
            }
            // one pass: W_next = T (W + M cu'), M += W su, a_next = T a + M resid / gain (the shifted rows; T's others below)
            Step(m, wCur, wNext, aCur, aNext, cu, su, kk, stride, r, rd, resid, gain);
            if (!steady)
            {
                for (int c = 0; c < k; c++) FixRows(wNext.Slice(c * stride, stride), phi, delta, nz, r, lim, p);
                for (int b = 0; b < k; b++)
                    for (int c = 0; c < k; c++) s[b * K + c] -= su[b] * su[c] / gain;
                for (int c = 0; c < k; c++) size[c] = MaxAbs(wNext.Slice(c * stride + 1, rd));
                double bound = 0;
                for (int b = 0; b < k; b++)
                    for (int c = 0; c < k; c++) bound += Math.Abs(s[b * K + c]) * size[b] * size[c];
                steady = bound <= SteadyRelative * gain;
                var t = wCur; wCur = wNext; wNext = t;
            }
            // T's rows that are not a shift, for the state
            for (int i = 0; i < lim; i++) aNext[i] = PredictedAt(aCur, i, a0, phi, delta, nz, r, lim, p) + m[i] * resid / gain;
            aNext[r - 1] = PredictedAt(aCur, r - 1, a0, phi, delta, nz, r, lim, p) + m[r - 1] * resid / gain;
            if (d > 0) aNext[r] = PredictedAt(aCur, r, a0, phi, delta, nz, r, lim, p) + m[r] * resid / gain;
            if (gain < 1e4)
            {
                nu++;
                ssq += resid * resid / gain;
                sumlog += Math.Log(gain);
            }
            var ta = aCur; aCur = aNext; aNext = ta;
        }
        aCur[..rd].CopyTo(mod.A);
        return new LikelihoodSums(ssq, sumlog, nu);
    }

    // the same size as ArimaLowRank's steady test
    private const double SteadyRelative = 1e-20;

    // (T a)[i] as ArimaKalman.PredictState computes it
    private static double PredictedAt(ReadOnlySpan<double> a, int i, double a0, ReadOnlySpan<double> phi, ReadOnlySpan<double> delta,
        ReadOnlySpan<int> nz, int r, int lim, int p)
    {
        if (i < lim) return a0 * phi[i] + a[i + 1];
        if (i < r - 1) return a[i + 1];
        if (i == r - 1) return r - 1 < p ? phi[r - 1] * a0 : 0.0;
        if (i == r)
        {
            double tmp = a0;
            foreach (int j in nz) tmp += delta[j] * a[r + j];
            return tmp;
        }
        return a[i - 1];
    }

    // T's rows that are not a shift, of a factor column in the padded layout holding the shifted y (y[0] in the slot before,
    // y[i + 1] at entry i of the ARMA block, y[i - 1] at entry i of the differences, y[rd - 1] in the slot after)
    private static void FixRows(Span<double> col, ReadOnlySpan<double> phi, ReadOnlySpan<double> delta, ReadOnlySpan<int> nz, int r, int lim, int p)
    {
        double y0 = col[0];
        for (int i = 0; i < lim; i++) col[1 + i] = y0 * phi[i] + col[1 + i];
        col[r] = r - 1 < p ? phi[r - 1] * y0 : 0.0;
        if (delta.Length > 0)
        {
            double tmp = y0;
            foreach (int j in nz) tmp += delta[j] * col[2 + r + j];
            col[1 + r] = tmp;
        }
    }

    // for every i: y_c = cu_c m_i + w_c[i] stored one place over in wNext (up in the ARMA block, down in the differences),
    // m_i = ((m_i + su_0 w_0[i]) + su_1 w_1[i]) + su_2 w_2[i], aNext[i] = a[i +- 1] + m_i resid / gain (entries of T's
    // non-shift rows are overwritten after)
    private static void Step(Span<double> m, Span<double> wCur, Span<double> wNext, Span<double> aCur, Span<double> aNext,
        ReadOnlySpan<double> cu, ReadOnlySpan<double> su, int k, int stride, int r, int rd, double resid, double gain)
    {
        Pass(m, wCur, wNext, aCur, aNext, cu, su, k, stride, 0, r, -1, resid, gain);
        Pass(m, wCur, wNext, aCur, aNext, cu, su, k, stride, r, rd, 1, resid, gain);
    }

    // Step over [from, to) with the shift `shift` (-1 for the ARMA block, +1 for the differences)
    private static void Pass(Span<double> m, Span<double> wCur, Span<double> wNext, Span<double> aCur, Span<double> aNext,
        ReadOnlySpan<double> cu, ReadOnlySpan<double> su, int k, int stride, int from, int to, int shift, double resid, double gain)
    {
        int i = from;
        ref double rm = ref MemoryMarshal.GetReference(m);
        ref double rw = ref MemoryMarshal.GetReference(wCur);
        ref double rn = ref MemoryMarshal.GetReference(wNext);
        ref double ra = ref MemoryMarshal.GetReference(aCur);
        ref double rb = ref MemoryMarshal.GetReference(aNext);
        if (Vector256.IsHardwareAccelerated)
        {
            var vr = Vector256.Create(resid);
            var vg = Vector256.Create(gain);
            for (; i <= to - 4; i += 4)
            {
                var mo = Vector256.LoadUnsafe(ref rm, (nuint)i);
                var mn = mo;
                for (int c = 0; c < k; c++)
                {
                    var wc = Vector256.LoadUnsafe(ref rw, (nuint)(c * stride + 1 + i));
                    Vector256.StoreUnsafe(Vector256.Create(cu[c]) * mo + wc, ref rn, (nuint)(c * stride + 1 + i + shift));
                    mn += Vector256.Create(su[c]) * wc;
                }
                Vector256.StoreUnsafe(mn, ref rm, (nuint)i);
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref ra, (nuint)(i - shift)) + mn * vr / vg, ref rb, (nuint)i);
            }
        }
        for (; i < to; i++)
        {
            double mo = m[i], mn = mo;
            for (int c = 0; c < k; c++)
            {
                double wc = wCur[c * stride + 1 + i];
                wNext[c * stride + 1 + i + shift] = cu[c] * mo + wc;
                mn += su[c] * wc;
            }
            m[i] = mn;
            aNext[i] = aCur[i - shift] + mn * resid / gain;
        }
    }

    // the largest |x_i| (a NaN gives NaN, as ArimaLowRank's)
    private static double MaxAbs(ReadOnlySpan<double> x)
    {
        int n = x.Length, i = 0;
        double best = 0;
        bool nan = false;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            ref double rx = ref MemoryMarshal.GetReference(x);
            var vbest = Vector256<double>.Zero;
            var vnan = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var v = Vector256.Abs(Vector256.LoadUnsafe(ref rx, (nuint)i));
                vbest = Vector256.Max(vbest, v);
                vnan |= ~Vector256.Equals(v, v);
            }
            nan = vnan != Vector256<double>.Zero;
            for (int l = 0; l < 4; l++) best = Math.Max(best, vbest[l]);
        }
        for (; i < n; i++)
        {
            double v = Math.Abs(x[i]);
            if (double.IsNaN(v)) nan = true;
            else if (v > best) best = v;
        }
        return nan ? double.NaN : best;
    }
}
