namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// The ETS state-space recursion of forecast's C code (<c>etscalc</c>, <c>forecast</c>, <c>update</c> in src/etscalc.c):
/// one-step forecasts, errors, the likelihood term R optimises and the 1..nmse-step mean squared errors. Buffers are
/// allocated once per series length and season, so the optimiser's thousands of evaluations allocate nothing.
/// </summary>
/// <remarks>
/// State layout (R's): level l, then the growth b when there is a trend, then m seasonal states s_1..s_m, s_1 the most
/// recent (s_m is the one used for the next period). <c>lik = n log(sum e^2) + 2 sum log|yhat|</c> (the last term for
/// multiplicative errors only), i.e. minus twice the log-likelihood up to a constant, as R.
/// </remarks>
internal sealed class EtsRecursion
{
    private const double Tol = 1.0e-10, HugeN = 1.0e10;
    /// <summary>R's NA marker in the old C code; a multiplicative trend with a negative growth gives it.</summary>
    internal const double NaMarker = -99999.0;
    private readonly double[] _s, _f;
    private readonly double[] _denom;

    public EtsRecursion(int n, int m, int nmse)
    {
        N = n;
        M = Math.Max(m, 1);
        Nmse = Math.Min(Math.Max(nmse, 1), 30);
        _s = new double[Math.Max(M, 1)];
        _f = new double[30];
        _denom = new double[30];
        Errors = new double[n];
        Amse = new double[Nmse];
    }

    public int N { get; }
    public int M { get; }
    public int Nmse { get; }
    /// <summary>Errors of the last run (additive: y - yhat; multiplicative: (y - yhat)/yhat).</summary>
    public double[] Errors { get; }
    /// <summary>1..Nmse-step mean squared errors of the last run (when asked for).</summary>
    public double[] Amse { get; }

