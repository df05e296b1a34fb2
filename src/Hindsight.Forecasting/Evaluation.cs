using System.Diagnostics;
using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>Errors of one model over every (series, origin) forecast of an evaluation; the failed series are not in them.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Mae">Mean absolute error (NaN when the model forecast no series).</param>
/// <param name="Rmse">Root mean squared error (per forecast, then averaged, as Darts' series reduction).</param>
/// <param name="Mape">MAPE in percent, or null when an actual is 0 (undefined).</param>
/// <param name="Smape">Mean sMAPE in percent (0..200).</param>
/// <param name="Mase">Mean MASE, each forecast scaled with its own series' seasonal period, over the forecasts where it is
/// defined (history longer than the season and not repeating exactly); null when it is defined for none.</param>
/// <param name="FitSeconds">Time spent fitting (every refit included).</param>
/// <param name="PredictSeconds">Time spent predicting.</param>
/// <param name="Coverage">Share of actual values inside the conformal intervals, or null without intervals.</param>
/// <param name="IntervalWidth">Mean interval width (upper - lower), or null without intervals.</param>
/// <param name="MedianMase">Median of the same MASE values, or null.</param>
/// <param name="MedianSmape">Median sMAPE over the forecasts (NaN when none).</param>
public sealed record ModelScore(string Model, double Mae, double Rmse, double? Mape, double Smape, double? Mase, double FitSeconds, double PredictSeconds,
    double? Coverage = null, double? IntervalWidth = null, double? MedianMase = null, double MedianSmape = double.NaN)
{
    /// <summary>Pinball loss, CRPS, and coverage and width of every interval level, with where the quantiles came from; null without intervals or quantiles.</summary>
    public Probabilistic.ProbabilisticScore? Probabilistic { get; init; }
}

/// <summary>One forecast of one series from one origin, with the actual values it is scored against.</summary>
/// <param name="Series">Index of the series in the data.</param>
/// <param name="Origin">Number of values before the forecast (the forecast covers periods Origin .. Origin + horizon - 1).</param>
/// <param name="Forecast">The forecast.</param>
/// <param name="Actual">The held-out values.</param>
/// <param name="Lower">Lower conformal bound per step, or null.</param>
/// <param name="Upper">Upper conformal bound per step, or null.</param>
public sealed record SeriesForecast(int Series, int Origin, float[] Forecast, float[] Actual, float[]? Lower = null, float[]? Upper = null)
{
    /// <summary>Quantiles <c>[level][step]</c> at the levels of the model's <see cref="ModelEvaluation.Layout"/>, or null.</summary>
    public float[][]? Quantiles { get; init; }
}

/// <summary>A series a model could not forecast, and why (the exception's message).</summary>
/// <param name="Series">Index of the series in the data.</param>
/// <param name="Reason">One line, e.g. <c>jordan: forecast value 0 is NaN (the model diverged; lower the learningRate).</c></param>
public sealed record SeriesFailure(int Series, string Reason);

/// <summary>The season and horizon of one series (per-series specs let one evaluation mix frequencies).</summary>
/// <param name="Season">Seasonal period m of the series (snaive, MASE and the seasonal models).</param>
/// <param name="Horizon">Values forecast from each origin.</param>
public readonly record struct SeriesSpec(int Season, int Horizon);

/// <summary>A model's score, its forecasts, its failures and warnings, and the model itself (fitted at the last origin).</summary>
/// <param name="Score">Scores over the forecasts made (failed series left out).</param>
/// <param name="Forecasts">Every forecast made.</param>
/// <param name="Model">The model fitted at the last origin (of the last season/horizon group).</param>
public sealed record ModelEvaluation(ModelScore Score, IReadOnlyList<SeriesForecast> Forecasts, Forecaster Model)
{
    /// <summary>Series the model failed on, with the reason (empty when it forecast every series).</summary>
    public IReadOnlyList<SeriesFailure> Failures { get; init; } = [];
    /// <summary>The model's own notes (<see cref="Forecaster.Warnings"/>) and forecasts outside the <see cref="SaneRange"/>; <see cref="ForecastWarning.Series"/> is the data's series index (-1: all).</summary>
    public IReadOnlyList<ForecastWarning> Warnings { get; init; } = [];
    /// <summary>The model fitted at the last origin of each season/horizon group (for <c>auto</c>'s choices); empty when fitted series by series.</summary>
    public IReadOnlyList<Forecaster> Fitted { get; init; } = [];
    /// <summary>The quantile levels of the forecasts' <see cref="SeriesForecast.Quantiles"/> and the scores they feed (null without intervals or quantiles).</summary>
    public Probabilistic.QuantileLayout? Layout { get; init; }
    /// <summary>Whether every series was forecast.</summary>
    public bool Complete => Failures.Count == 0;
}

