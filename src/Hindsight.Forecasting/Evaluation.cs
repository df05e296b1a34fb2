using System.Diagnostics;
using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>Errors of one model averaged over every (series, origin) forecast of an evaluation.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error (per forecast, then averaged, as Darts' series reduction).</param>
/// <param name="Mape">MAPE in percent, or null when an actual is 0 (undefined).</param>
/// <param name="Smape">sMAPE in percent (0..200).</param>
/// <param name="Mase">MASE with the run's seasonal period, or null when undefined (history too short or constant).</param>
/// <param name="FitSeconds">Time spent fitting (every refit included).</param>
/// <param name="PredictSeconds">Time spent predicting.</param>
/// <param name="Coverage">Share of actual values inside the conformal intervals, or null without intervals.</param>
/// <param name="IntervalWidth">Mean interval width (upper - lower), or null without intervals.</param>
public sealed record ModelScore(string Model, double Mae, double Rmse, double? Mape, double Smape, double? Mase, double FitSeconds, double PredictSeconds,
    double? Coverage = null, double? IntervalWidth = null);

/// <summary>One forecast of one series from one origin, with the actual values it is scored against.</summary>
/// <param name="Series">Index of the series in the data.</param>
/// <param name="Origin">Number of values before the forecast (the forecast covers periods Origin .. Origin + horizon - 1).</param>
/// <param name="Forecast">The forecast.</param>
/// <param name="Actual">The held-out values.</param>
/// <param name="Lower">Lower conformal bound per step, or null.</param>
/// <param name="Upper">Upper conformal bound per step, or null.</param>
public sealed record SeriesForecast(int Series, int Origin, float[] Forecast, float[] Actual, float[]? Lower = null, float[]? Upper = null);

/// <summary>A model's score, its forecasts and the model itself (fitted at the last origin).</summary>
public sealed record ModelEvaluation(ModelScore Score, IReadOnlyList<SeriesForecast> Forecasts, Forecaster Model);

/// <summary>The outcome of <see cref="Evaluation.Holdout"/> or <see cref="Evaluation.Backtest"/>.</summary>
/// <param name="Kind"><c>holdout</c> or <c>backtest</c>.</param>
/// <param name="Horizon">Values forecast from each origin.</param>
/// <param name="SeasonalPeriod">m of seasonal naive and MASE.</param>
/// <param name="Origins">Origins per series.</param>
/// <param name="Stride">Values between consecutive origins.</param>
/// <param name="Refit">Whether models were refitted at every origin.</param>
/// <param name="Models">Per model, in the order run (the seasonal naive baseline first).</param>
public sealed record EvaluationResult(string Kind, int Horizon, int SeasonalPeriod, int Origins, int Stride, bool Refit, IReadOnlyList<ModelEvaluation> Models);

/// <summary>
/// Holdout and rolling-origin evaluation of models by name (Darts' <c>historical_forecasts</c> + metrics). The seasonal naive
/// baseline is always included for reference.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Holds out the last <see cref="ForecastSettings.Horizon"/> values of every series, fits every model on the rest and scores
    /// its forecast of the held-out values.
    /// </summary>
    public static EvaluationResult Holdout(TimeSeries data, IReadOnlyList<string> models, ForecastSettings settings, Action<Forecaster>? configure = null,
        IntervalOptions? intervals = null)
    {
        var result = Backtest(data, models, settings, new BacktestOptions { Origins = 1, Stride = settings.Horizon, Refit = true }, configure, intervals);
        return result with { Kind = "holdout" };
    }

    /// <summary>
    /// Rolling-origin backtest: <see cref="BacktestOptions.Origins"/> forecast origins per series, the last one <c>horizon</c> values
    /// before the end and each earlier one <see cref="BacktestOptions.Stride"/> values before the next. With <see cref="BacktestOptions.Refit"/> every model is
    /// refitted on the values before each origin; without, it is fitted once on the values before the first origin and all
    /// origins of all series are predicted in one batched call. With <paramref name="intervals"/>, each fit is accompanied by a
    /// <see cref="ConformalIntervals"/> calibration on the same training values, and the scores include the coverage.
    /// </summary>
    /// <exception cref="ArgumentException">Bad counts, or a series too short for the first origin.</exception>
    public static EvaluationResult Backtest(TimeSeries data, IReadOnlyList<string> models, ForecastSettings settings, BacktestOptions backtest,
        Action<Forecaster>? configure = null, IntervalOptions? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(backtest);
        settings.Validate();
        SettingTable.Check(backtest);
        if (intervals is not null) SettingTable.Check(intervals);
        int origins = backtest.Origins, stride = backtest.Stride ?? settings.Horizon;
        bool refit = backtest.Refit;
        int h = settings.Horizon, m = settings.SeasonalPeriod;
        var names = models.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException("models: no model given.", nameof(models));
        foreach (var n in names) settings.Create(n); // unknown names fail before any work
        names.Remove("snaive");
        names.Insert(0, "snaive");
        var starts = new int[data.Count][];
        for (int s = 0; s < data.Count; s++)
        {
            var series = data.Items[s];
            int first = series.Length - h - (origins - 1) * stride;
            if (first < 1)
                throw new ArgumentException($"{data.Source}: series '{series.Id}' has {series.Length} values; {origins} origin(s) {stride} apart with horizon {h} need at least {h + (origins - 1) * stride + 1}.");
            starts[s] = Enumerable.Range(0, origins).Select(j => first + j * stride).ToArray();
        }
        var results = new List<ModelEvaluation>();
        foreach (var name in names)
        {
            var fit = new Stopwatch();
            var predict = new Stopwatch();
            Forecaster? model = null;
            var forecasts = new List<SeriesForecast>();
            var fits = refit ? origins : 1;
            for (int f = 0; f < fits; f++)
            {
                model = settings.Create(name);
                configure?.Invoke(model);
                var train = data.Items.Select((x, s) => x.Values[..starts[s][f]]).ToList();
                fit.Start();
                try { model.Fit(train); }
                catch (ArgumentException ex) when (Forecaster.SeriesIndex(ex) is int s)
                {
                    throw new ArgumentException($"{Forecaster.NameSeries(ex, data.Source, data.Items[s].Id).Message} (cutting the data at the {(origins > 1 ? "first " : "")}forecast origin)", ex);
                }
                catch (ArgumentException ex) { throw new ArgumentException($"{name}: {ex.Message} (cutting the data at the {(origins > 1 ? "first " : "")}forecast origin)", ex); }
                ConformalIntervals? conformal = null;
                if (intervals is not null)
                {
                    try { conformal = ConformalIntervals.Calibrate(() => settings.Create(name), train, h, intervals.Coverage, intervals.Windows(data.Count)); }
                    catch (ArgumentException ex) { throw new ArgumentException($"{name}: {ex.Message}", ex); }
                }
                fit.Stop();
                var inputs = new List<ForecastInput>();
                var keys = new List<(int S, int O)>();
                for (int s = 0; s < data.Count; s++)
                    for (int j = refit ? f : 0; j < (refit ? f + 1 : origins); j++)
                    {
                        inputs.Add(new ForecastInput(s, data.Items[s].Values.AsMemory(0, starts[s][j])));
                        keys.Add((s, starts[s][j]));
                    }
                predict.Start();
                var predicted = model.Predict(inputs, h);
                predict.Stop();
                for (int i = 0; i < keys.Count; i++)
                {
                    var (lower, upper) = conformal is null ? (null, null) : conformal.Apply(predicted[i]);
                    forecasts.Add(new SeriesForecast(keys[i].S, keys[i].O, predicted[i], data.Items[keys[i].S].Values.AsSpan(keys[i].O, h).ToArray(), lower, upper));
                }
            }
            results.Add(new ModelEvaluation(Score(name, data, forecasts, m, fit.Elapsed.TotalSeconds, predict.Elapsed.TotalSeconds), forecasts, model!));
        }
        return new EvaluationResult("backtest", h, m, origins, stride, refit, results);
    }

    /// <summary>The scores of <paramref name="model"/> per series (each averaged over that series' origins), in data order.</summary>
    public static IReadOnlyList<(string Id, ModelScore Score)> PerSeries(ModelEvaluation model, TimeSeries data, int m) =>
        model.Forecasts.GroupBy(f => f.Series).OrderBy(g => g.Key)
            .Select(g => (data.Items[g.Key].Id, Score(model.Score.Model, data, g.ToList(), m))).ToList();

    /// <summary>Averages the metrics of <paramref name="forecasts"/> (MAPE and MASE null when undefined for any forecast).</summary>
    public static ModelScore Score(string model, TimeSeries data, IReadOnlyList<SeriesForecast> forecasts, int m, double fitSeconds = 0, double predictSeconds = 0)
    {
        double mae = 0, rmse = 0, smape = 0, mape = 0, mase = 0;
        bool mapeOk = true, maseOk = true;
        foreach (var f in forecasts)
        {
            mae += Metrics.Mae(f.Actual, f.Forecast);
            rmse += Metrics.Rmse(f.Actual, f.Forecast);
            smape += Metrics.Smape(f.Actual, f.Forecast);
            if (mapeOk && Metrics.IsMapeDefined(f.Actual)) mape += Metrics.Mape(f.Actual, f.Forecast); else mapeOk = false;
            if (maseOk)
            {
                var insample = data.Items[f.Series].Values.AsSpan(0, f.Origin);
                if (insample.Length > m && TryScale(insample, m, out double scale)) mase += Metrics.Mae(f.Actual, f.Forecast) / scale;
                else maseOk = false;
            }
        }
        int n = forecasts.Count;
        double? coverage = null, width = null;
        if (forecasts.All(f => f.Lower is not null && f.Upper is not null))
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
        return new ModelScore(model, mae / n, rmse / n, mapeOk ? mape / n : null, smape / n, maseOk ? mase / n : null, fitSeconds, predictSeconds, coverage, width);
    }

    private static bool TryScale(ReadOnlySpan<float> insample, int m, out double scale)
    {
        scale = 0;
        for (int t = m; t < insample.Length; t++) scale += Math.Abs((double)insample[t] - insample[t - m]);
        scale /= insample.Length - m;
        return scale > 0;
    }
}
