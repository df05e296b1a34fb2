using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>Sums of the exact Gaussian likelihood (R: the vector <c>ARIMA_Like</c> returns).</summary>
/// <param name="Ssq">Sum of squared innovations over their variances.</param>
/// <param name="SumLog">Sum of the log innovation variances.</param>
/// <param name="Count">Innovations counted (those with variance below 1e4).</param>
internal readonly record struct LikelihoodSums(double Ssq, double SumLog, int Count);

/// <summary>
/// The Kalman filter of R's <c>ARIMA_Like</c> (<c>src/library/stats/src/arima.c</c>), specialised to the ARIMA state space
/// (the transition's structure is used instead of full matrix products), and R's <c>KalmanFore</c>.
/// </summary>
internal static class ArimaKalman
{
    /// <summary>
    /// Runs the filter over <paramref name="y"/> from the model's prior (<c>a</c>, <c>Pn</c>), leaving the filtered state in
    /// <c>A</c>/<c>P</c> as R does; innovations with variance (gain) of 1e4 or more (the diffuse start of the differences)
    /// are left out of the sums. <paramref name="residuals"/>, when not empty, receives the standardised innovations.
    /// Without residuals the covariance recursion switches to its low-rank form after the diffuse start
    /// (<see cref="Filter(ReadOnlySpan{double}, ArimaStateSpace, Span{double}, double[], bool)"/>).
    /// </summary>
    public static LikelihoodSums Filter(ReadOnlySpan<double> y, ArimaStateSpace mod, Span<double> residuals, double[] scratch)
        => Filter(y, mod, residuals, scratch, lowRank: residuals.IsEmpty);

    /// <summary>
    /// As <see cref="Filter(ReadOnlySpan{double}, ArimaStateSpace, Span{double}, double[])"/>; with <paramref name="lowRank"/>
    /// (and no residuals wanted) the filter runs R's full covariance recursion only until the diffuse start is absorbed,
    /// then carries the change of the predicted covariance, which has rank at most 3 (1 without differencing), in the
    /// Chandrasekhar recursions (Morf, Sidhu and Kailath (1974)): O(rd) instead of O(rd^2) per observation, the same
    /// likelihood up to rounding. The filtered covariance <c>P</c> is then recomputed by the full recursion when first read.
    /// </summary>
    public static LikelihoodSums Filter(ReadOnlySpan<double> y, ArimaStateSpace mod, Span<double> residuals, double[] scratch, bool lowRank)
    {
        double[] phi = mod.Phi, theta = mod.Theta, delta = mod.Delta, a = mod.A, P = mod.FilteredCovariance, Pnew = mod.Pn;
        int n = y.Length, rd = mod.Rd, d = delta.Length, r = rd - d;
        lowRank &= residuals.IsEmpty && scratch.Length >= ScratchLength(rd) && n > 1;
        if (lowRank) mod.SavePrior(y);
        else mod.ForgetPrior();
        // scratch: anew (rd), M (rd), mm (rd * rd), the previous P (rd * rd), then SwitchToLowRank's
        var anew = scratch.AsSpan(0, rd);
        var M = scratch.AsSpan(rd, rd);
        var mm = scratch.AsSpan(2 * rd, rd * rd);
        var pPrev = scratch.AsSpan(2 * rd + rd * rd, rd * rd);
        bool steady = false, predicted = false, havePrev = false;
        double ssq = 0, sumlog = 0, gain = 0;
        int nu = 0;
        // the nonzero differencing coefficients: R's loops over the zero ones add exact zeros
        Span<int> nzAll = stackalloc int[d];
        int nnz = 0;
        for (int k = 0; k < d; k++) if (delta[k] != 0) nzAll[nnz++] = k;
        ReadOnlySpan<int> nz = nzAll[..nnz];
        for (int l = 0; l < n; l++)
        {
            PredictState(a, anew, phi, delta, nz, r);
            if (predicted) scratch.AsSpan(NextOffset(rd), rd * rd).CopyTo(Pnew);
            else if (l > 0 && !steady) PredictCovariance(P, Pnew, mm, phi, theta, delta, nz, r);
            predicted = false;
            double resid = y[l] - anew[0];
            foreach (int i in nz) resid -= delta[i] * anew[r + i];
            if (!steady)
            {
                Pnew.AsSpan(0, rd).CopyTo(M);
                foreach (int j in nz) ExactVectorOps.AddScaled(M, delta[j], Pnew.AsSpan((r + j) * rd, rd));
                gain = M[0];
                foreach (int j in nz) gain += delta[j] * M[r + j];
            }
            if (gain < 1e4)
            {
                nu++;
                ssq += resid * resid / gain;
                sumlog += Math.Log(gain);
            }
            if (!residuals.IsEmpty) residuals[l] = resid / Math.Sqrt(gain);
            ExactVectorOps.AddRatio(anew, M, resid, gain, a);
            if (steady) continue;
            // P = Pnew - M M' / gain as Pnew - M (M_j / gain): one division per column instead of R's one per element
            for (int j = 0; j < rd; j++)
                ExactVectorOps.ScaleAdd(M, -(M[j] / gain), Pnew.AsSpan(j * rd, rd), P.AsSpan(j * rd, rd));
            // once the diffuse start is absorbed (every difference observed, gains below 1e4): the low-rank recursions
            // (the rounding of the diffuse start, about 1e-10 of the covariance, is beyond the rank and left out: waiting
            // until it has decayed cost more full steps than the switch saved on 104-point series)
            if (lowRank && l >= d && l < n - 1 && gain < 1e4)
            {
                if (SwitchToLowRank(y[(l + 1)..], mod, scratch, nz, gain, SwitchTolerance) is { } tail)
                {
                    mod.MarkPriorPending();
                    return new LikelihoodSums(ssq + tail.Ssq, sumlog + tail.SumLog, nu + tail.Count);
                }
                predicted = true; // the full recursion goes on with the prediction already made
                lowRank = false;
            }
            // steady state: once the filtered covariance stops changing after the diffuse start (bit for bit), the covariance
            // recursion is at a fixed point and repeats the same matrices; only the state is updated from then on
            // (pPrev is kept only once the filter stays on the full recursion; before that the test waits a step, which
            // changes nothing: at a fixed point the full recursion repeats P bit for bit)
            if (l > 0 && gain < 1e4 && havePrev) steady = Unchanged(P, pPrev);
            if (!lowRank)
            {
                P.AsSpan().CopyTo(pPrev);
                havePrev = true;
            }
        }
        if (lowRank) mod.ForgetPrior();
        return new LikelihoodSums(ssq, sumlog, nu);
    }

