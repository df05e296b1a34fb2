using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// An ARIMA as R's <c>forecast::Arima</c> fits it: <c>stats::arima</c> plus a drift regressor <c>1..n</c> when asked (only
/// with one difference), AICc and BIC on the effective sample <c>n - d - mD</c>, and sigma2 replaced by
/// <c>sum(residuals^2) / (n - d - mD - k)</c> for k estimated coefficients; forecasts as <c>forecast.Arima</c>.
/// </summary>
public sealed class ArimaModel
{
    private ArimaModel(double[] series, ArimaFit fit, bool drift, bool constantSeries, string[]? regressorNames = null)
    {
        Series = series;
        Fit = fit;
        HasDrift = drift;
        IsConstantSeries = constantSeries;
        RegressorNames = regressorNames ?? [];
    }

    /// <summary>The series fitted.</summary>
    public double[] Series { get; }
    /// <summary>The fit of <c>stats::arima</c> (sigma2 replaced as forecast does).</summary>
    public ArimaFit Fit { get; }
    /// <summary>The orders.</summary>
    public ArimaOrder Order => Fit.Order;
    /// <summary>Whether a drift term is fitted.</summary>
    public bool HasDrift { get; }
    /// <summary>Whether a mean (intercept) is fitted.</summary>
    public bool HasMean => Fit.Names.Contains("intercept");
    /// <summary>auto.arima's constant-series model: forecasts repeat the first value with zero-width intervals (R's <c>fit$constant</c>).</summary>
    public bool IsConstantSeries { get; }
    /// <summary>AIC (NaN for a CSS fit).</summary>
    public double Aic { get; private set; }
    /// <summary>AICc as forecast computes it.</summary>
    public double Aicc { get; private set; }
    /// <summary>BIC as forecast computes it.</summary>
    public double Bic { get; private set; }
    /// <summary>Log-likelihood.</summary>
    public double LogLik => Fit.LogLik;
    /// <summary>Innovation variance as forecast reports it.</summary>
    public double Sigma2 => Fit.Sigma2;
    /// <summary>Coefficients (see <see cref="ArimaFit.Coefficients"/>): ARMA, then intercept or drift, then the regressors.</summary>
    public IReadOnlyList<double> Coefficients => Fit.Coefficients;
    /// <summary>Names of the regressors given as <c>xreg</c> (not the intercept or drift), in column order; empty without.</summary>
    public IReadOnlyList<string> RegressorNames { get; }
    /// <summary>Number of <c>xreg</c> columns: a forecast needs their future values (h x this).</summary>
    public int RegressorCount => RegressorNames.Count;

    /// <summary>R's description, e.g. <c>ARIMA(0,1,1)(0,1,1)[12]</c>, <c>ARIMA(1,1,0) with drift</c>, <c>ARIMA(2,0,0) with non-zero mean</c>,
    /// <c>Regression with ARIMA(1,1,0) errors</c>.</summary>
    public override string ToString()
    {
        var s = Order.ToString();
        if (RegressorCount > 0) return $"Regression with {s} errors";
        if (HasDrift) return s + " with drift";
        if (Order.Differences == 0) return s + (HasMean ? " with non-zero mean" : " with zero mean");
        return s;
    }

