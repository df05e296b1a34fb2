using Hindsight.Forecasting.Covariates;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Conformalised quantile regression per horizon step (CQR, Romano, Patterson and Candès 2019; MAPIE's <c>cqr</c>): a copy
/// of a model with its own quantiles is fitted without each series' last values (as <see cref="ConformalQuantiles"/>) and
/// predicts its quantiles after the calibration origins. For a central interval of coverage c (levels (1 - c) / 2 and
/// (1 + c) / 2) the conformity score of an actual y at step k is <c>max(lo - y, y - hi)</c> (negative inside); the
/// correction Q(c, k) is the <c>ceil((n + 1) c)</c>-th smallest of the n scores (the largest when there are too few), and the
/// calibrated quantile at level q is the model's minus (q &lt; 0.5) or plus (q &gt; 0.5) Q(|2q - 1|, k); the median stays.
/// So an interval that covered too little in calibration widens, one that covered too much narrows.
/// </summary>
public sealed class QuantileRecalibration
{
    private readonly IQuantileForecaster _model;
    private readonly List<ForecastInput> _inputs;
    private readonly float[][] _actuals; // [input][step]
    private readonly int _horizon;
    private readonly Dictionary<long, float[]> _corrections = [];

    private QuantileRecalibration(IQuantileForecaster model, List<ForecastInput> inputs, float[][] actuals, int horizon, int windows, int stride)
    {
        _model = model;
        _inputs = inputs;
        _actuals = actuals;
        _horizon = horizon;
        Windows = windows;
        Stride = stride;
    }

    /// <summary>Calibration horizons per series.</summary>
    public int Windows { get; }

    /// <summary>Values between calibration origins.</summary>
    public int Stride { get; }

    /// <summary>Conformity scores per step (series x windows).</summary>
    public int Count => _inputs.Count;

    /// <summary>
    /// Calibrates models made by <paramref name="create"/> (each with quantiles of its own) on <paramref name="series"/> and
    /// their <paramref name="covariates"/> (null: none): <paramref name="windows"/> horizons per series, <paramref name="stride"/> apart.
    /// </summary>
    /// <exception cref="ArgumentException">A series too short for the windows, a model without quantiles, or the model's own fit errors.</exception>
    public static QuantileRecalibration Calibrate(Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, int windows, int stride,
        CovariateSchema? schema = null, IReadOnlyList<SeriesCovariates>? covariates = null)
    {
        var (model, inputs) = ConformalQuantiles.CalibrationFit(create, series, horizon, windows, stride, schema, covariates);
        if (model is not IQuantileForecaster { QuantileMethod: not null } q)
            throw new ArgumentException($"{model.Name}: has no quantiles of its own to recalibrate (use conformal intervals).", nameof(create));
        var actuals = inputs.Select(i => series[i.Series].AsSpan(i.History.Length, horizon).ToArray()).ToArray();
        return new QuantileRecalibration(q, inputs, actuals, horizon, windows, stride);
    }

    /// <summary>The correction Q(c, k) per step for a central interval of coverage <paramref name="coverage"/> in (0, 1).</summary>
    public float[] Correction(double coverage)
    {
        if (!(coverage > 0 && coverage < 1)) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "coverage must be between 0 and 1 (exclusive).");
        long key = (long)Math.Round(coverage * 1e9);
        if (_corrections.TryGetValue(key, out var done)) return done;
        var q = _model.PredictQuantiles(_inputs, _horizon, [(1 - coverage) / 2, (1 + coverage) / 2]);
        int n = _inputs.Count, rank = Math.Clamp((int)Math.Ceiling((n + 1) * coverage - 1e-9), 1, n);
        var result = new float[_horizon];
        var scores = new float[n];
        for (int k = 0; k < _horizon; k++)
        {
            for (int i = 0; i < n; i++)
                scores[i] = Math.Max(q[i][0][k] - _actuals[i][k], _actuals[i][k] - q[i][1][k]);
            Array.Sort(scores);
            result[k] = scores[rank - 1];
        }
        return _corrections[key] = result;
    }

    /// <summary>
    /// Calibrates quantiles <paramref name="quantiles"/> <c>[input][level][step]</c> at <paramref name="levels"/> (increasing,
    /// in (0, 1)) in place, and keeps them non-decreasing over the levels (a running maximum). Returns the same array.
    /// </summary>
    public float[][][] Apply(float[][][] quantiles, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(levels);
        var shifts = levels.Select(l => Math.Abs(2 * l - 1) < 1e-9 ? null : Correction(Math.Abs(2 * l - 1))).ToArray();
        foreach (var input in quantiles)
        {
            for (int j = 0; j < levels.Count; j++)
            {
                if (shifts[j] is not { } shift) continue;
                float sign = levels[j] < 0.5 ? -1 : 1;
                for (int k = 0; k < input[j].Length && k < shift.Length; k++) input[j][k] += sign * shift[k];
            }
            for (int j = 1; j < levels.Count; j++)
                for (int k = 0; k < input[j].Length; k++)
                    input[j][k] = Math.Max(input[j][k], input[j - 1][k]);
        }
        return quantiles;
    }
}