    // whether the filtered covariance is at its fixed point: every entry equal to the last step's (R's full recursion then
    // repeats the same matrices; a tolerance as small as 1e-13 changed auto.arima's choice on a 46-point series), i.e.
    // max |P - pPrev| <= 0, a NaN or an infinite entry never steady; compared four at a time
    private static bool Unchanged(ReadOnlySpan<double> p, ReadOnlySpan<double> prev)
    {
        int n = p.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rp = ref MemoryMarshal.GetReference(p), rq = ref MemoryMarshal.GetReference(prev);
            for (; i <= n - 4; i += 4)
                if (!Vector256.EqualsAll(Vector256.LoadUnsafe(ref rp, (nuint)i) - Vector256.LoadUnsafe(ref rq, (nuint)i), Vector256<double>.Zero))
                    return false;
        }
        for (; i < n; i++)
            if (!(p[i] - prev[i] == 0)) return false;
        return true;
    }

    /// <summary>Scratch length <see cref="Filter(ReadOnlySpan{double}, ArimaStateSpace, Span{double}, double[], bool)"/> needs for a state of size <paramref name="rd"/>.</summary>
    public static int ScratchLength(int rd) => 2 * rd + 4 * rd * rd + 2 * rd * ArimaLowRank.MaxRank;

    // scratch: anew, M, mm, the previous P, then the next prediction, the change, two rd x MaxRank factors
    private static int NextOffset(int rd) => 2 * rd + 2 * rd * rd;

    // With P the filtered covariance at the current step and Pn its prediction: the change of the prediction to the next
    // step, factored; then the rest of the series by ArimaLowRank. Null when the change is not of the rank the theory gives.
    // (the next prediction is left in scratch at NextOffset for the full recursion when the switch fails)
    private static LikelihoodSums? SwitchToLowRank(ReadOnlySpan<double> rest, ArimaStateSpace mod, double[] scratch, ReadOnlySpan<int> nz,
        double gain, double tolerance)
    {
        double[] phi = mod.Phi, theta = mod.Theta, delta = mod.Delta;
        int rd = mod.Rd, d = delta.Length, r = rd - d;
        int offset = NextOffset(rd);
        var next = scratch.AsSpan(offset, rd * rd);
        var change = scratch.AsSpan(offset + rd * rd, rd * rd);
        var w = scratch.AsSpan(offset + 2 * rd * rd, rd * ArimaLowRank.MaxRank);
        var work = scratch.AsSpan(offset + 2 * rd * rd + rd * ArimaLowRank.MaxRank, rd * ArimaLowRank.MaxRank);
        w.Clear();
        work.Clear();
        PredictCovariance(mod.FilteredCovariance, next, scratch.AsSpan(2 * rd, rd * rd), phi, theta, delta, nz, r);
        var pn = mod.Pn;
        for (int i = 0; i < next.Length; i++) change[i] = next[i] - pn[i];
        Span<double> s = stackalloc double[ArimaLowRank.MaxRank * ArimaLowRank.MaxRank];
        int k = ArimaLowRank.Factor(change, rd, d > 0 ? 3 : 1, w, work, s, tolerance);
        if (k < 0) return null;
        return ArimaLowRank.Run(rest, mod, scratch.AsSpan(0, rd), scratch.AsSpan(rd, rd), gain, w, work, s, k, nz);
    }

    /// <summary><c>anew = T a</c> by the structure of T (<paramref name="a"/> and <paramref name="anew"/> distinct).</summary>
    internal static void PredictState(ReadOnlySpan<double> a, Span<double> anew, ReadOnlySpan<double> phi, ReadOnlySpan<double> delta,
        ReadOnlySpan<int> nz, int r)
    {
        int p = phi.Length, d = delta.Length, rd = r + d;
        double a0 = a[0];
        // rows i < r: a[i + 1] + phi_i a[0] (R adds in that order; the sum is the same either way)
        int lim = Math.Min(p, r - 1);
        if (lim > 0) ExactVectorOps.ScaleAdd(phi[..lim], a0, a.Slice(1, lim), anew[..lim]);
        if (r - 1 > lim) a.Slice(lim + 1, r - 1 - lim).CopyTo(anew.Slice(lim, r - 1 - lim));
        anew[r - 1] = r - 1 < p ? phi[r - 1] * a0 : 0.0;
        if (d > 0)
        {
            double tmp = a0;
            foreach (int i in nz) tmp += delta[i] * a[r + i];
            if (d > 1) a.Slice(r, d - 1).CopyTo(anew.Slice(r + 1, d - 1));
            anew[r] = tmp;
        }
    }

    // Pnew = T P T' + V as R's ARIMA_Like (mm: rd * rd scratch)
    private static void PredictCovariance(double[] P, Span<double> Pnew, Span<double> mm, double[] phi, double[] theta, double[] delta,
        ReadOnlySpan<int> nz, int r)
    {
        int p = phi.Length, q = theta.Length, d = delta.Length, rd = r + d;
        if (d == 0)
        {
            for (int i = 0; i < r; i++)
            {
                double vi = i == 0 ? 1.0 : i - 1 < q ? theta[i - 1] : 0.0;
                for (int j = 0; j < r; j++)
                {
                    double tmp = j == 0 ? vi : j - 1 < q ? vi * theta[j - 1] : 0.0;
                    if (i < p && j < p) tmp += phi[i] * phi[j] * P[0];
                    if (i < r - 1 && j < r - 1) tmp += P[i + 1 + r * (j + 1)];
                    if (i < p && j < r - 1) tmp += phi[i] * P[j + 1];
                    if (j < p && i < r - 1) tmp += phi[j] * P[i + 1];
                    Pnew[i + r * j] = tmp;
                }
            }
            return;
        }
        // mm = T P (rows of the ARMA block: phi * first row + shifted rows)
        for (int j = 0; j < rd; j++)
        {
            int c = rd * j;
            double p0 = P[c];
            int lim = Math.Min(p, r - 1);
            if (lim > 0) ExactVectorOps.ScaleAdd(phi.AsSpan(0, lim), p0, P.AsSpan(c + 1, lim), mm.Slice(c, lim));
            if (r - 1 > lim) P.AsSpan(c + lim + 1, r - 1 - lim).CopyTo(mm.Slice(c + lim, r - 1 - lim));
            if (r - 1 < p) mm[r - 1 + c] = phi[r - 1] * p0;
            else if (r - 1 >= lim) mm[r - 1 + c] = 0.0;
            double tmp = P[c];
            foreach (int k in nz) tmp += delta[k] * P[r + k + c];
            mm[r + c] = tmp;
            if (d > 1) P.AsSpan(r + c, d - 1).CopyTo(mm.Slice(r + 1 + c, d - 1));
        }
        // Pnew = mm T'
        for (int i = 0; i < r; i++)
        {
            var dst = Pnew.Slice(rd * i, rd);
            if (i < p && i < r - 1) ExactVectorOps.ScaleAdd(mm[..rd], phi[i], mm.Slice(rd * (i + 1), rd), dst);
            else if (i < p) for (int j = 0; j < rd; j++) dst[j] = phi[i] * mm[j];
            else if (i < r - 1) mm.Slice(rd * (i + 1), rd).CopyTo(dst);
            else dst.Clear();
        }
        {
            var dst = Pnew.Slice(rd * r, rd);
            mm[..rd].CopyTo(dst);
            foreach (int k in nz) ExactVectorOps.AddScaled(dst, delta[k], mm.Slice(rd * (r + k), rd));
        }
        for (int i = 1; i < d; i++) mm.Slice(rd * (r + i - 1), rd).CopyTo(Pnew.Slice(rd * (r + i), rd));
        // Pnew += (1, theta) (1, theta)': column j gains v_j (1, theta) (v_j v_i = v_i v_j exactly, as R's element loop)
        Span<double> v = q < 256 ? stackalloc double[q + 1] : new double[q + 1];
        v[0] = 1.0;
        theta.AsSpan(0, q).CopyTo(v[1..]);
        for (int j = 0; j <= q; j++) ExactVectorOps.AddScaled(Pnew.Slice(rd * j, q + 1), v[j], v);
    }

    // largest entry of the predicted covariance's change, relative to its largest, the rank-3 factors may leave out
    private const double SwitchTolerance = 1e-6;

    /// <summary>
    /// R: <c>KalmanForecast(h, mod)</c>: means and variances (in units of sigma2) of the next <paramref name="horizon"/>
    /// observations from the filtered state; the model is not changed.
    /// </summary>
    public static (double[] Mean, double[] Variance) Forecast(ArimaStateSpace mod, int horizon)
    {
        int p = mod.Rd;
        var T = mod.Transition();
        var V = mod.Innovation();
        var Z = mod.Observation();
        var P = (double[])mod.P.Clone(); // first: reading P after a low-rank filter recomputes A too
        var a = (double[])mod.A.Clone();
        var anew = new double[p];
        var mm = new double[p * p];
        var Pnew = new double[p * p];
        var mean = new double[horizon];
        var variance = new double[horizon];
        for (int l = 0; l < horizon; l++)
        {
            double fc = 0.0;
            for (int i = 0; i < p; i++)
            {
                double tmp = 0.0;
                for (int k = 0; k < p; k++) tmp += T[i + p * k] * a[k];
                anew[i] = tmp;
                fc += tmp * Z[i];
            }
            Array.Copy(anew, a, p);
            mean[l] = fc;
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                {
                    double tmp = 0.0;
                    for (int k = 0; k < p; k++) tmp += T[i + p * k] * P[k + p * j];
                    mm[i + p * j] = tmp;
                }
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                {
                    double tmp = V[i + p * j];
                    for (int k = 0; k < p; k++) tmp += mm[i + p * k] * T[j + p * k];
                    Pnew[i + p * j] = tmp;
                }
            double v = 0.0; // h = 0
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                {
                    P[i + j * p] = Pnew[i + j * p];
                    v += Z[i] * Z[j] * P[i + j * p];
                }
            variance[l] = v;
        }
        return (mean, variance);
    }
}
