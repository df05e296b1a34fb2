namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Where a fitted model's quantiles and intervals come from, chosen in this order: the model's own
/// (<see cref="IQuantileForecaster"/>: a quantile or distribution head, or analytic intervals); conformal, from
/// consecutive calibration horizons (<c>conformal</c>); conformal from overlapping horizons one value apart, for series too
/// short for consecutive ones (<c>conformal-overlap</c>); or none, with the reason in <see cref="Note"/>.
/// </summary>
/// <param name="Method"><c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c>, <c>analytic</c>, <c>conformal</c>, <c>conformal-overlap</c> or <c>none</c>.</param>
/// <param name="Conformal">The calibration of the conformal methods.</param>
/// <param name="Note">Why the first choices were not taken (null when the first was), one line.</param>
public sealed record QuantileSource(string Method, ConformalQuantiles? Conformal, string? Note)
{
    /// <summary>Whether the model gets quantiles at all.</summary>
    public bool HasQuantiles => Method != "none";

    /// <summary>
    /// The source for <paramref name="model"/> (fitted on <paramref name="series"/>): its own quantiles when it has them,
    /// else a conformal calibration of copies made by <paramref name="create"/> with <paramref name="windows"/> consecutive
    /// horizons per series, else with overlapping horizons (enough of them for <paramref name="coverage"/>, the highest level).
    /// </summary>
    public static QuantileSource Choose(Forecaster model, Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, double coverage, int windows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(series);
        if (model is IQuantileForecaster { QuantileMethod: { } own }) return new QuantileSource(own, null, null);
        string? first;
        try { return new QuantileSource("conformal", ConformalQuantiles.Calibrate(create, series, horizon, windows, horizon), null); }
        catch (Exception ex) when (Evaluation.IsModelFailure(ex)) { first = Evaluation.Reason(ex); }
        // Overlapping horizons one value apart: enough windows for the highest level, as few values as possible.
        int needed = Math.Max(19, ConformalIntervals.MinimumScores(coverage));
        int overlap = Math.Max(windows, (needed + series.Count - 1) / series.Count);
        try
        {
            var c = ConformalQuantiles.Calibrate(create, series, horizon, overlap, 1);
            return new QuantileSource("conformal-overlap", c, $"consecutive calibration horizons failed ({first}); {overlap} overlapping ones used");
        }
        catch (Exception ex) when (Evaluation.IsModelFailure(ex))
        {
            return new QuantileSource("none", null, $"no intervals: {first}; overlapping horizons: {Evaluation.Reason(ex)}");
        }
    }

    /// <summary>
    /// The quantiles <c>[input][level][step]</c> of <paramref name="model"/> after <paramref name="inputs"/>, given its point
    /// forecasts <paramref name="forecasts"/> (the conformal methods centre on them); null without a source.
    /// </summary>
    public float[][][]? Predict(Forecaster model, IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels, float[][] forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        if (Conformal is not null) return forecasts.Select(f => Conformal.Quantiles(f, levels)).ToArray();
        if (model is IQuantileForecaster q && q.QuantileMethod is not null) return q.PredictQuantiles(inputs, horizon, levels);
        return null;
    }
}
