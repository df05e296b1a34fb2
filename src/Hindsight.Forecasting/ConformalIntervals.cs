namespace Hindsight.Forecasting;

/// <summary>
/// Split conformal prediction intervals per horizon step, as statsforecast/mlforecast's <c>ConformalIntervals</c>: a
/// copy of the model is fitted on each series without its last <c>windows x horizon</c> values and forecasts
/// <c>windows</c> consecutive non-overlapping horizons from there; the absolute errors at step k over every series and window
/// are the conformity scores, and the half-width at step k is their <c>ceil((n + 1) level)</c>-th smallest value
/// (n scores). Intervals are <c>forecast ± Width[k]</c>; under exchangeable errors they cover the actual with probability
/// at least <see cref="Level"/>.
/// </summary>
/// <param name="Level">Coverage level in (0, 1), e.g. 0.9.</param>
/// <param name="Width">Half-width per horizon step, in the data's units.</param>
/// <param name="Scores">Conformity scores per step (n = series x windows).</param>
public sealed record ConformalIntervals(double Level, float[] Width, int Scores)
{
    /// <summary>
    /// Calibrates intervals for models made by <paramref name="create"/> on <paramref name="series"/>, fitted and forecasting
    /// with the series' <paramref name="covariates"/> (described by <paramref name="schema"/>; null: none).
    /// </summary>
    /// <exception cref="ArgumentException">Bad level or windows, series too short, or too few scores for the level.</exception>
    public static ConformalIntervals Calibrate(Func<Forecaster> create, IReadOnlyList<float[]> series, int horizon, double level, int windows,
        Covariates.CovariateSchema? schema = null, IReadOnlyList<Covariates.SeriesCovariates>? covariates = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (!(level > 0 && level < 1)) throw new ArgumentException($"level must be between 0 and 1 (exclusive), got {level}.", nameof(level));
        if (windows < 1) throw new ArgumentException($"windows must be at least 1, got {windows}.", nameof(windows));
        int n = series.Count * windows;
        int rank = Rank(n, level);
        if (rank > n)
            throw new ArgumentException($"conformal intervals at level {level * 100:G4}% need at least {MinimumScores(level)} calibration forecasts; {series.Count} series x {windows} windows give {n} (raise calibrationWindows or lower the level).", nameof(windows));
        int cut = windows * horizon;
        var train = new List<float[]>();
        foreach (var s in series)
        {
            if (s.Length <= cut) throw new ArgumentException($"conformal calibration: a series has {s.Length} values; {windows} windows of {horizon} need more than {cut}.");
            train.Add(s[..^cut]);
        }
        var model = create();
        model.FitWith(train, schema, covariates);
        var inputs = new List<ForecastInput>();
        for (int s = 0; s < series.Count; s++)
            for (int w = 0; w < windows; w++)
                inputs.Add(new ForecastInput(s, series[s].AsMemory(0, series[s].Length - cut + w * horizon)) { Covariates = covariates?[s] });
        var forecasts = model.Predict(inputs, horizon);
        var width = new float[horizon];
        var scores = new double[n];
        for (int k = 0; k < horizon; k++)
        {
            for (int i = 0; i < n; i++)
            {
                var input = inputs[i];
                scores[i] = Math.Abs((double)series[input.Series][input.History.Length + k] - forecasts[i][k]);
            }
            Array.Sort(scores);
            width[k] = (float)scores[rank - 1];
        }
        return new ConformalIntervals(level, width, n);
    }

    /// <summary>The fewest conformity scores n with a finite interval at <paramref name="level"/>: <c>ceil((n + 1) level) &lt;= n</c>.</summary>
    public static int MinimumScores(double level)
    {
        int n = 1;
        while (Rank(n, level) > n) n++;
        return n;
    }

    // ceil((n + 1) level), forgiving the rounding of a level such as 99.9 / 100 (1e-9 below an integer counts as it).
    private static int Rank(int n, double level) => (int)Math.Ceiling((n + 1) * level - 1e-9);

    /// <summary>Lower and upper bounds around <paramref name="forecast"/> (its length at most the calibrated horizon).</summary>
    public (float[] Lower, float[] Upper) Apply(ReadOnlySpan<float> forecast)
    {
        if (forecast.Length > Width.Length) throw new ArgumentException($"conformal intervals were calibrated for {Width.Length} steps, not {forecast.Length}.");
        var lower = new float[forecast.Length];
        var upper = new float[forecast.Length];
        for (int k = 0; k < forecast.Length; k++) { lower[k] = forecast[k] - Width[k]; upper[k] = forecast[k] + Width[k]; }
        return (lower, upper);
    }
}
