using Hindsight.Forecasting.Covariates;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Conformalised quantile regression per horizon step (CQR: Romano, Patterson and Candès 2019, MAPIE's <c>cqr</c>; with
/// <see cref="Scaled"/>, CQR-r of Sesia and Candès 2020): a copy of a model with its own quantiles is fitted without each
/// series' last values (as <see cref="ConformalQuantiles"/>) and predicts its quantiles after the calibration origins.
/// For a central interval [lo, hi] of coverage c (levels (1 - c) / 2 and (1 + c) / 2) the conformity score of an actual
/// y at step k is <c>max(lo - y, y - hi)</c> (negative inside), or that divided by <c>hi - lo</c> when scaled; the
/// correction Q(c, k) is the <c>ceil((n + 1) c)</c>-th smallest of the n scores (the largest when there are too few), and
/// the calibrated interval is <c>[lo - Q, hi + Q]</c>, or <c>[lo - Q w, hi + Q w]</c> with w = hi - lo of the forecast
/// being calibrated when scaled; the median stays, and the quantiles are kept non-decreasing. An interval that covered
/// too little in calibration widens, one that covered too much narrows; scaled, in proportion to its own width (never
/// past its midpoint), so a spread that changes with the series' level is corrected in its own scale.
/// </summary>
public sealed class QuantileRecalibration
{
    private readonly IQuantileForecaster _model;
    private readonly List<ForecastInput> _inputs;
    private readonly float[][] _actuals; // [input][step]
    private readonly int _horizon;
    private readonly Dictionary<long, float[]> _corrections = [];

    private QuantileRecalibration(IQuantileForecaster model, List<ForecastInput> inputs, float[][] actuals, int horizon, int windows, int stride, bool scaled)
    {
        Scaled = scaled;
        _model = model;
        _inputs = inputs;
        _actuals = actuals;
        _horizon = horizon;
        Windows = windows;
        Stride = stride;
    }

    /// <summary>Calibration horizons per series.</summary>
    public int Windows { get; }

    /// <summary>Whether scores and corrections are relative to the interval's width (CQR-r).</summary>
    public bool Scaled { get; }

    /// <summary>Values between calibration origins.</summary>
    public int Stride { get; }

    /// <summary>Conformity scores per step (series x windows).</summary>
    public int Count => _inputs.Count;

    /// <summary>
    /// Calibrates models made by <paramref name="create"/> (each with quantiles of its own) on <paramref name="series"/> and
    /// their <paramref name="covariates"/> (null: none): <paramref name="windows"/> horizons per series, <paramref name="stride"/> apart;
    /// <paramref name="scaled"/>: scores relative to the interval's width.
    /// </summary>
    /// <exception cref="ArgumentException">A series too short for the windows, a model without quantiles, or the model's own fit errors.</exception>
    public static QuantileRecalibration Calibrate(Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, int windows, int stride,
        bool scaled = false, CovariateSchema? schema = null, IReadOnlyList<SeriesCovariates>? covariates = null)
    {
        var (model, inputs) = ConformalQuantiles.CalibrationFit(create, series, horizon, windows, stride, schema, covariates);
        if (model is not IQuantileForecaster { QuantileMethod: not null } q)
            throw new ArgumentException($"{model.Name}: has no quantiles of its own to recalibrate (use conformal intervals).", nameof(create));
        var actuals = inputs.Select(i => series[i.Series].AsSpan(i.History.Length, horizon).ToArray()).ToArray();
        return new QuantileRecalibration(q, inputs, actuals, horizon, windows, stride, scaled);
    }

    /// <summary>The correction Q(c, k) per step (in widths of the interval when <see cref="Scaled"/>) for a central interval of coverage <paramref name="coverage"/> in (0, 1).</summary>
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
            {
                float lo = q[i][0][k], hi = q[i][1][k], y = _actuals[i][k];
                float distance = Math.Max(lo - y, y - hi);
                // Scaled, a zero-width interval: y on it scores -1/2, any miss +infinity.
                scores[i] = !Scaled ? distance : hi > lo ? distance / (hi - lo) : distance > 0 ? float.PositiveInfinity : -0.5f;
            }
            Array.Sort(scores);
            result[k] = scores[rank - 1];
        }
        return _corrections[key] = result;
    }

    /// <summary>
    /// Calibrates quantiles <paramref name="quantiles"/> <c>[input][level][step]</c> at <paramref name="levels"/> (increasing,
    /// in (0, 1)) in place, and keeps them non-decreasing over the levels (a running maximum). Each level's mirror
    /// (1 - level) must be among the levels: the interval they bound gives the width of scaled corrections. Returns the same array.
    /// </summary>
    /// <exception cref="ArgumentException">A level whose mirror is not among <paramref name="levels"/>.</exception>
    public float[][][] Apply(float[][][] quantiles, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(levels);
        var mirror = new int[levels.Count];
        var shifts = new float[levels.Count][];
        for (int j = 0; j < levels.Count; j++)
        {
            double coverage = Math.Abs(2 * levels[j] - 1);
            mirror[j] = -1;
            for (int m = 0; m < levels.Count; m++)
                if (Math.Abs(levels[m] - (1 - levels[j])) < 1e-9) mirror[j] = m;
            if (mirror[j] < 0) throw new ArgumentException($"CQR: quantile level {levels[j]} needs its mirror {1 - levels[j]} among the levels.", nameof(levels));
            shifts[j] = coverage < 1e-9 ? new float[_horizon] : Correction(coverage);
        }
        foreach (var input in quantiles)
        {
            var result = new float[levels.Count][];
            for (int j = 0; j < levels.Count; j++)
            {
                result[j] = (float[])input[j].Clone();
                float sign = levels[j] < 0.5 ? -1 : 1;
                for (int k = 0; k < input[j].Length && k < _horizon; k++)
                {
                    float unit = Scaled ? Math.Abs(input[j][k] - input[mirror[j]][k]) : 1;
                    result[j][k] += sign * shifts[j][k] * unit;
                }
            }
            for (int j = 0; j < levels.Count; j++) input[j] = result[j];
            for (int j = 1; j < levels.Count; j++)
                for (int k = 0; k < input[j].Length; k++)
                    input[j][k] = Math.Max(input[j][k], input[j - 1][k]);
        }
        return quantiles;
    }

    /// <summary><paramref name="levels"/> with each level's mirror (1 - level) added, ascending: what <see cref="Apply"/> needs.</summary>
    public static double[] WithMirrors(IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var all = new List<double>();
        foreach (var l in levels.Concat(levels.Select(l => 1 - l)))
            if (!all.Any(a => Math.Abs(a - l) < 1e-9)) all.Add(l);
        all.Sort();
        return [.. all];
    }
}
