using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>The information criterion auto.arima minimises (R's <c>ic</c>).</summary>
public enum ArimaCriterion
{
    /// <summary>Corrected AIC (R's default).</summary>
    Aicc,
    /// <summary>AIC.</summary>
    Aic,
    /// <summary>BIC.</summary>
    Bic,
}

/// <summary>Options of <see cref="AutoArima"/>, defaults as R's <c>forecast::auto.arima</c>.</summary>
public sealed record AutoArimaOptions
{
    /// <summary>Largest p.</summary>
    public int MaxP { get; init; } = 5;
    /// <summary>Largest q.</summary>
    public int MaxQ { get; init; } = 5;
    /// <summary>Largest P.</summary>
    public int MaxSeasonalP { get; init; } = 2;
    /// <summary>Largest Q.</summary>
    public int MaxSeasonalQ { get; init; } = 2;
    /// <summary>Largest d.</summary>
    public int MaxD { get; init; } = 2;
    /// <summary>Largest D.</summary>
    public int MaxSeasonalD { get; init; } = 1;
    /// <summary>Start p of the stepwise search.</summary>
    public int StartP { get; init; } = 2;
    /// <summary>Start q.</summary>
    public int StartQ { get; init; } = 2;
    /// <summary>Start P.</summary>
    public int StartSeasonalP { get; init; } = 1;
    /// <summary>Start Q.</summary>
    public int StartSeasonalQ { get; init; } = 1;
    /// <summary>Most models the stepwise search fits.</summary>
    public int MaxModels { get; init; } = 94;
    /// <summary>Fit by CSS with an AIC offset during the search (null: R's rule, n &gt; 150 or m &gt; 12).</summary>
    public bool? Approximation { get; init; }
    /// <summary>Allow a drift term when d + D = 1.</summary>
    public bool AllowDrift { get; init; } = true;
    /// <summary>Allow a mean when d + D = 0.</summary>
    public bool AllowMean { get; init; } = true;
    /// <summary>Consider seasonal models.</summary>
    public bool Seasonal { get; init; } = true;
    /// <summary>The criterion.</summary>
    public ArimaCriterion Criterion { get; init; } = ArimaCriterion.Aicc;
    /// <summary>Given d (null: <see cref="UnitRoots.Ndiffs"/>).</summary>
    public int? D { get; init; }
    /// <summary>Given D (null: <see cref="UnitRoots.Nsdiffs"/>).</summary>
    public int? SeasonalD { get; init; }
}

/// <summary>
/// R's <c>forecast::auto.arima</c> (forecast 8.20) with its defaults: D by <see cref="UnitRoots.Nsdiffs"/> (seasonal strength),
/// d by <see cref="UnitRoots.Ndiffs"/> (KPSS), then the stepwise search of Hyndman and Khandakar (2008) over (p, q, P, Q)
/// and the constant, each model fitted as <c>forecast:::myarima</c> does (CSS with an offset while approximating; near-unit
/// roots and failed fits rejected), and the best approximated models refitted exactly. With regressors (R's <c>xreg</c>)
/// the differencing tests run on the residuals of <c>lm(x ~ xreg)</c> and every model is a regression with ARIMA errors.
/// </summary>
public static class AutoArima
{
    /// <summary>Chooses and fits an ARIMA for <paramref name="x"/> of seasonal period <paramref name="period"/>.</summary>
    /// <param name="x">The series.</param>
    /// <param name="period">Seasonal period m.</param>
    /// <param name="options">Search options (R's defaults when null).</param>
    /// <param name="xreg">Regressors (R's <c>xreg</c>), n x k: one row per value of <paramref name="x"/>; the chosen model
    /// is then a regression with ARIMA errors and forecasts need the future rows.</param>
    /// <param name="xregNames">Names of the k regressors (default R's <c>xreg</c>, or <c>xreg1..k</c>).</param>
    /// <exception cref="ArimaFitException">R's errors: no data left after differencing, a polynomial series, no suitable model.</exception>
    /// <exception cref="ArgumentException">(parameter <c>xreg</c>) Wrong row count, a value not finite, a constant column
    /// (R drops it from its tests but its fits fail with it) or collinear columns (R: "xreg is rank deficient").</exception>
    public static ArimaModel Fit(ReadOnlySpan<double> x, int period, AutoArimaOptions? options = null, double[,]? xreg = null,
        IReadOnlyList<string>? xregNames = null)
    {
        var opt = options ?? new AutoArimaOptions();
        var y = x.ToArray();
        int serieslength = y.Length;
        double[][]? xcols = null;
        string[]? xnames = null;
        if (xreg is not null)
        {
            xcols = XregInput.Columns(xreg, y.Length, -1, nameof(xreg));
            xnames = XregInput.Names(xcols.Length, xregNames, nameof(xregNames));
        }
        if (serieslength == 0) throw new ArimaFitException("All data are missing");
        if (SeriesChecks.IsConstant(y)) return ArimaModel.ConstantSeries(y, opt.AllowMean);
        // R: the differencing tests see the residuals of lm(x ~ xreg)
        var xx = y;
        if (xcols is not null)
        {
            XregInput.CheckColumns(xcols, xnames!, nameof(xreg));
            xx = RegressionResiduals(y, xcols);
        }
        int m = opt.Seasonal ? Math.Max(1, period) : 1;
        int maxp = Math.Min(opt.MaxP, serieslength / 3), maxq = Math.Min(opt.MaxQ, serieslength / 3);
        int maxP = Math.Min(opt.MaxSeasonalP, serieslength / 3 / m), maxQ = Math.Min(opt.MaxSeasonalQ, serieslength / 3 / m);
        var criterion = serieslength <= 3 ? ArimaCriterion.Aic : opt.Criterion;
        bool approximation = opt.Approximation ?? (serieslength > 150 || period > 12);

        int D;
        if (m == 1) { D = 0; maxP = maxQ = 0; }
        else if (opt.SeasonalD is int givenD) D = givenD;
        else if (xx.Length <= 2 * m) D = 0;
        else
        {
            D = UnitRoots.Nsdiffs(xx, m, opt.MaxSeasonalD);
            if (D > 0 && xcols is not null && AnyConstant(xcols, m, D, 0)) D--;
            if (D > 0 && SeriesChecks.Diff(xx, m, D).Length == 0) D--;
        }
        var dx = D > 0 ? SeriesChecks.Diff(xx, m, D) : xx;
        int d;
        if (opt.D is int givenSmallD) d = givenSmallD;
        else
        {
            d = UnitRoots.Ndiffs(dx, opt.MaxD);
            if (d > 0 && xcols is not null && AnyConstant(xcols, m, D, d)) d--;
            if (d > 0 && SeriesChecks.Diff(dx, 1, d).Length == 0) d--;
        }
        if (d > 0) dx = SeriesChecks.Diff(dx, 1, d);
        if (dx.Length == 0) throw new ArimaFitException("Not enough data to proceed");
        if (SeriesChecks.IsConstant(dx))
        {
            if (xcols is null) return ConstantDifferences(y, dx, d, D, m);
            return ArimaModel.FitArima(y, new ArimaOrder(0, d, 0, 0, D, 0, m), xreg: xreg, xregNames: xnames);
        }

        if (m > 1)
        {
            if (maxP > 0) maxp = Math.Min(maxp, m - 1);
            if (maxQ > 0) maxq = Math.Min(maxq, m - 1);
        }
        double offset = 0;
        if (approximation)
        {
            try
            {
                var fit0 = ArimaEstimator.Fit(y, new ArimaOrder(0, d, 0, 0, D, 0, m), xcols, xnames, true, ArimaMethod.CssMl, null, deferVariance: false);
                offset = -2 * fit0.LogLik - serieslength * Math.Log(fit0.Sigma2);
            }
            catch (Exception e) when (e is ArimaFitException or Optimization.OptimizationException or ArgumentException) { offset = 0; }
        }
        bool allowdrift = opt.AllowDrift && d + D == 1, allowmean = opt.AllowMean && d + D == 0;
        bool constant = allowdrift || allowmean;

        int startp = opt.StartP, startq = opt.StartQ, startP = opt.StartSeasonalP, startQ = opt.StartSeasonalQ;
        if (y.Length < 10) { startp = Math.Min(startp, 1); startq = Math.Min(startq, 1); startP = 0; startQ = 0; }
        int p = Math.Min(startp, maxp), q = Math.Min(startq, maxq), P = Math.Min(startP, maxP), Q = Math.Min(startQ, maxQ);
        int nmodels = opt.MaxModels;
        var results = new List<(int p, int q, int P, int Q, bool c, double ic)>();
        ArimaModel? best = null;
        double bestIc = double.PositiveInfinity;

        // without approximation a model's criterion matters only when it beats the best so far: R's coefficient-variance
        // check (the Hessian) is done only then; with approximation every criterion orders the exact refits
        (ArimaModel? Model, double Ic) Fit1(int pp, int qq, int PP, int QQ, bool c) =>
            ArimaModel.FitForSearch(y, new ArimaOrder(pp, d, qq, PP, D, QQ, m), c, approximation, offset, criterion,
                approximation ? double.PositiveInfinity : bestIc, xreg: xcols, xregNames: xnames);

        var f = Fit1(p, q, P, Q, constant);
        best = f.Model; bestIc = f.Ic;
        results.Add((p, q, P, Q, constant, f.Ic));
        f = Fit1(0, 0, 0, 0, constant);
        results.Add((0, 0, 0, 0, constant, f.Ic));
        if (f.Ic < bestIc) { best = f.Model; bestIc = f.Ic; p = q = P = Q = 0; }
        if (maxp > 0 || maxP > 0)
        {
            int pp = maxp > 0 ? 1 : 0, PP = m > 1 && maxP > 0 ? 1 : 0;
            f = Fit1(pp, 0, PP, 0, constant);
            results.Add((pp, 0, PP, 0, constant, f.Ic));
            if (f.Ic < bestIc) { best = f.Model; bestIc = f.Ic; p = pp; P = PP; q = Q = 0; }
        }
        if (maxq > 0 || maxQ > 0)
        {
            int qq = maxq > 0 ? 1 : 0, QQ = m > 1 && maxQ > 0 ? 1 : 0;
            f = Fit1(0, qq, 0, QQ, constant);
            results.Add((0, qq, 0, QQ, constant, f.Ic));
            if (f.Ic < bestIc) { best = f.Model; bestIc = f.Ic; p = P = 0; Q = QQ; q = qq; }
        }
        if (constant)
        {
            f = Fit1(0, 0, 0, 0, false);
            results.Add((0, 0, 0, 0, false, f.Ic));
            if (f.Ic < bestIc) { best = f.Model; bestIc = f.Ic; p = q = P = Q = 0; }
        }

        bool IsNew(int pp, int qq, int PP, int QQ, bool c)
        {
            foreach (var r in results) if (r.p == pp && r.q == qq && r.P == PP && r.Q == QQ && r.c == c) return false;
            return true;
        }
        // one neighbour: fit it if new; true when it became the best (R's `next`)
        bool Try(int pp, int qq, int PP, int QQ, bool c, ref bool stop)
        {
            if (!IsNew(pp, qq, PP, QQ, c)) return false;
            if (results.Count + 1 > nmodels) { stop = true; return false; }
            var g = Fit1(pp, qq, PP, QQ, c);
            results.Add((pp, qq, PP, QQ, c, g.Ic));
            if (g.Ic < bestIc) { best = g.Model; bestIc = g.Ic; return true; }
            return false;
        }

        int startk = 0;
        while (startk < results.Count && results.Count < nmodels)
        {
            startk = results.Count;
            bool stop = false;
            if (P > 0 && Try(p, q, P - 1, Q, constant, ref stop)) { P--; continue; }
            if (stop) break;
            if (Q > 0 && Try(p, q, P, Q - 1, constant, ref stop)) { Q--; continue; }
            if (stop) break;
            if (P < maxP && Try(p, q, P + 1, Q, constant, ref stop)) { P++; continue; }
            if (stop) break;
            if (Q < maxQ && Try(p, q, P, Q + 1, constant, ref stop)) { Q++; continue; }
            if (stop) break;
            if (Q > 0 && P > 0 && Try(p, q, P - 1, Q - 1, constant, ref stop)) { Q--; P--; continue; }
            if (stop) break;
            if (Q < maxQ && P > 0 && Try(p, q, P - 1, Q + 1, constant, ref stop)) { Q++; P--; continue; }
            if (stop) break;
            if (Q > 0 && P < maxP && Try(p, q, P + 1, Q - 1, constant, ref stop)) { Q--; P++; continue; }
            if (stop) break;
            if (Q < maxQ && P < maxP && Try(p, q, P + 1, Q + 1, constant, ref stop)) { Q++; P++; continue; }
            if (stop) break;
            if (p > 0 && Try(p - 1, q, P, Q, constant, ref stop)) { p--; continue; }
            if (stop) break;
            if (q > 0 && Try(p, q - 1, P, Q, constant, ref stop)) { q--; continue; }
            if (stop) break;
            if (p < maxp && Try(p + 1, q, P, Q, constant, ref stop)) { p++; continue; }
            if (stop) break;
            if (q < maxq && Try(p, q + 1, P, Q, constant, ref stop)) { q++; continue; }
            if (stop) break;
            if (q > 0 && p > 0 && Try(p - 1, q - 1, P, Q, constant, ref stop)) { q--; p--; continue; }
            if (stop) break;
            if (q < maxq && p > 0 && Try(p - 1, q + 1, P, Q, constant, ref stop)) { q++; p--; continue; }
            if (stop) break;
            if (q > 0 && p < maxp && Try(p + 1, q - 1, P, Q, constant, ref stop)) { q--; p++; continue; }
            if (stop) break;
            if (q < maxq && p < maxp && Try(p + 1, q + 1, P, Q, constant, ref stop)) { q++; p++; continue; }
            if (stop) break;
            if ((allowdrift || allowmean) && Try(p, q, P, Q, !constant, ref stop)) constant = !constant;
            if (stop) break;
        }

        if (approximation && best is not null)
        {
            // refit the models in order of their approximate criterion until one fits exactly (order() is stable): the
            // first refit alone (it usually succeeds), after a failure two workers, one thread each, take the next refits
            // in order until one succeeds, and the first success in that order is taken: the same model as one by one
            var order = Enumerable.Range(0, results.Count).OrderBy(i => results[i].ic).ToList();
            var fits = new (ArimaModel? Model, double Ic)[order.Count];
            var errors = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[order.Count];
            void Refit(int k, bool singleThread)
            {
                var r = results[order[k]];
                try
                {
                    fits[k] = ArimaModel.FitForSearch(y, new ArimaOrder(r.p, d, r.q, r.P, D, r.Q, m), r.c, false, 0, criterion,
                        singleThread: singleThread, xreg: xcols, xregNames: xnames);
                }
                catch (Exception e) { errors[k] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
            }
            bool Decided(int k) => errors[k] is not null || fits[k].Ic < double.PositiveInfinity;
            Refit(0, singleThread: false);
            if (!Decided(0) && order.Count > 1)
            {
                if (Environment.ProcessorCount > 1)
                {
                    // every refit before the first decided one is done: a worker stops only past a decided index
                    int taken = 0, decided = int.MaxValue;
                    void Worker()
                    {
                        while (true)
                        {
                            int k = Interlocked.Increment(ref taken);
                            if (k >= order.Count || k > Volatile.Read(ref decided)) return;
                            Refit(k, singleThread: true);
                            if (!Decided(k)) continue;
                            int seen;
                            do seen = Volatile.Read(ref decided);
                            while (k < seen && Interlocked.CompareExchange(ref decided, k, seen) != seen);
                        }
                    }
                    Parallel.Invoke(Worker, Worker);
                }
                else
                {
                    for (int k = 1; k < order.Count && !Decided(k - 1); k++) Refit(k, singleThread: false);
                }
            }
            // an unexpected error is raised only where the one-by-one loop would have reached it
            for (int k = 0; k < order.Count; k++)
            {
                if (errors[k] is { } error) error.Throw();
                if (fits[k].Ic < double.PositiveInfinity) { best = fits[k].Model; bestIc = fits[k].Ic; break; }
            }
        }
        if (best is null || double.IsPositiveInfinity(bestIc))
            throw new ArimaFitException("No suitable ARIMA model found");
        return best;
    }

    // R: residuals(lm(x ~ xreg)) (with an intercept)
    private static double[] RegressionResiduals(double[] y, double[][] xreg)
    {
        var one = new double[y.Length];
        Array.Fill(one, 1.0);
        double[][] design = [one, .. xreg];
        if (!RegressionAlgebra.TryLeastSquares(y, design, out var coef, out _))
            throw new ArgumentException("xreg: the regressors are collinear (with the intercept): xreg is rank deficient (as R's auto.arima).", "xreg");
        var r = (double[])y.Clone();
        for (int j = 0; j < design.Length; j++)
            for (int i = 0; i < r.Length; i++) r[i] -= coef[j] * design[j][i];
        return r;
    }

    // whether a regressor is constant after D seasonal differences at lag m and then d differences (R: any(apply(diffxreg, 2, is.constant)))
    private static bool AnyConstant(double[][] xreg, int m, int D, int d)
    {
        foreach (var c in xreg)
        {
            var z = D > 0 ? SeriesChecks.Diff(c, m, D) : c;
            if (d > 0) z = SeriesChecks.Diff(z, 1, d);
            if (SeriesChecks.IsConstant(z)) return true;
        }
        return false;
    }

    // auto.arima's models for a series whose differences are constant (no xreg)
    private static ArimaModel ConstantDifferences(double[] y, double[] dx, int d, int D, int m)
    {
        if (D > 0 && d == 0)
            return ArimaModel.FitArima(y, new ArimaOrder(0, d, 0, 0, D, 0, m), includeConstant: true, fixedCoefficients: [Mean(dx) / m]);
        if (D > 0 && d > 0)
            return ArimaModel.FitArima(y, new ArimaOrder(0, d, 0, 0, D, 0, m));
        if (d == 2)
            return ArimaModel.FitArima(y, new ArimaOrder(0, d, 0, Period: m));
        if (d < 2)
            return ArimaModel.FitArima(y, new ArimaOrder(0, d, 0, Period: m), includeConstant: true, fixedCoefficients: [Mean(dx)]);
        throw new ArimaFitException("Data follow a simple polynomial and are not suitable for ARIMA modelling.");
    }

    private static double Mean(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v;
        return s / x.Length;
    }
}