    /// <summary>
    /// Runs the recursion over <paramref name="y"/> from <paramref name="init"/> (l, b?, s_1..s_m); returns R's lik (or
    /// <see cref="NaMarker"/>). <paramref name="final"/>, when not empty, receives the state after the last value;
    /// <paramref name="amse"/> computes <see cref="Amse"/>.
    /// </summary>
    public double Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init, EtsSpec spec, double alpha, double beta, double gamma, double phi,
        bool amse, Span<double> final)
    {
        // one compiled loop per (trend, season, error) so the branches on the model's form vanish from the inner loop
        bool mult = spec.Error == EtsForm.Multiplicative;
        return (spec.Trend, spec.Season) switch
        {
            (EtsForm.None, EtsForm.None) => mult ? Run<FormN, FormN, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormN, FormN, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (EtsForm.None, EtsForm.Additive) => mult ? Run<FormN, FormA, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormN, FormA, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (EtsForm.None, _) => mult ? Run<FormN, FormM, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormN, FormM, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (EtsForm.Additive, EtsForm.None) => mult ? Run<FormA, FormN, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormA, FormN, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (EtsForm.Additive, EtsForm.Additive) => mult ? Run<FormA, FormA, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormA, FormA, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (EtsForm.Additive, _) => mult ? Run<FormA, FormM, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormA, FormM, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (_, EtsForm.None) => mult ? Run<FormM, FormN, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormM, FormN, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            (_, EtsForm.Additive) => mult ? Run<FormM, FormA, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormM, FormA, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
            _ => mult ? Run<FormM, FormM, FormM>(y, init, alpha, beta, gamma, phi, amse, final) : Run<FormM, FormM, FormA>(y, init, alpha, beta, gamma, phi, amse, final),
        };
    }

    private interface IForm
    {
        static abstract int Code { get; }
    }

    private struct FormN : IForm
    {
        public static int Code => 0;
    }

    private struct FormA : IForm
    {
        public static int Code => 1;
    }

    private struct FormM : IForm
    {
        public static int Code => 2;
    }

    private double Run<TTrend, TSeason, TError>(ReadOnlySpan<double> y, ReadOnlySpan<double> init, double alpha, double beta, double gamma, double phi,
        bool amse, Span<double> final)
        where TTrend : struct, IForm where TSeason : struct, IForm where TError : struct, IForm
    {
        int n = y.Length, m = TSeason.Code == 0 ? 1 : M;
        int trend = TTrend.Code, season = TSeason.Code;
        bool multError = TError.Code == 2;
        int nf = amse ? Nmse : 1;
        double l = init[0], b = 0.0;
        if (trend > 0) b = init[1];
        // seasonal states in a ring: s_1 (most recent) at ring[head], s_j at ring[(head + j - 1) % m]; a new state
        // overwrites s_m, the one R's update drops, so the values are exactly R's shifted array
        var ring = _s.AsSpan(0, m);
        if (season > 0) init.Slice(trend > 0 ? 2 : 1, m).CopyTo(ring);
        int head = 0;
        var f = _f.AsSpan(0, nf);
        if (amse) { Array.Clear(Amse); Array.Clear(_denom); }
        double lik = 0.0;
        // sum log|yhat| as the log of a running product with its binary exponent split off (one log per run instead of
        // one per value; equal to R's sum of logs up to rounding)
        double prod = 1.0;
        long prodExp = 0;
        var e = Errors.AsSpan(0, n);
        bool phiOne = Math.Abs(phi - 1.0) < Tol;
        double betaOverAlpha = beta / alpha; // R computes (beta/alpha) every step: the same value
        for (int i = 0; i < n; i++)
        {
            double oldl = l, oldb = b;
            int last = head + m - 1;
            if (last >= m) last -= m;
            double sOld = season > 0 ? ring[last] : 0.0;
            // ONE STEP FORECAST (R: forecast)
            double f0;
            if (trend == 0) f0 = oldl;
            else if (trend == 1) f0 = oldl + phi * oldb;
            else f0 = oldb < 0 ? NaMarker : oldl * Math.Pow(oldb, phi);
            if (season == 1) f0 += sOld;
            else if (season == 2) f0 *= sOld;
            if (Math.Abs(f0 - NaMarker) < Tol) return NaMarker;
            double yi = y[i];
            double ei = multError ? (yi - f0) / f0 : yi - f0;
            e[i] = ei;
            if (amse)
            {
                f[0] = f0;
                if (nf > 1) ForecastRing(oldl, oldb, ring, head, m, trend, season, phi, f);
                for (int j = 0; j < nf; j++)
                {
                    if (i + j < n)
                    {
                        _denom[j] += 1.0;
                        double tmp = y[i + j] - f[j];
                        Amse[j] = (Amse[j] * (_denom[j] - 1.0) + tmp * tmp) / _denom[j];
                    }
                }
            }
            // UPDATE STATE (R: update)
            double q, phib;
            if (trend == 0) { q = oldl; phib = 0; }
            else if (trend == 1) { phib = phi * oldb; q = oldl + phib; }
            else if (phiOne) { phib = oldb; q = oldl * oldb; }
            else { phib = Math.Pow(oldb, phi); q = oldl * phib; }
            double p;
            if (season == 0) p = yi;
            else if (season == 1) p = yi - sOld;
            else p = Math.Abs(sOld) < Tol ? HugeN : yi / sOld;
            l = q + alpha * (p - q);
            if (trend > 0)
            {
                double r;
                if (trend == 1) r = l - oldl;
                else r = Math.Abs(oldl) < Tol ? HugeN : l / oldl;
                b = phib + betaOverAlpha * (r - phib);
            }
            if (season > 0)
            {
                double t;
                if (season == 1) t = yi - q;
                else t = Math.Abs(q) < Tol ? HugeN : yi / q;
                head = last; // the slot of s_m becomes s_1
                ring[head] = sOld + gamma * (t - sOld);
            }
            lik += ei * ei;
            if (multError)
            {
                prod *= Math.Abs(f0);
                if (prod > 1e150 || prod < 1e-150)
                {
                    if (prod == 0 || !double.IsFinite(prod)) { prodExp = 0; }
                    else
                    {
                        int ex = Math.ILogB(prod);
                        prod = Math.ScaleB(prod, -ex);
                        prodExp += ex;
                    }
                }
            }
        }
        lik = n * Math.Log(lik);
        if (multError) lik += 2 * (Math.Log(prod) + prodExp * 0.69314718055994530942);
        if (!final.IsEmpty)
        {
            final[0] = l;
            if (trend > 0) final[1] = b;
            if (season > 0)
            {
                var dst = final[(trend > 0 ? 2 : 1)..];
                for (int j = 0; j < m; j++) dst[j] = ring[(head + j) % m];
            }
        }
        return lik;
    }

    /// <summary>Forecasts 1..f.Length from a ring-stored season (as <see cref="Forecast(double, double, ReadOnlySpan{double}, int, int, int, double, Span{double})"/>).</summary>
    private static void ForecastRing(double l, double b, ReadOnlySpan<double> ring, int head, int m, int trend, int season, double phi, Span<double> f)
    {
        double phistar = phi;
        for (int i = 0; i < f.Length; i++)
        {
            if (trend == 0) f[i] = l;
            else if (trend == 1) f[i] = l + phistar * b;
            else if (b < 0) f[i] = NaMarker;
            else f[i] = l * Math.Pow(b, phistar);
            int j = m - 1 - i;
            while (j < 0) j += m;
            if (season == 1) f[i] += ring[(head + j) % m];
            else if (season == 2) f[i] *= ring[(head + j) % m];
            if (i < f.Length - 1)
                phistar = Math.Abs(phi - 1.0) < Tol ? phistar + 1.0 : phistar + Math.Pow(phi, i + 1);
        }
    }

    /// <summary>Point forecasts 1..f.Length from state (l, b, s) (R: static <c>forecast</c> in etscalc.c).</summary>
    internal static void Forecast(double l, double b, ReadOnlySpan<double> s, int m, int trend, int season, double phi, Span<double> f)
    {
        double phistar = phi;
        int h = f.Length;
        for (int i = 0; i < h; i++)
        {
            if (trend == 0) f[i] = l;
            else if (trend == 1) f[i] = l + phistar * b;
            else if (b < 0) f[i] = NaMarker;
            else f[i] = l * Math.Pow(b, phistar);
            int j = m - 1 - i;
            while (j < 0) j += m;
            if (season == 1) f[i] += s[j];
            else if (season == 2) f[i] *= s[j];
            if (i < h - 1)
                phistar = Math.Abs(phi - 1.0) < Tol ? phistar + 1.0 : phistar + Math.Pow(phi, i + 1);
        }
    }

    /// <summary>Point forecasts from a full state vector (l, b?, s_1..s_m) (R: <c>etsforecast</c>).</summary>
    internal static double[] Forecast(ReadOnlySpan<double> state, EtsSpec spec, int m, double phi, int h)
    {
        int trend = (int)spec.Trend, season = (int)spec.Season;
        double l = state[0], b = trend > 0 ? state[1] : 0.0;
        int mm = season > 0 ? m : 1;
        var s = season > 0 ? state.Slice(trend > 0 ? 2 : 1, mm) : [0.0];
        var f = new double[h];
        Forecast(l, b, s, mm, trend, season, phi, f);
        return f;
    }
}