    /// <summary>
    /// R: <c>forecast::Arima(x, order, seasonal, include.mean, include.drift, method)</c>.
    /// <paramref name="includeConstant"/>, when given, sets both as R's <c>include.constant</c> (drift when d + D = 1).
    /// </summary>
    /// <param name="x">The series.</param>
    /// <param name="order">Orders and period.</param>
    /// <param name="includeMean">Fit a mean when there is no differencing.</param>
    /// <param name="includeDrift">Fit a drift 1..n (only with one difference).</param>
    /// <param name="includeConstant">When given, sets both as R's <c>include.constant</c>.</param>
    /// <param name="method">Estimation method.</param>
    /// <param name="fixedCoefficients">Every coefficient given (R's <c>fixed</c>), in the order of <see cref="ArimaFit.Names"/>.</param>
    /// <param name="xreg">Regressors (R's <c>xreg</c>), n x k: one row per value of <paramref name="x"/>, one column per
    /// regressor; the model is then a regression with ARIMA errors (forecasts need the future rows).</param>
    /// <param name="xregNames">Names of the k regressors (default R's <c>xreg</c>, or <c>xreg1..k</c>).</param>
    /// <exception cref="ArimaFitException">Not enough data, or R's <c>arima</c> fails.</exception>
    /// <exception cref="ArgumentException">(parameter <c>xreg</c>) Wrong row count, a value not finite, a constant column or
    /// collinear columns (R's fit fails on those).</exception>
    public static ArimaModel FitArima(ReadOnlySpan<double> x, ArimaOrder order, bool includeMean = true, bool includeDrift = false,
        bool? includeConstant = null, ArimaMethod method = ArimaMethod.CssMl, double[]? fixedCoefficients = null,
        double[,]? xreg = null, IReadOnlyList<string>? xregNames = null)
    {
        double[][] xcols = [];
        string[] xnames = [];
        if (xreg is not null)
        {
            xcols = XregInput.Columns(xreg, x.Length, -1, nameof(xreg));
            xnames = XregInput.Names(xcols.Length, xregNames, nameof(xregNames));
            XregInput.CheckColumns(xcols, xnames, nameof(xreg));
        }
        if (order.Period <= 1)
        {
            order = order with { SeasonalP = 0, SeasonalD = 0, SeasonalQ = 0, Period = 1 };
            if (x.Length <= order.D) throw new ArimaFitException("Not enough data to fit the model");
        }
        else if (x.Length <= order.D + order.SeasonalD * order.Period) throw new ArimaFitException("Not enough data to fit the model");
        if (includeConstant is bool c)
        {
            if (c) { includeMean = true; if (order.Differences == 1) includeDrift = true; }
            else includeMean = includeDrift = false;
        }
        if (order.Differences > 1) includeDrift = false; // R warns: no drift with two or more differences
        var (columns, names) = Design(x.Length, includeDrift, xcols, xnames);
        var fit = ArimaEstimator.Fit(x, order, columns, names, includeMean, method, fixedCoefficients, deferVariance: false);
        var model = new ArimaModel(x.ToArray(), fit, includeDrift, false, xnames);
        model.SetCriteria(offset: 0, fromArimaWrapper: true);
        return model;
    }

    // the regressor columns stats::arima gets from forecast: drift (1..n) first, then xreg
    private static (double[][]? Columns, string[] Names) Design(int n, bool drift, double[][] xreg, string[] names)
    {
        if (!drift) return (xreg.Length == 0 ? null : xreg, names);
        return ([DriftColumn(n), .. xreg], ["drift", .. names]);
    }

    /// <summary>The constant-series model of auto.arima: ARIMA(0,0,0) with the mean fixed (forecasts the first value).</summary>
    internal static ArimaModel ConstantSeries(double[] x, bool allowMean)
    {
        ArimaModel m = allowMean
            ? FitArima(x, new ArimaOrder(0, 0, 0), fixedCoefficients: [Mean(x)])
            : FitArima(x, new ArimaOrder(0, 0, 0), includeMean: false);
        return new ArimaModel(m.Series, m.Fit, false, true) { Aic = m.Aic, Aicc = m.Aicc, Bic = m.Bic };
    }

