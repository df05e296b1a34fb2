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
internal sealed record ForecastJson(string? Data, string Model, string? ModelFile, int Horizon, string Frequency,
    IReadOnlyList<ForecastSeriesJson> Series, double? Level, AutoJson? Auto, IReadOnlyList<SeriesWarningJson> Warnings, IReadOnlyList<string> Files)
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
internal sealed record ForecastSeriesJson(string Id, string[] Periods, float[] Forecast, float[]? Lower, float[]? Upper);
