using Hindsight.Forecasting.Covariates;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Split conformal quantiles at any level from one calibration (<see cref="ConformalIntervals"/> at several levels): a
/// copy of the model fitted on each series without its last <c>(windows - 1) x stride + horizon</c> values forecasts
/// <c>windows</c> horizons from origins <paramref name="Stride"/> apart (stride = horizon: consecutive, non-overlapping, as
/// statsforecast; stride 1: overlapping, for series too short for that). The absolute errors at step k are the scores; the
/// central interval at coverage c is <c>forecast ± the ceil((n + 1) c)-th smallest score</c>, so the quantile at level q is
/// the forecast minus (q &lt; 0.5) or plus (q &gt; 0.5) the width at coverage |2q - 1|. A coverage needing more scores than
/// there are takes the largest score (<see cref="Supports"/> says whether it is exact).
/// </summary>
/// <param name="Scores">Scores per step, each array ascending (n = series x windows).</param>
/// <param name="Windows">Calibration horizons per series.</param>
/// <param name="Stride">Values between calibration origins.</param>
public sealed record ConformalQuantiles(float[][] Scores, int Windows, int Stride)
{
    /// <summary>Scores per step.</summary>
    public int Count => Scores[0].Length;

    /// <summary>
    /// Calibrates on <paramref name="series"/> with models made by <paramref name="create"/>, fitted and forecasting with the
    /// series' <paramref name="covariates"/> (described by <paramref name="schema"/>; null: none) as the model being calibrated.
    /// </summary>
    /// <exception cref="ArgumentException">A series too short for the windows, or the model's own fit errors.</exception>
    public static ConformalQuantiles Calibrate(Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, int windows, int stride,
        CovariateSchema? schema = null, IReadOnlyList<SeriesCovariates>? covariates = null)
    {
        var (model, inputs) = CalibrationFit(create, series, horizon, windows, stride, schema, covariates);
        var forecasts = model.Predict(inputs, horizon);
        var scores = new float[horizon][];
        for (int k = 0; k < horizon; k++)
        {
            scores[k] = new float[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
                scores[k][i] = Math.Abs(series[inputs[i].Series][inputs[i].History.Length + k] - forecasts[i][k]);
            Array.Sort(scores[k]);
        }
        return new ConformalQuantiles(scores, windows, stride);
    }

    /// <summary>Whether the scores give an exact interval at <paramref name="coverage"/> in (0, 1): ceil((n + 1) c) &lt;= n.</summary>
    public bool Supports(double coverage) => Rank(coverage) <= Count;

    /// <summary>The half-width at step <paramref name="step"/> for coverage <paramref name="coverage"/> (the largest score when there are too few).</summary>
    public float Width(int step, double coverage) => coverage <= 0 ? 0 : Scores[step][Math.Clamp(Rank(coverage), 1, Count) - 1];

    /// <summary>The quantiles <c>[level][step]</c> around <paramref name="forecast"/> (at most the calibrated horizon).</summary>
    public float[][] Quantiles(ReadOnlySpan<float> forecast, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (forecast.Length > Scores.Length) throw new ArgumentException($"conformal quantiles were calibrated for {Scores.Length} steps, not {forecast.Length}.");
        var result = new float[levels.Count][];
        for (int j = 0; j < levels.Count; j++)
        {
            double q = levels[j], coverage = Math.Abs(2 * q - 1);
            result[j] = new float[forecast.Length];
            for (int k = 0; k < forecast.Length; k++)
                result[j][k] = q < 0.5 ? forecast[k] - Width(k, coverage) : q > 0.5 ? forecast[k] + Width(k, coverage) : forecast[k];
        }
        return result;
    }

    /// <summary>
    /// A copy of the model (made by <paramref name="create"/>) fitted on each series without its last
    /// <c>(windows - 1) x stride + horizon</c> values (with the covariates, when given), and the calibration inputs:
    /// <paramref name="windows"/> origins per series, <paramref name="stride"/> apart, series-major.
    /// </summary>
    /// <exception cref="ArgumentException">A series too short for the windows, or the model's own fit errors.</exception>
    internal static (Forecaster Model, List<ForecastInput> Inputs) CalibrationFit(Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon,
        int windows, int stride, CovariateSchema? schema, IReadOnlyList<SeriesCovariates>? covariates)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        int cut = (windows - 1) * stride + horizon;
        foreach (var s in series)
            if (s.Length <= cut)
                throw new ArgumentException($"conformal calibration: a series has {s.Length} values; {windows} windows of {horizon}, {stride} apart, need more than {cut}.");
        var model = create();
        model.FitWith(series.Select(s => s[..^cut]).ToList(), schema, covariates);
        var inputs = new List<ForecastInput>();
        for (int s = 0; s < series.Count; s++)
            for (int w = 0; w < windows; w++)
                inputs.Add(new ForecastInput(s, series[s].AsMemory(0, series[s].Length - cut + w * stride)) { Covariates = covariates?[s] });
        return (model, inputs);
    }

    private int Rank(double coverage) => (int)Math.Ceiling((Count + 1) * coverage - 1e-9);
}