    /// <summary>R: <c>forecast:::myarima</c>'s fit: drift when d + D = 1 and a constant is asked, otherwise a mean; CSS with an
    /// AIC offset when approximating. Returns the model and its information criterion (Inf when R rejects the model).</summary>
    /// <remarks>The coefficient variances (the Hessian, R's <c>checkarima</c>) are computed only when the criterion is below
    /// <paramref name="checkBelow"/>: a model whose criterion is not below the search's best cannot be chosen, so whether
    /// R would have rejected it does not change the search (its criterion is then returned unchecked). With
    /// <paramref name="singleThread"/> the fit uses only the calling thread (same results).</remarks>
    internal static (ArimaModel? Model, double Ic) FitForSearch(double[] x, ArimaOrder order, bool constant, bool approximation, double offset,
        ArimaCriterion criterion = ArimaCriterion.Aicc, double checkBelow = double.PositiveInfinity, bool singleThread = false,
        double[][]? xreg = null, string[]? xregNames = null)
    {
        var method = approximation ? ArimaMethod.Css : ArimaMethod.CssMl;
        bool drift = order.Differences == 1 && constant;
        ArimaFit fit;
        try
        {
            var (columns, names) = Design(x.Length, drift, xreg ?? [], xregNames ?? []);
            fit = ArimaEstimator.Fit(x, order, columns, names, includeMean: !drift && constant, method,
                null, deferVariance: true, singleThread);
        }
        catch (Exception e) when (e is ArimaFitException or Optimization.OptimizationException or ArgumentException) { return (null, double.PositiveInfinity); }
        var model = new ArimaModel(x, fit, drift, false, xregNames);
        double ic = model.SetCriteria(offset, fromArimaWrapper: false);
        if (double.IsPositiveInfinity(ic)) return (model, ic);
        ic = criterion switch { ArimaCriterion.Aic => model.Aic, ArimaCriterion.Bic => model.Bic, _ => model.Aicc };
        // near-unit roots (min root modulus below 1.01) and negative coefficient variances are rejected
        double minroot = 2;
        if (order.P + order.SeasonalP > 0) minroot = Math.Min(minroot, MinRoot(fit.Model.Phi, -1));
        if (order.Q + order.SeasonalQ > 0) minroot = Math.Min(minroot, MinRoot(fit.Model.Theta, 1));
        if (minroot < 1 + 0.01) return (model, double.PositiveInfinity);
        if (!(ic < checkBelow)) return (model, ic);
        try
        {
            foreach (var v in fit.VarianceDiagonal) if (double.IsNaN(Math.Sqrt(v))) return (model, double.PositiveInfinity);
        }
        catch (Exception e) when (e is ArimaFitException or Optimization.OptimizationException) { return (null, double.PositiveInfinity); }
        return (model, ic);
    }

    // the smallest root modulus of 1 + sign * (c_1 z + ... ) up to the last coefficient above 1e-8 in size
    private static double MinRoot(double[] coef, int sign)
    {
        int last = 0;
        for (int i = 0; i < coef.Length; i++) if (Math.Abs(coef[i]) > 1e-8) last = i + 1;
        if (last == 0) return 2;
        var poly = new double[last + 1];
        poly[0] = 1;
        for (int i = 0; i < last; i++) poly[i + 1] = sign * coef[i];
        double min = double.PositiveInfinity;
        foreach (var r in PolynomialRoots.Find(poly)) min = Math.Min(min, r.Magnitude);
        return min;
    }

    // AICc, BIC and forecast's sigma2; returns the AICc (Inf when the AIC is not available)
    private double SetCriteria(double offset, bool fromArimaWrapper)
    {
        var fit = Fit;
        int n = Series.Length;
        int nstar = n - Order.D - Order.SeasonalD * Order.Period;
        int npar = fit.EstimatedCount + 1;
        double aic = fit.Aic;
        if (fit.Method == ArimaMethod.Css && !fromArimaWrapper) aic = offset + nstar * Math.Log(fit.Sigma2) + 2 * npar;
        double ic;
        if (!double.IsNaN(aic))
        {
            Aic = aic;
            Bic = aic + npar * (Math.Log(nstar) - 2);
            Aicc = fromArimaWrapper ? aic + 2 * npar * ((double)nstar / (nstar - npar - 1) - 1) : aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
            ic = Aicc;
        }
        else
        {
            Aic = Aicc = Bic = fromArimaWrapper ? double.NaN : double.PositiveInfinity;
            ic = double.PositiveInfinity;
        }
        double ss = 0;
        foreach (var r in fit.Residuals) ss += r * r;
        fit.Sigma2 = ss / (nstar - npar + 1);
        return ic;
    }

