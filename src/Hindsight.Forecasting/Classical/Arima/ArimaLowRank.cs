using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The Chandrasekhar recursions of the ARIMA Kalman filter (Morf, Sidhu and Kailath (1974); for likelihoods Herbst (2015)):
/// for a time-invariant model the change of the predicted covariance <c>dP_t = P_{t+1|t} - P_{t|t-1}</c> keeps the rank
/// it starts with, so it is carried as <c>W_t S_t W_t'</c> (W: rd x k column-major, S: k x k) and the gain vector <c>M_t = P_{t|t-1} Z</c>
/// and innovation variance <c>F_t = Z' M_t</c> are updated in O(rd k) instead of the O(rd^2) covariance recursion.
/// </summary>
/// <remarks>
/// With <c>u = W_t' Z</c>: <c>M_{t+1} = M_t + W_t S_t u</c>, <c>F_{t+1} = F_t + u' S_t u</c>,
/// <c>W_{t+1} = T (W_t - M_t u' / F_t)</c>, <c>S_{t+1} = S_t - S_t u u' S_t / F_{t+1}</c> (the filtered covariances differ
/// by <c>(W - M u'/F_t) S_{t+1} (W - M u'/F_t)'</c>, which annihilates Z). R's prior (stationary Q0 on the ARMA block,
/// kappa on the differences) gives a first change of rank at most 3: T Pn T' + V - Pn is nonzero only in the row and
/// column of the first difference state, minus the rank-one filter update; without differencing it is rank one. The
/// recursions start after the diffuse part (kappa = 1e6 would cost about 12 digits in them), from the first change
/// computed in full and factored by <see cref="Factor(ReadOnlySpan{double}, int, int, Span{double}, Span{double}, Span{double}, double)"/>.
/// </remarks>
internal static class ArimaLowRank
{
    /// <summary>Largest rank carried.</summary>
    public const int MaxRank = 3;

    /// <summary>
    /// Factors the symmetric <paramref name="change"/> (rd x rd, column-major) as <c>W S W'</c> with orthonormal columns of
    /// W (rd x <paramref name="maxRank"/>, column-major <c>W[c * rd + i]</c>) chosen by pivoted Gram-Schmidt on the
    /// columns; <paramref name="work"/> (rd x MaxRank) receives <c>change W</c>. Returns the rank used, or -1 when
    /// <paramref name="maxRank"/> columns leave more than 1e-6 of the matrix unexplained.
    /// </summary>
    public static int Factor(ReadOnlySpan<double> change, int rd, int maxRank, Span<double> w, Span<double> work, Span<double> s)
        => Factor(change, rd, maxRank, w, work, s, 1e-6);

    /// <summary>As <see cref="Factor(ReadOnlySpan{double}, int, int, Span{double}, Span{double}, Span{double})"/>, failing (-1)
    /// unless every entry of <c>change - W S W'</c> is within <paramref name="tolerance"/> of the largest entry of the change.</summary>
    public static int Factor(ReadOnlySpan<double> change, int rd, int maxRank, Span<double> w, Span<double> work, Span<double> s, double tolerance)
    {
        Span<double> norm2 = rd <= 512 ? stackalloc double[rd] : new double[rd];
        double maxNorm2 = 0;
        for (int j = 0; j < rd; j++)
        {
            double t = 0;
            var col = change.Slice(j * rd, rd);
            for (int i = 0; i < rd; i++) t += col[i] * col[i];
            norm2[j] = t;
            maxNorm2 = Math.Max(maxNorm2, t);
        }
        if (!double.IsFinite(maxNorm2)) return -1;
        Span<double> v = rd <= 512 ? stackalloc double[rd] : new double[rd];
        int k = 0;
        while (maxNorm2 > 0)
        {
            // the column least explained by the columns so far
            int best = -1;
            double bestRest = -1;
            for (int j = 0; j < rd; j++)
            {
                double rest = norm2[j];
                for (int c = 0; c < k; c++) rest -= work[c * rd + j] * work[c * rd + j];
                if (rest > bestRest) { bestRest = rest; best = j; }
            }
            if (k == maxRank)
            {
                if (bestRest > 1e-12 * maxNorm2) return -1;
                break;
            }
            change.Slice(best * rd, rd).CopyTo(v);
            for (int pass = 0; pass < 2; pass++)
                for (int c = 0; c < k; c++)
                {
                    var wc = w.Slice(c * rd, rd);
                    double dot = 0;
                    for (int i = 0; i < rd; i++) dot += wc[i] * v[i];
                    for (int i = 0; i < rd; i++) v[i] -= dot * wc[i];
                }
            double norm = 0;
            for (int i = 0; i < rd; i++) norm += v[i] * v[i];
            norm = Math.Sqrt(norm);
            if (!(norm > 1e-13 * Math.Sqrt(maxNorm2))) break;
            var wk = w.Slice(k * rd, rd);
            for (int i = 0; i < rd; i++) wk[i] = v[i] / norm;
            // work[:, k] = change w[:, k] (= w[:, k]' change by symmetry)
            for (int j = 0; j < rd; j++)
            {
                var col = change.Slice(j * rd, rd);
                double t = 0;
                for (int i = 0; i < rd; i++) t += col[i] * wk[i];
                work[k * rd + j] = t;
            }
            k++;
        }
        for (int b = 0; b < k; b++)
            for (int c = b; c < k; c++)
            {
                double t1 = 0, t2 = 0;
                for (int i = 0; i < rd; i++)
                {
                    t1 += w[b * rd + i] * work[c * rd + i];
                    t2 += w[c * rd + i] * work[b * rd + i];
                }
                s[b * MaxRank + c] = s[c * MaxRank + b] = 0.5 * (t1 + t2);
            }
        // what the factors leave out stays in every later prediction (the recursions carry differences only)
        double maxEntry = 0, maxLeft = 0;
        Span<double> sw = stackalloc double[MaxRank];
        for (int j = 0; j < rd; j++)
        {
            // sw = S W[j, :]': column j of W S W' is W sw
            for (int b = 0; b < k; b++)
            {
                double t = 0;
                for (int c = 0; c < k; c++) t += s[b * MaxRank + c] * w[c * rd + j];
                sw[b] = t;
            }
            var col = change.Slice(rd * j, rd);
            for (int i = 0; i < rd; i++)
            {
                double t = col[i];
                maxEntry = Math.Max(maxEntry, Math.Abs(t));
                for (int b = 0; b < k; b++) t -= w[b * rd + i] * sw[b];
                maxLeft = Math.Max(maxLeft, Math.Abs(t));
            }
        }
        return maxLeft <= tolerance * maxEntry ? k : -1;
    }

