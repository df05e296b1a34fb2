using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>
/// How <see cref="Evaluation.Backtest"/> cuts the data: how many forecast origins, how far apart, and whether models are
/// refitted at each. Help, default and range of each setting are declared here once.
/// </summary>
public sealed record BacktestOptions
{
    /// <summary>Forecast origins per series.</summary>
    [Setting("Forecast origins per series", Min = 1, Max = SizeLimits.Origins)]
    public int Origins { get; init; } = 5;

    /// <summary>Values between consecutive origins (null: the horizon).</summary>
    [Setting("Values between origins", Min = 1, Max = SizeLimits.Length, DefaultText = "the horizon")]
    public int? Stride { get; init; }

    /// <summary>Refit every model at every origin (false: fit once before the first origin and predict every origin in one batched call).</summary>
    [Setting("Refit every model at every origin (default: fit once before the first origin)")]
    public bool Refit { get; init; }
}

/// <summary>
/// Prediction intervals for an evaluation or a forecast: their levels, and the calibration windows per series of the conformal
/// ones (models without quantiles of their own, <see cref="Probabilistic.IQuantileForecaster"/>).
/// </summary>
public sealed record IntervalOptions
{
    /// <summary>Coverage levels in percent, each between 0 and 100 (exclusive), e.g. 80 and 95.</summary>
    [Setting("Prediction intervals at these levels in percent, e.g. 80,95 (the model's own quantiles or distribution, else conformal from backtest errors of the training data)",
        Min = 0, MinExclusive = true, Max = 100, MaxExclusive = true, DefaultText = "no intervals")]
    public IReadOnlyList<double> Levels { get; init; } = [90];

    /// <summary>The first level (setting it sets <see cref="Levels"/> to that one level).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Level
    {
        get => Levels[0];
        init => Levels = [value];
    }

    /// <summary>Calibration windows per series, or 0 for the fewest giving at least max(19, <see cref="ConformalIntervals.MinimumScores"/>) scores in all.</summary>
    [Setting("Calibration horizons per series for the intervals (0: automatic)", Min = 0, Max = SizeLimits.Origins,
        DefaultText = "the fewest giving max(19, the level's minimum) scores")]
    public int CalibrationWindows { get; init; }

    /// <summary>How the intervals of models with quantiles of their own are calibrated (models without get conformal ones either way).</summary>
    [Setting("Calibration of the intervals of models with their own quantiles (heads, R's analytic): none, cqr (conformalised quantile regression: each interval widened or narrowed per step by the calibration horizons' scores), cqrscaled (the same relative to each interval's width) or conformal (split conformal around the point forecast)")]
    public Probabilistic.IntervalCalibration Calibration { get; init; } = Probabilistic.IntervalCalibration.None;

    /// <summary>The highest level as a coverage fraction in (0, 1) (the one the conformal calibration must support; 0.9 without levels).</summary>
    public double Coverage => Levels.Count == 0 ? 0.9 : Levels.Max() / 100;

    /// <summary>The windows per series used for <paramref name="seriesCount"/> series.</summary>
    public int Windows(int seriesCount)
    {
        if (CalibrationWindows > 0) return CalibrationWindows;
        int needed = Math.Max(19, ConformalIntervals.MinimumScores(Coverage));
        return (needed + seriesCount - 1) / seriesCount;
    }
}
