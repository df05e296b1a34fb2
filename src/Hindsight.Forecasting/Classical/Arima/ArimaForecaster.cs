using System.Globalization;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// ARIMA as R's forecast package: <c>auto.arima</c> (order "auto", <see cref="AutoArima"/>) or <c>Arima</c> with a given
/// order, fitted to each series separately with the seasonal period of the settings. Forecasts after the fitted history
/// are R's; after another history (a backtest origin) that history is filtered with the fitted coefficients. With
/// <see cref="ArimaRegressors"/> each model is a regression with ARIMA errors (R's <c>xreg</c>).
/// </summary>
public sealed partial class ArimaForecaster : Forecaster
{
    private readonly int _period;
    private readonly ArimaOrder? _order;
    private readonly bool? _constant;
    private readonly ArimaRegressors? _given;
    private ArimaRegressors? _regressors;
    private ArimaModel[] _models = [];

    /// <summary>Creates the model: <paramref name="order"/> "auto" (auto.arima), "p,d,q" or "p,d,q,P,D,Q", optionally followed
    /// by ",c" (with constant: mean or drift, R's <c>include.constant = TRUE</c>) or ",n" (without).</summary>
    /// <exception cref="ArgumentException">A malformed order.</exception>
    public ArimaForecaster(int seasonalPeriod, string order = "auto") : this(seasonalPeriod, order, null) { }