/// <summary>The outcome of <see cref="Evaluation.Holdout"/> or <see cref="Evaluation.Backtest"/>.</summary>
/// <param name="Kind"><c>holdout</c> or <c>backtest</c>.</param>
/// <param name="Horizon">Values forecast from each origin (the run's default; see <see cref="Specs"/> per series).</param>
/// <param name="SeasonalPeriod">m of seasonal naive and MASE (the run's default; see <see cref="Specs"/> per series).</param>
/// <param name="Origins">Origins per series.</param>
/// <param name="Stride">Values between consecutive origins (the default horizon's; null stride means each series' horizon).</param>
/// <param name="Refit">Whether models were refitted at every origin.</param>
/// <param name="Models">Per model, in the order run (the seasonal naive baseline first).</param>
public sealed record EvaluationResult(string Kind, int Horizon, int SeasonalPeriod, int Origins, int Stride, bool Refit, IReadOnlyList<ModelEvaluation> Models)
{
    /// <summary>Season and horizon of every series, in data order.</summary>
    public IReadOnlyList<SeriesSpec> Specs { get; init; } = [];
    /// <summary>Whether the series have different seasons or horizons.</summary>
    public bool Mixed => Specs.Distinct().Count() > 1;
    /// <summary>The seasonal period of series <paramref name="series"/>.</summary>
    public int SeasonOf(int series) => series < Specs.Count ? Specs[series].Season : SeasonalPeriod;

    /// <summary>
    /// Models that forecast every series, best first: by mean MASE (scale-free, so series of different scales weigh alike),
    /// then by mean sMAPE; models with failures are not ranked.
    /// </summary>
    public IReadOnlyList<ModelEvaluation> Ranked =>
        Models.Where(m => m.Complete && m.Forecasts.Count > 0).OrderBy(m => m.Score.Mase ?? double.PositiveInfinity).ThenBy(m => m.Score.Smape).ToList();

    /// <summary>The best model by <see cref="Ranked"/>, or null when every model failed somewhere.</summary>
    public ModelEvaluation? Best => Ranked.FirstOrDefault();
}

/// <summary>Optional parts of an evaluation: per-series seasons and horizons, a per-group settings rule and a model factory.</summary>
public sealed record EvaluationPlan
{
    /// <summary>Season and horizon per series, in data order (null: the settings' for every series).</summary>
    public IReadOnlyList<SeriesSpec>? Specs { get; init; }
    /// <summary>Adjusts the settings of each (season, horizon) group after its SeasonalPeriod and Horizon are set (e.g. a lookback derived from them).</summary>
    public Func<ForecastSettings, ForecastSettings>? PerGroup { get; init; }
    /// <summary>Makes a model by name (null: <see cref="ForecastSettings.Create"/>); tests pass fakes here.</summary>
    public Func<ForecastSettings, string, Forecaster>? Create { get; init; }
}

