using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// R's likelihood recursion (<c>etscalc</c> with nmmse = 0, as <see cref="EtsRecursion"/>) for four parameter sets at
/// once, one per lane of a <see cref="Vector256{T}"/>: each lane performs exactly the scalar recursion's IEEE operations in
/// the same order (no fused multiply-adds), so every lane's lik is bit-identical to <see cref="EtsRecursion.Run"/>. The
/// scalar recursion is bound by the latency of its level/growth chain (about 40 cycles a step), so four independent
/// lanes cost about as much as one; Nelder-Mead uses them to evaluate its candidate points speculatively. Additive or no
/// trend only (the multiplicative trend needs <c>pow</c>).
/// </summary>
internal sealed class EtsRecursionBatch
{
    private const double Tol = 1.0e-10, HugeN = 1.0e10;
    private readonly Vector256<double>[] _ring;
    private readonly int _m;

    public EtsRecursionBatch(int m)
    {
        _m = Math.Max(m, 1);
        _ring = new Vector256<double>[_m];
    }

    /// <summary>
    /// Whether the batched recursion is used: with hardware acceleration, for an additive (or damped) trend, whose long
    /// level-growth dependency chain leaves room for four lanes (measured with <c>Hindsight.Bench -- ets</c>, ETS_MICRO=1:
    /// AAA 8.7 -> 6.1 ms, AAN 1.3 -> 0.9 ms a fit; MAM equal). Without a trend the scalar step is short and three lanes of
    /// divisions cost more than they save (MNM 6.3 -> 8.1 ms), so those forms stay scalar.
    /// </summary>
    public static bool Supports(EtsSpec spec) => Vector256.IsHardwareAccelerated && spec.Trend == EtsForm.Additive;

    /// <summary>
    /// Runs four recursions; <paramref name="states"/> holds four full state vectors (l, b?, s_1..s_m) of
    /// <paramref name="stateLength"/> values each. Writes each lane's R lik to <paramref name="lik"/>.
    /// </summary>
    public void Run(ReadOnlySpan<double> y, ReadOnlySpan<double> states, int stateLength, EtsSpec spec, Vector256<double> alpha,
        Vector256<double> beta, Vector256<double> gamma, Vector256<double> phi, Span<double> lik)
    {
        bool mult = spec.Error == EtsForm.Multiplicative;
        switch (spec.Trend, spec.Season)
        {
            case (EtsForm.None, EtsForm.None): if (mult) Run<FormN, FormN, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormN, FormN, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
            case (EtsForm.None, EtsForm.Additive): if (mult) Run<FormN, FormA, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormN, FormA, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
            case (EtsForm.None, _): if (mult) Run<FormN, FormM, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormN, FormM, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
            case (_, EtsForm.None): if (mult) Run<FormA, FormN, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormA, FormN, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
            case (_, EtsForm.Additive): if (mult) Run<FormA, FormA, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormA, FormA, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
            default: if (mult) Run<FormA, FormM, FormM>(y, states, stateLength, alpha, beta, gamma, phi, lik); else Run<FormA, FormM, FormA>(y, states, stateLength, alpha, beta, gamma, phi, lik); break;
        }
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

    private static Vector256<double> Lane(ReadOnlySpan<double> states, int stateLength, int index) =>
        Vector256.Create(states[index], states[stateLength + index], states[2 * stateLength + index], states[3 * stateLength + index]);

    private void Run<TTrend, TSeason, TError>(ReadOnlySpan<double> y, ReadOnlySpan<double> states, int stateLength, Vector256<double> alpha,
        Vector256<double> beta, Vector256<double> gamma, Vector256<double> phi, Span<double> likOut)
        where TTrend : struct, IForm where TSeason : struct, IForm where TError : struct, IForm
    {
        int n = y.Length;
        int trend = TTrend.Code, season = TSeason.Code;
        bool multError = TError.Code == 2;
        int m = season == 0 ? 1 : _m;
        var l = Lane(states, stateLength, 0);
        var b = trend > 0 ? Lane(states, stateLength, 1) : Vector256<double>.Zero;
        var ring = _ring.AsSpan(0, m);
        if (season > 0)
            for (int j = 0; j < m; j++) ring[j] = Lane(states, stateLength, (trend > 0 ? 2 : 1) + j);
        var tol = Vector256.Create(Tol);
        var huge = Vector256.Create(HugeN);
        var hi = Vector256.Create(1e150);
        var lo = Vector256.Create(1e-150);
        var marker = Vector256.Create(EtsRecursion.NaMarker);
        var hitMarker = Vector256<double>.Zero;
        var betaOverAlpha = beta / alpha;
        var lik = Vector256<double>.Zero;
        var prod = Vector256<double>.One;
        Span<long> prodExp = stackalloc long[4];
        prodExp.Clear();
        int head = 0;
        for (int i = 0; i < n; i++)
        {
            var oldl = l;
            int last = head + m - 1;
            if (last >= m) last -= m;
            var sOld = season > 0 ? ring[last] : Vector256<double>.Zero;
            var yi = Vector256.Create(y[i]);
            // one-step forecast (R: forecast)
            Vector256<double> q, phib;
            if (trend == 0) { q = oldl; phib = Vector256<double>.Zero; }
            else { phib = phi * b; q = oldl + phib; }
            Vector256<double> f0 = q; // oldl + phi * oldb: the same operations as q
            if (season == 1) f0 += sOld;
            else if (season == 2) f0 *= sOld;
            // the scalar recursion stops with R's NA marker when a forecast is within 1e-10 of it
            hitMarker |= Vector256.LessThan(Vector256.Abs(f0 - marker), tol);
            var ei = multError ? (yi - f0) / f0 : yi - f0;
            // update state (R: update)
            Vector256<double> p;
            if (season == 0) p = yi;
            else if (season == 1) p = yi - sOld;
            else p = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(sOld), tol), huge, yi / sOld);
            l = q + alpha * (p - q);
            if (trend > 0) b = phib + betaOverAlpha * ((l - oldl) - phib);
            if (season > 0)
            {
                Vector256<double> t;
                if (season == 1) t = yi - q;
                else t = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q), tol), huge, yi / q);
                head = last;
                ring[head] = sOld + gamma * (t - sOld);
            }
            lik += ei * ei;
            if (multError)
            {
                prod *= Vector256.Abs(f0);
                if ((Vector256.GreaterThan(prod, hi) | Vector256.LessThan(prod, lo)) != Vector256<double>.Zero)
                    prod = Renormalise(prod, prodExp);
            }
        }
        for (int k = 0; k < 4; k++)
        {
            double v = n * Math.Log(lik.GetElement(k));
            if (multError) v += 2 * (Math.Log(prod.GetElement(k)) + prodExp[k] * 0.69314718055994530942);
            likOut[k] = hitMarker.GetElement(k) != 0 ? EtsRecursion.NaMarker : v;
        }
    }

    /// <summary>The scalar recursion's renormalisation of the running product of |yhat|, lane by lane.</summary>
    private static Vector256<double> Renormalise(Vector256<double> prod, Span<long> prodExp)
    {
        Span<double> p = stackalloc double[4];
        prod.CopyTo(p);
        for (int k = 0; k < 4; k++)
        {
            if (p[k] > 1e150 || p[k] < 1e-150)
            {
                if (p[k] == 0 || !double.IsFinite(p[k])) prodExp[k] = 0;
                else
                {
                    int ex = Math.ILogB(p[k]);
                    p[k] = Math.ScaleB(p[k], -ex);
                    prodExp[k] += ex;
                }
            }
        }
        return Vector256.Create(p[0], p[1], p[2], p[3]);
    }
}
