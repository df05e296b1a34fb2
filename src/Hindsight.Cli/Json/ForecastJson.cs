namespace Hindsight.Cli.Json;

/// <summary><c>hindsight forecast --json</c> (fields in docs/json.md).</summary>
/// <param name="Data">The data file.</param>
/// <param name="Model">The model that forecast (with the one chosen by <c>auto</c>).</param>
/// <param name="ModelFile">The saved model used, or null when trained on the spot.</param>
/// <param name="Horizon">Steps forecast.</param>
/// <param name="Frequency">The data's frequency.</param>
/// <param name="Series">One forecast per series.</param>
/// <param name="Level">Conformal interval level in percent, or null without intervals.</param>
/// <param name="Auto">What <c>auto</c> chose and every candidate's cross-validation score, or null for other models.</param>
/// <param name="Warnings">The model's notes and forecasts outside the sane range of their history.</param>
/// <param name="Files">Files written.</param>
/// <param name="Levels">Every interval level in percent (<c>level</c> is the first), or null without intervals.</param>
/// <param name="IntervalMethod">Where the intervals and quantiles came from (<c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c>, <c>analytic</c>, <c>conformal</c>, <c>conformal-overlap</c>, <c>none</c>), or null.</param>
/// <param name="IntervalNote">Why the first choices of method were not taken, or null.</param>
internal sealed record ForecastJson(string? Data, string Model, string? ModelFile, int Horizon, string Frequency,
    IReadOnlyList<ForecastSeriesJson> Series, double? Level, AutoJson? Auto, IReadOnlyList<SeriesWarningJson> Warnings, IReadOnlyList<string> Files,
    IReadOnlyList<double>? Levels = null, string? IntervalMethod = null, string? IntervalNote = null)
{
    /// <summary>The covariates the data carried, as kind:name.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];
}

/// <summary>One series' forecast.</summary>
/// <param name="Id">Series id.</param>
/// <param name="Periods">Labels of the forecast periods.</param>
/// <param name="Forecast">Point forecasts.</param>
/// <param name="Lower">Lower interval bounds, or null.</param>
/// <param name="Upper">Upper interval bounds, or null.</param>
/// <param name="Intervals">The bounds of every interval level, or null.</param>
/// <param name="Quantiles">The asked quantiles (--quantiles), or null.</param>
internal sealed record ForecastSeriesJson(string Id, string[] Periods, float[] Forecast, float[]? Lower, float[]? Upper,
    IReadOnlyList<IntervalBoundsJson>? Intervals = null, IReadOnlyList<QuantileValuesJson>? Quantiles = null);

/// <summary>One quantile of a forecast.</summary>
/// <param name="Level">Quantile level in (0, 1).</param>
/// <param name="Values">The quantile per step.</param>
internal sealed record QuantileValuesJson(double Level, float[] Values);