    /// <summary>R: <c>forecast(fit, h, level)</c>: Kalman forecasts plus the regression part, normal intervals with forecast's sigma2.</summary>
    /// <exception cref="ArgumentException">The model has regressors: use <see cref="Forecast(double[,], double[])"/>.</exception>
    public ArimaForecast Forecast(int horizon, params double[] levels)
    {
        if (RegressorCount > 0)
            throw new ArgumentException($"arima: the model has {RegressorCount} regressors; forecast with their {horizon} future values (Forecast(futureXreg)).", nameof(horizon));
        return ForecastCore(horizon, [], levels);
    }

    /// <summary>
    /// R: <c>forecast(fit, xreg = futureXreg, level)</c>: <c>futureXreg</c> (h x k, the regressors of the h steps after the
    /// series) times their coefficients plus the ARMA forecast of the errors, with the intervals of the errors' forecast.
    /// A model without regressors (e.g. auto.arima's constant-series model) forecasts h steps and ignores the values, as R.
    /// </summary>
    /// <exception cref="ArgumentException">(parameter <c>futureXreg</c>) No rows, a column count other than the fit's, or a value not finite.</exception>
    public ArimaForecast Forecast(double[,] futureXreg, params double[] levels)
    {
        ArgumentNullException.ThrowIfNull(futureXreg);
        if (futureXreg.GetLength(0) == 0) throw new ArgumentException("futureXreg: no rows (one row per step to forecast).", nameof(futureXreg));
        var future = RegressorCount == 0 ? [] : XregInput.Columns(futureXreg, -1, RegressorCount, nameof(futureXreg));
        return ForecastCore(futureXreg.GetLength(0), future, levels);
    }

    private ArimaForecast ForecastCore(int horizon, double[][] future, double[] levels)
    {
        if (levels.Length == 0) levels = [80, 95];
        var (mean, variance) = IsConstantSeries
            ? (Enumerable.Repeat(Series[0], horizon).ToArray(), new double[horizon])
            : Predict(Fit.Model, horizon, Series.Length, future);
        var se = new double[horizon];
        for (int i = 0; i < horizon; i++) se[i] = IsConstantSeries ? 0 : Math.Sqrt(variance[i] * Fit.Sigma2);
        return Intervals(mean, se, levels);
    }

    /// <summary>
    /// Forecasts after <paramref name="history"/> (another stretch of the same series, e.g. a backtest origin) with the fitted
    /// coefficients and sigma2: the history is filtered from the model's prior, as R's <c>Arima(history, model = fit)</c> does.
    /// </summary>
    /// <exception cref="ArgumentException">The model has regressors: use <see cref="ForecastFrom(ReadOnlySpan{double}, double[,], double[,], double[])"/>.</exception>
    public ArimaForecast ForecastFrom(ReadOnlySpan<double> history, int horizon, params double[] levels)
    {
        if (RegressorCount > 0)
            throw new ArgumentException($"arima: the model has {RegressorCount} regressors; give their values over the history and the {horizon} future steps.", nameof(horizon));
        return ForecastFromCore(history, [], [], horizon, levels);
    }

    /// <summary>
    /// As <see cref="ForecastFrom(ReadOnlySpan{double}, int, double[])"/> for a model with regressors: <paramref name="historyXreg"/>
    /// (one row per history value, k columns) and <paramref name="futureXreg"/> (h x k). The drift, when fitted, continues
    /// from the history's length (the history starts where the fitted series started).
    /// </summary>
    /// <exception cref="ArgumentException">(naming the parameter) Wrong row or column counts, or values not finite.</exception>
    public ArimaForecast ForecastFrom(ReadOnlySpan<double> history, double[,] historyXreg, double[,] futureXreg, params double[] levels)
    {
        ArgumentNullException.ThrowIfNull(historyXreg);
        ArgumentNullException.ThrowIfNull(futureXreg);
        if (futureXreg.GetLength(0) == 0) throw new ArgumentException("futureXreg: no rows (one row per step to forecast).", nameof(futureXreg));
        double[][] past = [], future = [];
        if (RegressorCount > 0)
        {
            past = XregInput.Columns(historyXreg, history.Length, RegressorCount, nameof(historyXreg));
            future = XregInput.Columns(futureXreg, -1, RegressorCount, nameof(futureXreg));
        }
        return ForecastFromCore(history, past, future, futureXreg.GetLength(0), levels);
    }