    /// <summary>As <see cref="ArimaForecaster(int, string)"/>, with <paramref name="regressors"/> (R's <c>xreg</c>, one matrix
    /// per series covering its fitted values and the steps to forecast) when not null.</summary>
    /// <exception cref="ArgumentException">A malformed order.</exception>
    public ArimaForecaster(int seasonalPeriod, string order, ArimaRegressors? regressors)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (seasonalPeriod < 1) throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod, "arima: the seasonal period must be at least 1.");
        _period = seasonalPeriod;
        (_order, _constant) = ParseOrder(order, seasonalPeriod);
        _given = _regressors = regressors;
    }

    /// <inheritdoc/>
    /// <remarks>Future covariates become R's <c>xreg</c> (regression with ARIMA errors); past and static ones are ignored with a note.</remarks>
    public override bool SupportsCovariates => _given is null;

    /// <inheritdoc/>
    public override string Name => "arima";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <summary>The fitted model of each series.</summary>
    public IReadOnlyList<ArimaModel> Models => _models;

    /// <summary>Parses an order setting ("auto", "p,d,q", "p,d,q,P,D,Q", optional ",c"/",n"); null order for "auto".</summary>
    /// <exception cref="ArgumentException">A malformed order.</exception>
    public static (ArimaOrder? Order, bool? Constant) ParseOrder(string text, int period)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Length == 0 || t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return (null, null);
        var parts = t.Split(',', StringSplitOptions.TrimEntries).ToList();
        bool? constant = null;
        if (parts.Count > 0 && parts[^1] is "c" or "C" or "n" or "N")
        {
            constant = parts[^1] is "c" or "C";
            parts.RemoveAt(parts.Count - 1);
        }
        var v = new int[parts.Count];
        for (int i = 0; i < v.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out v[i]) || v[i] > 100)
                throw new ArgumentException($"arimaOrder: order '{text}' must be auto, p,d,q or p,d,q,P,D,Q (non-negative integers), optionally followed by ,c or ,n.", "arimaOrder");
        return v.Length switch
        {
            3 => (new ArimaOrder(v[0], v[1], v[2], Period: period), constant),
            6 => (new ArimaOrder(v[0], v[1], v[2], v[3], v[4], v[5], period), constant),
            _ => throw new ArgumentException($"arimaOrder: order '{text}' must be auto, p,d,q or p,d,q,P,D,Q, optionally followed by ,c or ,n.", "arimaOrder"),
        };
    }

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        _regressors = _given ?? CovariateRegressors(series);
        _regressors?.Check(series.Count);
        var models = FitEachSeries(series, (i, warn) =>
        {
            var x = Array.ConvertAll(series[i], v => (double)v);
            var xreg = _regressors?.Rows(i, 0, x.Length);
            var names = _regressors?.Names;
            ArimaModel model;
            try
            {
                model = _order is ArimaOrder o
                    ? ArimaModel.FitArima(x, o, includeConstant: _constant, xreg: xreg, xregNames: names)
                    : AutoArima.Fit(x, _period, xreg: xreg, xregNames: names);
            }
            catch (Exception e) when (e is ArimaFitException or Optimization.OptimizationException)
            {
                throw new ArgumentException($"arima: series {i}: {e.Message} (as R's {(_order is null ? "auto.arima" : "Arima")}).", e);
            }
            if (model.IsConstantSeries) warn("arima: constant series; forecasts repeat it (as R's auto.arima)");
            return model;
        });
        _models = models;
    }

    /// <summary>R's forecast with prediction intervals at <paramref name="levels"/> (default 80 and 95) after <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">(parameter <c>regressors</c>) The regressors have fewer rows than the history and horizon need.</exception>
    public ArimaForecast Forecast(ForecastInput input, int horizon, params double[] levels)
    {
        var model = _models[input.Series];
        var history = input.History.Span;
        if (_regressors is not null)
        {
            var future = _regressors.Rows(input.Series, history.Length, horizon);
            if (IsFittedHistory(model, history)) return model.Forecast(future, levels);
            var past = _regressors.Rows(input.Series, 0, history.Length);
            return model.ForecastFrom(ToDouble(history), past, future, levels);
        }
        if (IsFittedHistory(model, history)) return model.Forecast(horizon, levels);
        return model.ForecastFrom(ToDouble(history), horizon, levels);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        var result = new float[inputs.Count][];
        for (int k = 0; k < inputs.Count; k++)
        {
            var f = Forecast(inputs[k], horizon);
            result[k] = Array.ConvertAll(f.Mean, v => (float)v);
        }
        return result;
    }

    // The future covariates as xreg (values as read, unscaled like R's), without columns constant over every series' fitted
    // part (R cannot estimate them beside the mean); null without future covariates.
    private ArimaRegressors? CovariateRegressors(IReadOnlyList<float[]> series)
    {
        if (CovariateSchema is not { } schema || FitCovariates is not { } covariates) return null;
        if (schema.Past.Length + schema.Static.Length > 0)
            Warn(-1, $"arima: uses future covariates only (as R's xreg); ignores {string.Join(", ", schema.Describe().Where(d => !d.StartsWith("future:", StringComparison.Ordinal)))}");
        var keep = Enumerable.Range(0, schema.Future.Length).Where(j => Enumerable.Range(0, series.Count).All(s =>
        {
            var c = covariates[s].Future[j].AsSpan(0, series[s].Length);
            return c.IndexOfAnyExcept(c[0]) >= 0;
        })).ToArray();
        var dropped = Enumerable.Range(0, schema.Future.Length).Except(keep).Select(j => schema.Future[j]).ToArray();
        if (dropped.Length > 0) Warn(-1, $"arima: future covariate{(dropped.Length > 1 ? "s" : "")} {string.Join(", ", dropped)} constant over a series' fitted values; left out of xreg");
        if (keep.Length == 0) return null;
        var matrices = covariates.Select(c =>
        {
            int rows = c.Future[0].Length;
            var m = new double[rows, keep.Length];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < keep.Length; j++) m[i, j] = c.Future[keep[j]][i];
            return m;
        }).ToList();
        return new ArimaRegressors(matrices, keep.Select(j => schema.Future[j]).ToArray());
    }

    private static double[] ToDouble(ReadOnlySpan<float> history)
    {
        var h = new double[history.Length];
        for (int i = 0; i < h.Length; i++) h[i] = history[i];
        return h;
    }

    private static bool IsFittedHistory(ArimaModel model, ReadOnlySpan<float> history)
    {
        var s = model.Series;
        if (s.Length != history.Length) return false;
        for (int i = 0; i < s.Length; i++) if (s[i] != history[i]) return false;
        return true;
    }
}
