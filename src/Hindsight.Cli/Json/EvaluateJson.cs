namespace Hindsight.Cli.Json;

/// <summary><c>hindsight evaluate --json</c> and <c>hindsight backtest --json</c> (fields in docs/json.md).</summary>
/// <param name="Kind"><c>holdout</c> or <c>backtest</c>.</param>
/// <param name="Data">The data file.</param>
/// <param name="Series">Number of series.</param>
/// <param name="MinLength">Length of the shortest series.</param>
/// <param name="Frequency">The data's frequency.</param>
/// <param name="FilledValues">Missing values filled.</param>
/// <param name="Horizon">Forecast horizon (the default; per series in <c>perSeries</c>).</param>
/// <param name="SeasonalPeriod">Seasonal period (the default; per series in <c>perSeries</c>).</param>
/// <param name="Origins">Forecast origins per series.</param>
/// <param name="Stride">Steps between origins.</param>
/// <param name="Refit">Whether models were refit at every origin.</param>
/// <param name="Level">Conformal interval level in percent, or null.</param>
/// <param name="Spec">The spec file of per-series seasons and horizons, or null.</param>
/// <param name="Settings">The model settings.</param>
/// <param name="Models">One entry per model.</param>
/// <param name="Best">The model with the lowest mean MASE among those that forecast every series, or null.</param>
/// <param name="RankedBy">What <c>best</c> ranks by: <c>mase</c> (then <c>smape</c>).</param>
/// <param name="Files">Files written.</param>
/// <param name="Levels">Every interval level in percent (<c>level</c> is the first), or null without intervals.</param>
/// <param name="Quantiles">The quantile levels asked with --quantiles, or null.</param>
internal sealed record EvaluateJson(string Kind, string? Data, int Series, int MinLength, string Frequency, int FilledValues, int Horizon,
    int SeasonalPeriod, int Origins, int Stride, bool Refit, double? Level, string? Spec, EvaluateSettingsJson Settings,
    IReadOnlyList<EvaluateModelJson> Models, string? Best, string RankedBy, IReadOnlyList<string> Files, IReadOnlyList<double>? Levels = null, IReadOnlyList<float>? Quantiles = null)
{
    /// <summary>The covariates the data carried, as kind:name.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];
}

/// <summary>The forecasting settings used.</summary>
/// <param name="Lookback">Input window.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Layers">Layers.</param>
/// <param name="Epochs">Most epochs.</param>
/// <param name="Steps">Most Adam steps per network.</param>
/// <param name="LrDecays">Halvings of the learning rate over the steps.</param>
/// <param name="Validation">Validation tail (values per series; 0: none).</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="LearningRate">Learning rate.</param>
/// <param name="Patience">Early-stopping patience.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Strategy"><c>direct</c> or <c>recursive</c>.</param>
/// <param name="MinHistory">Shortest input of the recurrent models, or null.</param>
internal sealed record EvaluateSettingsJson(int Lookback, int Hidden, int Layers, int Epochs, int Steps, int LrDecays, int Validation, int BatchSize, float LearningRate, int Patience,
    ulong Seed, string Strategy, int? MinHistory);

/// <summary>One model's scores, failures, warnings and forecasts.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Mae">Mean absolute error, or null when the model forecast nothing.</param>
/// <param name="Rmse">Root mean squared error, or null.</param>
/// <param name="Mape">Mean absolute percentage error, or null when a true value is 0.</param>
/// <param name="Smape">Mean symmetric MAPE, or null.</param>
/// <param name="MedianSmape">Median sMAPE, or null.</param>
/// <param name="Mase">Mean MASE, or null when undefined.</param>
/// <param name="MedianMase">Median MASE, or null.</param>
/// <param name="Coverage">Share of true values inside the intervals, or null.</param>
/// <param name="IntervalWidth">Mean interval width, or null.</param>
/// <param name="FitSeconds">Fitting time.</param>
/// <param name="PredictSeconds">Prediction time.</param>
/// <param name="ForecastCount">Forecasts scored.</param>
/// <param name="Chosen">What <c>auto</c> forecast with (a model, or a combination), or null.</param>
/// <param name="Auto">What <c>auto</c> did per season/horizon group, or null for other models.</param>
/// <param name="EpochsRun">Epochs run (neural models), or null.</param>
/// <param name="BestEpoch">Best epoch (neural models), or null.</param>
/// <param name="Failed">Series the model could not forecast, with the reason.</param>
/// <param name="Warnings">The model's notes and out-of-range forecasts.</param>
/// <param name="PerSeries">The same scores per series.</param>
/// <param name="Forecasts">Every forecast with its actual values.</param>
/// <param name="Probabilistic">Pinball loss, CRPS, and coverage and width per interval level, with the intervals' method; null without intervals or quantiles.</param>
internal sealed record EvaluateModelJson(string Name, double? Mae, double? Rmse, double? Mape, double? Smape, double? MedianSmape, double? Mase,
    double? MedianMase, double? Coverage, double? IntervalWidth, double FitSeconds, double PredictSeconds, int ForecastCount, string? Chosen,
    IReadOnlyList<AutoJson>? Auto, int? EpochsRun, int? BestEpoch, IReadOnlyList<SeriesFailureJson> Failed, IReadOnlyList<SeriesWarningJson> Warnings,
    IReadOnlyList<SeriesScoreJson> PerSeries, IReadOnlyList<EvaluateForecastJson> Forecasts, ProbabilisticJson? Probabilistic = null);