    private ArimaForecast ForecastFromCore(ReadOnlySpan<double> history, double[][] past, double[][] future, int horizon, double[] levels)
    {
        if (levels.Length == 0) levels = [80, 95];
        if (IsConstantSeries)
        {
            var m = Enumerable.Repeat(history[0], horizon).ToArray();
            return Intervals(m, new double[horizon], levels);
        }
        var (phi, theta) = ArimaEstimator.Expand(Fit.Coefficients, Order, false);
        var mod = new ArimaStateSpace(phi, theta, Order.Delta());
        var y = history.ToArray();
        var reg = Regression(0, y.Length, past);
        for (int i = 0; i < y.Length; i++) y[i] -= reg[i];
        ArimaKalman.Filter(y, mod, [], new double[ArimaKalman.ScratchLength(mod.Rd)]);
        var (mean, variance) = Predict(mod, horizon, y.Length, future);
        var se = new double[horizon];
        for (int i = 0; i < horizon; i++) se[i] = Math.Sqrt(variance[i] * Fit.Sigma2);
        return Intervals(mean, se, levels);
    }

    // R: cbind(intercept, drift, xreg) %*% coef[-(1:narma)] for the rows of time steps start + 1 .. start + count (1-based),
    // summed term by term from 0 (reference BLAS); `columns` are the xreg values of those rows
    private double[] Regression(int start, int count, double[][] columns)
    {
        var r = new double[count];
        int j = Order.ArmaCount;
        var coef = Fit.Coefficients;
        if (HasMean) { double b = coef[j++]; for (int i = 0; i < count; i++) r[i] += b; }
        if (HasDrift) { double b = coef[j++]; for (int i = 0; i < count; i++) r[i] += b * (start + 1 + i); }
        foreach (var c in columns) { double b = coef[j++]; for (int i = 0; i < count; i++) r[i] += b * c[i]; }
        return r;
    }

    private (double[] Mean, double[] Variance) Predict(ArimaStateSpace mod, int horizon, int n, double[][] future)
    {
        var (mean, variance) = ArimaKalman.Forecast(mod, horizon);
        var reg = Regression(n, horizon, future);
        for (int i = 0; i < horizon; i++) mean[i] += reg[i];
        return (mean, variance);
    }

    private static ArimaForecast Intervals(double[] mean, double[] se, double[] levels)
    {
        var sorted = levels.Select(l => l > 0 && l < 1 ? 100 * l : l).Order().ToArray();
        foreach (var l in sorted)
            if (l < 0 || l > 99.99) throw new ArgumentOutOfRangeException(nameof(levels), l, "Confidence limit out of range");
        var lower = new double[sorted.Length][];
        var upper = new double[sorted.Length][];
        for (int k = 0; k < sorted.Length; k++)
        {
            double qq = NormalDistribution.Quantile(0.5 * (1 + sorted[k] / 100));
            lower[k] = new double[mean.Length];
            upper[k] = new double[mean.Length];
            for (int i = 0; i < mean.Length; i++)
            {
                lower[k][i] = mean[i] - qq * se[i];
                upper[k][i] = mean[i] + qq * se[i];
            }
        }
        return new ArimaForecast(mean, se, sorted, lower, upper);
    }

    internal static double[] DriftColumn(int n)
    {
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i + 1;
        return d;
    }

    private static double Mean(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v;
        return s / x.Length;
    }
}