    /// <summary>
    /// Filters <paramref name="y"/> (the observations after the switch) from the state <c>mod.A</c>, the current
    /// <paramref name="m"/> and <paramref name="gain"/>, and the factored change <paramref name="w"/> S W' (rank
    /// <paramref name="k"/>) of the prediction to the next observation; <paramref name="anew"/> and <paramref name="y2"/>
    /// are scratch (rd and rd x MaxRank). Returns the likelihood sums over <paramref name="y"/>.
    /// </summary>
    public static LikelihoodSums Run(ReadOnlySpan<double> y, ArimaStateSpace mod, Span<double> anew, Span<double> m, double gain,
        Span<double> w, Span<double> y2, Span<double> s, int k, ReadOnlySpan<int> nz)
    {
        const int K = MaxRank;
        double[] phi = mod.Phi, delta = mod.Delta, a = mod.A;
        int rd = mod.Rd, d = delta.Length, r = rd - d;
        Span<double> u = stackalloc double[K], su = stackalloc double[K], size = stackalloc double[K];
        double ssq = 0, sumlog = 0;
        int nu = 0;
        bool steady = k == 0;
        for (int l = 0; l < y.Length; l++)
        {
            ArimaKalman.PredictState(a, anew, phi, delta, nz, r);
            if (!steady)
            {
                // u = W' Z, S u
                for (int c = 0; c < k; c++)
                {
                    double t = w[c * rd];
                    foreach (int j in nz) t += delta[j] * w[c * rd + r + j];
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
                // Y = W - M_old u' / F_old; M += W S u
                for (int c = 0; c < k; c++) ExactVectorOps.ScaleAdd(m, -(u[c] / gain), w.Slice(c * rd, rd), y2.Slice(c * rd, rd));
                ExactVectorOps.AddScaledColumns(m, su[..k], w[..(k * rd)]);
                double fNew = gain + uSu;
                gain = fNew;
                // W = T Y, S -= S u u' S / F_new
                for (int c = 0; c < k; c++)
                    ArimaKalman.PredictState(y2.Slice(c * rd, rd), w.Slice(c * rd, rd), phi, delta, nz, r);
                for (int b = 0; b < k; b++)
                    for (int c = 0; c < k; c++) s[b * K + c] -= su[b] * su[c] / fNew;
                // converged when every entry of the next change W S W' is far below the rounding of F (>= 1) and of the
                // covariance: it shrinks geometrically from here on and would add nothing
                for (int c = 0; c < k; c++) size[c] = MaxAbs(w.Slice(c * rd, rd));
                double bound = 0;
                for (int b = 0; b < k; b++)
                    for (int c = 0; c < k; c++) bound += Math.Abs(s[b * K + c]) * size[b] * size[c];
                steady = bound <= SteadyRelative * fNew;
            }
            double resid = y[l] - anew[0];
            foreach (int j in nz) resid -= delta[j] * anew[r + j];
            if (gain < 1e4)
            {
                nu++;
                ssq += resid * resid / gain;
                sumlog += Math.Log(gain);
            }
            ExactVectorOps.AddRatio(anew, m, resid, gain, a);
        }
        return new LikelihoodSums(ssq, sumlog, nu);
    }

    // size of the covariance change, relative to F, below which the recursions are treated as converged (1e-4 of a rounding)
    private const double SteadyRelative = 1e-20;

    // the largest |x_i| (exact: no rounding in abs and max; a NaN makes the steady test fail, as Math.Max's would)
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