/// <summary>Probabilistic scores of a model (or of one series under it).</summary>
/// <param name="Method">Where the intervals came from: <c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c>, <c>analytic</c>, <c>conformal</c>, <c>conformal-overlap</c> (several joined by <c>+</c>).</param>
/// <param name="Pinball">Mean pinball loss over the asked quantiles (without --quantiles: each level's bounds and the median).</param>
/// <param name="Crps">Mean CRPS from quantiles.</param>
/// <param name="Intervals">Coverage and mean width per interval level.</param>
/// <param name="Forecasts">Forecasts scored (those with quantiles).</param>
internal sealed record ProbabilisticJson(string Method, double? Pinball, double? Crps, IReadOnlyList<IntervalScoreJson> Intervals, int Forecasts);

/// <summary>Empirical coverage and mean width of one interval level.</summary>
/// <param name="Level">Level in percent.</param>
/// <param name="Coverage">Share of true values inside the interval.</param>
/// <param name="Width">Mean width (upper - lower).</param>
internal sealed record IntervalScoreJson(double Level, double Coverage, double Width);

/// <summary>The bounds of one interval level.</summary>
/// <param name="Level">Level in percent.</param>
/// <param name="Lower">Lower bounds per step.</param>
/// <param name="Upper">Upper bounds per step.</param>
internal sealed record IntervalBoundsJson(double Level, float[] Lower, float[] Upper);

/// <summary>One series' scores under one model.</summary>
/// <param name="Id">Series id.</param>
/// <param name="Season">The series' seasonal period.</param>
/// <param name="Horizon">The series' horizon.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mape">MAPE, or null.</param>
/// <param name="Smape">Symmetric MAPE.</param>
/// <param name="Mase">MASE, or null.</param>
/// <param name="Coverage">Interval coverage, or null.</param>
/// <param name="Probabilistic">The series' probabilistic scores, or null.</param>
internal sealed record SeriesScoreJson(string Id, int Season, int Horizon, double Mae, double Rmse, double? Mape, double Smape, double? Mase, double? Coverage, ProbabilisticJson? Probabilistic = null);

/// <summary>A series a model failed on.</summary>
/// <param name="Id">Series id (<c>*</c> for every series).</param>
/// <param name="Reason">Why, in one line.</param>
internal sealed record SeriesFailureJson(string Id, string Reason);

/// <summary>A note about one series.</summary>
/// <param name="Id">Series id (<c>*</c> for every series).</param>
/// <param name="Message">The note, in one line.</param>
internal sealed record SeriesWarningJson(string Id, string Message);

/// <summary>One forecast of one series from one origin.</summary>
/// <param name="Id">Series id.</param>
/// <param name="Cutoff">Label of the last period before the forecast.</param>
/// <param name="Periods">Labels of the forecast periods.</param>
/// <param name="Forecast">Point forecasts.</param>
/// <param name="Actual">The held-out values.</param>
/// <param name="Lower">Lower interval bounds, or null.</param>
/// <param name="Upper">Upper interval bounds, or null.</param>
/// <param name="Intervals">The bounds of every interval level, or null.</param>
internal sealed record EvaluateForecastJson(string Id, string Cutoff, string[] Periods, float[] Forecast, float[] Actual, float[]? Lower, float[]? Upper, IReadOnlyList<IntervalBoundsJson>? Intervals = null);

/// <summary>What <c>auto</c> chose for one season/horizon group (or a forecast).</summary>
/// <param name="Season">The group's seasonal period.</param>
/// <param name="Horizon">The group's horizon.</param>
/// <param name="Mode"><c>select</c> or <c>combine</c>.</param>
/// <param name="PerSeries">Whether each series took the best of its own cross-validation scores.</param>
/// <param name="Chosen">What forecast: a model name, or <c>median(a, b, c)</c>.</param>
/// <param name="Members">The models forecasting, best first.</param>
/// <param name="CvOrigins">Cross-validation origins used.</param>
/// <param name="CombinationCvMase">Cross-validated mean MASE of the combination, or null when selecting.</param>
/// <param name="Candidates">Every candidate's cross-validation outcome, best first.</param>
internal sealed record AutoJson(int Season, int Horizon, string Mode, bool PerSeries, string Chosen, IReadOnlyList<string> Members, int CvOrigins, double? CombinationCvMase,
    IReadOnlyList<CandidateJson> Candidates);

/// <summary>One candidate of <c>auto</c>.</summary>
/// <param name="Model">Model name.</param>
/// <param name="CvMase">Cross-validated mean MASE, or null when it dropped out.</param>
/// <param name="Dropped">Why it dropped out, or null.</param>
internal sealed record CandidateJson(string Model, double? CvMase, string? Dropped);