/// <summary>
/// Holdout and rolling-origin evaluation of models by name (Darts' <c>historical_forecasts</c> + metrics). The seasonal naive
/// baseline is always included for reference. A model failing on a series is reported (<see cref="ModelEvaluation.Failures"/>)
/// while every other model's results still come out; a local model that fails is refitted series by series so one bad series
/// does not lose its others.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Holds out the last horizon values of every series, fits every model on the rest and scores its forecast of the held-out values.
    /// </summary>
    public static EvaluationResult Holdout(TimeSeries data, IReadOnlyList<string> models, ForecastSettings settings, Action<Forecaster>? configure = null,
        IntervalOptions? intervals = null, EvaluationPlan? plan = null)
    {
        var result = Backtest(data, models, settings, new BacktestOptions { Origins = 1, Refit = true }, configure, intervals, plan);
        return result with { Kind = "holdout" };
    }

    /// <summary>
    /// Whether <paramref name="ex"/>, thrown by a model's <c>Fit</c> or <c>Predict</c>, is the model failing on the data (reported
    /// as a failure) rather than the process failing (out of memory, cancelled: rethrown).
    /// </summary>
    public static bool IsModelFailure(Exception ex) => ex is not (OutOfMemoryException or OperationCanceledException or StackOverflowException);

    /// <summary>One line saying why a model failed: the message of an expected error, else the exception type and message.</summary>
    public static string Reason(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string message = ex.Message.ReplaceLineEndings(" ");
        return ex is ArgumentException or Hindsight.Data.TrainingDivergedException or InvalidOperationException ? message : $"{ex.GetType().Name}: {message}";
    }

    /// <summary>
    /// Rolling-origin backtest: <see cref="BacktestOptions.Origins"/> forecast origins per series, the last one <c>horizon</c> values
    /// before the end and each earlier one <see cref="BacktestOptions.Stride"/> values before the next. With <see cref="BacktestOptions.Refit"/> every model is
    /// refitted on the values before each origin; without, it is fitted once on the values before the first origin and all
    /// origins of all series are predicted in one batched call. With <paramref name="intervals"/>, each fit is accompanied by a
    /// <see cref="ConformalIntervals"/> calibration on the same training values, and the scores include the coverage.
    /// With per-series specs (<paramref name="plan"/>), series are grouped by (season, horizon) and each group runs with
    /// its own settings (global models train per group); the scores are pooled and MASE uses each series' own season.
    /// </summary>
    /// <exception cref="ArgumentException">Bad counts, an unknown model, or a series too short for the first origin.</exception>
    public static EvaluationResult Backtest(TimeSeries data, IReadOnlyList<string> models, ForecastSettings settings, BacktestOptions backtest,
        Action<Forecaster>? configure = null, IntervalOptions? intervals = null, EvaluationPlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(backtest);
        settings.Validate();
        SettingTable.Check(backtest);
        if (intervals is not null) SettingTable.Check(intervals);
        // Quantile heads learn the intervals' bounds too; models without quantiles of their own are calibrated conformally.
        if (intervals is not null) settings = settings with { Probabilistic = settings.Probabilistic with { IntervalLevels = intervals.Levels } };
        if (intervals is null && settings.Probabilistic.IsProbabilistic) intervals = new IntervalOptions { Levels = [] };
        plan ??= new EvaluationPlan();
        var create = plan.Create ?? ((s, n) => s.Create(n));
        var specs = plan.Specs ?? Enumerable.Repeat(new SeriesSpec(settings.SeasonalPeriod, settings.Horizon), data.Count).ToList();
        if (specs.Count != data.Count) throw new ArgumentException($"evaluation: {specs.Count} series specs for {data.Count} series.", nameof(plan));
        int origins = backtest.Origins;
        bool refit = backtest.Refit;
        var names = models.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException("models: no model given.", nameof(models));
        foreach (var n in names) create(settings, n); // unknown names fail before any work
        names.Remove("snaive");
        names.Insert(0, "snaive");
        var starts = new int[data.Count][];
        for (int s = 0; s < data.Count; s++)
        {
            var series = data.Items[s];
            int h = specs[s].Horizon, stride = backtest.Stride ?? h;
            int first = series.Length - h - (origins - 1) * stride;
            if (first < 1)
                throw new ArgumentException($"{data.Source}: series '{series.Id}' has {series.Length} values; {origins} origin(s) {stride} apart with horizon {h} need at least {h + (origins - 1) * stride + 1}.");
            starts[s] = Enumerable.Range(0, origins).Select(j => first + j * stride).ToArray();
        }
        // One settings record per (season, horizon) group, in order of first appearance.
        var groups = Enumerable.Range(0, data.Count).GroupBy(s => specs[s]).Select(g =>
        {
            var gs = settings with { SeasonalPeriod = g.Key.Season, Horizon = g.Key.Horizon };
            if (plan.PerGroup is not null) gs = plan.PerGroup(gs);
            gs.Validate();
            return (Settings: gs, Members: g.ToArray());
        }).ToList();
        var results = new List<ModelEvaluation>();
        foreach (var name in names)
        {
            var run = new ModelRun(name, data, starts, origins, refit, configure, intervals, create);
            foreach (var (gs, members) in groups) run.Group(gs, members);
            var forecasts = run.Forecasts.Where(f => !run.Failures.ContainsKey(f.Series)).OrderBy(f => f.Series).ThenBy(f => f.Origin).ToList();
            var score = Score(name, data, forecasts, s => specs[s].Season, run.FitTime.Elapsed.TotalSeconds, run.PredictTime.Elapsed.TotalSeconds);
            score = score with { Probabilistic = run.Layout?.Score(run.Method, forecasts) };
            results.Add(new ModelEvaluation(score, forecasts, run.Last ?? create(groups[^1].Settings, name))
            {
                Layout = run.Layout,
                Failures = run.Failures.OrderBy(p => p.Key).Select(p => new SeriesFailure(p.Key, p.Value)).ToList(),
                Warnings = run.Warnings.Distinct().ToList(),
                Fitted = run.Fitted,
            });
        }
        return new EvaluationResult("backtest", settings.Horizon, settings.SeasonalPeriod, origins, backtest.Stride ?? settings.Horizon, refit, results) { Specs = specs };
    }

    // The evaluation of one model: fits and forecasts group by group, isolating failures.
    private sealed class ModelRun(string name, TimeSeries data, int[][] starts, int origins, bool refit, Action<Forecaster>? configure,
        IntervalOptions? intervals, Func<ForecastSettings, string, Forecaster> create)
    {
        public readonly Stopwatch FitTime = new(), PredictTime = new();
        public readonly List<SeriesForecast> Forecasts = [];
        public readonly Dictionary<int, string> Failures = [];
        public readonly List<ForecastWarning> Warnings = [];
        public readonly List<Forecaster> Fitted = [];
        private readonly HashSet<int> _outOfRange = [];
        public Forecaster? Last;
        public Probabilistic.QuantileLayout? Layout;
        private readonly List<string> _methods = [];
        public string Method => string.Join("+", _methods);

        public void Group(ForecastSettings gs, int[] members)
        {
            var alive = members.ToList();
            bool perSeries = false;
            Forecaster? final = null;
            int fits = refit ? origins : 1;
            for (int f = 0; f < fits && alive.Count > 0; f++)
            {
                if (!perSeries)
                {
                    try
                    {
                        final = FitPredict(gs, alive, f, intervals?.Windows(members.Length));
                        continue;
                    }
                    catch (Exception ex) when (IsModelFailure(ex))
                    {
                        if (ex is ArgumentException && Forecaster.SeriesIndex(ex) is int bad && bad >= 0 && bad < alive.Count && alive.Count > 1)
                        {
                            // One series too short for the model: it fails there; the model goes on with the others.
                            Failures[alive[bad]] = Describe(ex, alive);
                            alive.RemoveAt(bad);
                            f--;
                            continue;
                        }
                        if (create(gs, name).IsGlobal || alive.Count == 1)
                        {
                            string reason = Describe(ex, alive);
                            foreach (var s in alive) Failures[s] = reason;
                            alive.Clear();
                            break;
                        }
                        perSeries = true; // a local model: one series at a time, so one bad series loses only itself
                    }
                }
                final = null;
                foreach (var s in alive.ToList())
                {
                    try { FitPredict(gs, [s], f, intervals?.Windows(members.Length)); }
                    catch (Exception ex) when (IsModelFailure(ex))
                    {
                        Failures[s] = Describe(ex, [s]);
                        alive.Remove(s);
                    }
                }
            }
            if (final is not null) { Fitted.Add(final); Last = final; }
        }

        private string Describe(Exception ex, List<int> members)
        {
            if (ex is ArgumentException a && Forecaster.SeriesIndex(ex) is int i && i >= 0 && i < members.Count)
                return Reason(Forecaster.NameSeries(a, data.Source, data.Items[members[i]].Id));
            string reason = Reason(ex);
            return reason.StartsWith(name + ":", StringComparison.Ordinal) ? reason : $"{name}: {reason}";
        }

        // Fits a new model on the values of `members` before their fit-th origin (every origin's without refit) and forecasts.
        private Forecaster FitPredict(ForecastSettings gs, List<int> members, int f, int? windows)
        {
            int h = gs.Horizon;
            var model = create(gs, name);
            configure?.Invoke(model);
            var train = members.Select(s => data.Items[s].Values[..starts[s][f]]).ToList();
            FitTime.Start();
            Probabilistic.QuantileSource? source = null;
            try
            {
                var covariates = data.Covariates is null ? null : members.Select(s => data.Items[s].Covariates!).ToList();
                model.FitWith(train, data.Covariates, covariates);
                if (intervals is not null)
                    source = Probabilistic.QuantileSource.Choose(model, () => create(gs, name), train, h, intervals.Coverage, windows ?? members.Count,
                        intervals.Calibration, data.Covariates, covariates);
            }
            finally { FitTime.Stop(); }
            if (source is not null)
            {
                if (!_methods.Contains(source.Method)) _methods.Add(source.Method);
                if (source.Note is not null) Warnings.Add(new ForecastWarning(-1, $"{name}: {source.Note}"));
                if (source.HasQuantiles)
                    Layout ??= Probabilistic.QuantileLayout.For((model as Probabilistic.IQuantileForecaster)?.NativeLevels,
                        gs.Probabilistic.Quantiles is { } asked ? Probabilistic.ProbabilisticOptions.ParseQuantiles(asked) : null, intervals!.Levels);
            }
            var inputs = new List<ForecastInput>();
            var keys = new List<(int S, int O)>();
            for (int i = 0; i < members.Count; i++)
            {
                int s = members[i];
                for (int j = refit ? f : 0; j < (refit ? f + 1 : origins); j++)
                {
                    inputs.Add(new ForecastInput(i, data.Items[s].Values.AsMemory(0, starts[s][j])) { Covariates = data.Items[s].Covariates });
                    keys.Add((s, starts[s][j]));
                }
            }
            PredictTime.Start();
            float[][] predicted;
            float[][][]? quantiles = null;
            try
            {
                predicted = model.Predict(inputs, h);
                if (source is { HasQuantiles: true } && Layout is not null) quantiles = source.Predict(model, inputs, h, Layout.Levels, predicted);
            }
            finally { PredictTime.Stop(); }
            for (int i = 0; i < keys.Count; i++)
            {
                var (s, origin) = keys[i];
                var (lower, upper) = quantiles is null || Layout!.IntervalLevels.Length == 0 ? ((float[]?)null, (float[]?)null) : Layout.Bounds(quantiles[i], Layout.IntervalLevels[0]);
                Forecasts.Add(new SeriesForecast(s, origin, predicted[i], data.Items[s].Values.AsSpan(origin, h).ToArray(), lower, upper) { Quantiles = quantiles?[i] });
                if (!_outOfRange.Contains(s) && SaneRange.Check(name, inputs[i].History.Span, predicted[i]) is { } note)
                {
                    _outOfRange.Add(s);
                    Warnings.Add(new ForecastWarning(s, $"{note} (origin {data.Label(data.Items[s], origin)})"));
                }
            }
            foreach (var w in model.Warnings)
                Warnings.Add(new ForecastWarning(w.Series >= 0 && w.Series < members.Count ? members[w.Series] : -1, w.Message));
            return model;
        }
    }

    /// <summary>The scores of <paramref name="model"/> per series (each averaged over that series' origins), in data order.</summary>
    public static IReadOnlyList<(string Id, ModelScore Score)> PerSeries(ModelEvaluation model, TimeSeries data, int m) =>
        PerSeries(model, data, _ => m);

    /// <summary>The scores of <paramref name="model"/> per series, each series' MASE with its own season <paramref name="seasonOf"/>.</summary>
    public static IReadOnlyList<(string Id, ModelScore Score)> PerSeries(ModelEvaluation model, TimeSeries data, Func<int, int> seasonOf)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Forecasts.GroupBy(f => f.Series).OrderBy(g => g.Key)
            .Select(g => (data.Items[g.Key].Id, Score(model.Score.Model, data, g.ToList(), seasonOf) with { Probabilistic = model.Layout?.Score(model.Score.Probabilistic?.Method ?? "", g) })).ToList();
    }

    /// <summary>Averages the metrics of <paramref name="forecasts"/> with seasonal period <paramref name="m"/> for every series.</summary>
    public static ModelScore Score(string model, TimeSeries data, IReadOnlyList<SeriesForecast> forecasts, int m, double fitSeconds = 0, double predictSeconds = 0) =>
        Score(model, data, forecasts, _ => m, fitSeconds, predictSeconds);

    /// <summary>
    /// Averages the metrics of <paramref name="forecasts"/>: MAPE null when undefined for any forecast; MASE (each series scaled
    /// with its own season <paramref name="seasonOf"/>) over the forecasts where it is defined, null when for none.
    /// </summary>
    public static ModelScore Score(string model, TimeSeries data, IReadOnlyList<SeriesForecast> forecasts, Func<int, int> seasonOf, double fitSeconds = 0, double predictSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(seasonOf);
        double mae = 0, rmse = 0, mape = 0;
        bool mapeOk = true;
        var smapes = new List<double>();
        var mases = new List<double>();
        foreach (var f in forecasts)
        {
            mae += Metrics.Mae(f.Actual, f.Forecast);
            rmse += Metrics.Rmse(f.Actual, f.Forecast);
            smapes.Add(Metrics.Smape(f.Actual, f.Forecast));
            if (mapeOk && Metrics.IsMapeDefined(f.Actual)) mape += Metrics.Mape(f.Actual, f.Forecast); else mapeOk = false;
            var insample = data.Items[f.Series].Values.AsSpan(0, f.Origin);
            int m = seasonOf(f.Series);
            if (insample.Length > m && TryScale(insample, m, out double scale)) mases.Add(Metrics.Mae(f.Actual, f.Forecast) / scale);
        }
        int n = forecasts.Count;
        double? coverage = null, width = null;
        if (n > 0 && forecasts.All(f => f.Lower is not null && f.Upper is not null))
        {
            int inside = 0, points = 0;
            double sum = 0;
            foreach (var f in forecasts)
                for (int k = 0; k < f.Actual.Length; k++)
                {
                    points++;
                    if (f.Actual[k] >= f.Lower![k] && f.Actual[k] <= f.Upper![k]) inside++;
                    sum += f.Upper![k] - f.Lower![k];
                }
            coverage = (double)inside / points;
            width = sum / points;
        }
        return new ModelScore(model, mae / n, rmse / n, mapeOk && n > 0 ? mape / n : null, n > 0 ? smapes.Average() : double.NaN,
            mases.Count > 0 ? mases.Average() : null, fitSeconds, predictSeconds, coverage, width,
            mases.Count > 0 ? Median(mases) : null, n > 0 ? Median(smapes) : double.NaN);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("median of no values.", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The MASE scale of <paramref name="insample"/> with period <paramref name="m"/>, false when it is 0.</summary>
    internal static bool TryScale(ReadOnlySpan<float> insample, int m, out double scale)
    {
        scale = 0;
        for (int t = m; t < insample.Length; t++) scale += Math.Abs((double)insample[t] - insample[t - m]);
        scale /= insample.Length - m;
        return scale > 0;
    }
}
