using Hindsight.Forecasting.Covariates;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Where a fitted model's quantiles and intervals come from, chosen in this order: the model's own
/// (<see cref="IQuantileForecaster"/>: a quantile or distribution head, or analytic intervals), optionally recalibrated
/// (<see cref="IntervalCalibration"/>); conformal, from consecutive calibration horizons (<c>conformal</c>); conformal
/// from overlapping horizons one value apart, for series too short for consecutive ones (<c>conformal-overlap</c>); or
/// none, with the reason in <see cref="Note"/>.
/// </summary>
/// <param name="Method"><c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c>, <c>analytic</c> (each with
/// <c>+cqr</c> or <c>+cqrscaled</c> when recalibrated), <c>conformal</c>, <c>conformal-overlap</c> or <c>none</c>.</param>
/// <param name="Conformal">The calibration of the conformal methods.</param>
/// <param name="Note">Why the first choices were not taken (null when the first was), one line.</param>
public sealed record QuantileSource(string Method, ConformalQuantiles? Conformal, string? Note)
{
    /// <summary>The conformalised-quantile correction of the model's own quantiles (<c>+cqr</c> methods), or null.</summary>
    public QuantileRecalibration? Recalibration { get; init; }

    /// <summary>Whether the model gets quantiles at all.</summary>
    public bool HasQuantiles => Method != "none";

    /// <summary>
    /// The source for <paramref name="model"/> (fitted on <paramref name="series"/> and their <paramref name="covariates"/>,
    /// described by <paramref name="schema"/>; null: none): its own quantiles when it has them (as they are, recalibrated by
    /// CQR, or replaced by conformal ones, as <paramref name="calibration"/> says), else a conformal calibration of copies made
    /// by <paramref name="create"/> with <paramref name="windows"/> consecutive horizons per series, else with overlapping
    /// horizons (enough of them for <paramref name="coverage"/>, the highest level). The copies get the same covariates.
    /// </summary>
    public static QuantileSource Choose(Forecaster model, Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, double coverage, int windows,
        IntervalCalibration calibration = IntervalCalibration.None, CovariateSchema? schema = null, IReadOnlyList<SeriesCovariates>? covariates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(series);
        if (model is IQuantileForecaster { QuantileMethod: { } own } && calibration != IntervalCalibration.Conformal)
        {
            if (calibration == IntervalCalibration.None) return new QuantileSource(own, null, null);
            bool scaled = calibration == IntervalCalibration.CqrScaled;
            return Calibrated((w, stride, _) => new QuantileSource(own + (scaled ? "+cqrscaled" : "+cqr"), null, null)
            { Recalibration = QuantileRecalibration.Calibrate(create, series, horizon, w, stride, scaled, schema, covariates) },
                series, windows, coverage, horizon, note => new QuantileSource(own, null, $"no CQR recalibration: {note}"));
        }
        return Calibrated((w, stride, overlapping) => new QuantileSource(overlapping ? "conformal-overlap" : "conformal",
                ConformalQuantiles.Calibrate(create, series, horizon, w, stride, schema, covariates), null),
            series, windows, coverage, horizon, note => new QuantileSource("none", null, $"no intervals: {note}"));
    }

    // Consecutive calibration horizons when they leave the calibration copies at least half of the shortest series, else
    // (or when they fail) overlapping ones: enough windows for the highest level, as far apart (at most a horizon) as that
    // half allows; else the fallback. The note says which.
    private static QuantileSource Calibrated(Func<int, int, bool, QuantileSource> calibrate, IReadOnlyList<float[]> series, int windows, double coverage, int horizon,
        Func<string, QuantileSource> fallback)
    {
        int shortest = series.Count == 0 ? 0 : series.Min(s => s.Length), half = shortest / 2;
        string first;
        if (windows * horizon <= half)
        {
            try { return calibrate(windows, horizon, false); }
            catch (Exception ex) when (Evaluation.IsModelFailure(ex)) { first = Evaluation.Reason(ex); }
        }
        else first = $"{windows} of {horizon} would leave the calibration copies {Math.Max(0, shortest - windows * horizon)} of the shortest series' {shortest} values";
        int needed = Math.Max(19, ConformalIntervals.MinimumScores(coverage));
        int overlap = Math.Max(windows, (needed + series.Count - 1) / series.Count);
        int stride = overlap == 1 ? 1 : Math.Clamp((half - horizon) / (overlap - 1), 1, horizon);
        try
        {
            var c = calibrate(overlap, stride, true);
            return c with { Note = $"consecutive calibration horizons: {first}; {overlap} overlapping ones used, {stride} apart" };
        }
        catch (Exception ex) when (Evaluation.IsModelFailure(ex))
        {
            return fallback($"{first}; overlapping horizons: {Evaluation.Reason(ex)}");
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
        if (model is IQuantileForecaster q && q.QuantileMethod is not null)
        {
            if (Recalibration is null) return q.PredictQuantiles(inputs, horizon, levels);
            // CQR widens each level by its central interval's width: predict the mirrors too, then keep the asked levels.
            var all = QuantileRecalibration.WithMirrors(levels);
            var calibrated = Recalibration.Apply(q.PredictQuantiles(inputs, horizon, all), all);
            var index = levels.Select(l => Array.FindIndex(all, a => Math.Abs(a - l) < 1e-9)).ToArray();
            return calibrated.Select(c => index.Select(i => c[i]).ToArray()).ToArray();
        }
        return null;
    }
}
