namespace Hindsight.Forecasting;

/// <summary>
/// How a neural model's training windows are cut from data of given lengths: the lookback actually used is the
/// configured one (the most), shortened for short data so that a series of median length still gives
/// <see cref="TargetWindows"/> training windows, but never below <see cref="MinLookback"/>.
/// </summary>
/// <remarks>
/// A window starting at t has inputs [t - L, t) and targets [t, t + O); training targets end before the validation tail
/// of V values, so a series of n values gives n - V - O - L + 1 training windows and V validation windows. A 60-point
/// monthly series with horizon 12 (48 values before a 12-value holdout) gives one window at the configured 2 x 12 = 24;
/// the plan shortens the lookback to 13 (one season and a value), which gives 12.
/// </remarks>
public static class WindowPlan
{
    /// <summary>Training windows a series of median length should give: the horizon (at least 1).</summary>
    public static int TargetWindows(int horizon) => Math.Max(1, horizon);

    /// <summary>The shortest lookback the plan chooses: max(horizon, season + 1), and never above <paramref name="lookback"/>.</summary>
    public static int MinLookback(int lookback, int horizon, int season) => Math.Min(lookback, Math.Max(horizon, season + 1));

    /// <summary>Training windows of a series of <paramref name="length"/> values (0 when none).</summary>
    public static int TrainWindows(int length, int lookback, int outputs, int validation) => Math.Max(0, length - validation - outputs - lookback + 1);

    /// <summary>
    /// The lookback for series of <paramref name="lengths"/>: <paramref name="lookback"/> when the median series gives at least
    /// <see cref="TargetWindows"/> windows with it, else the longest that does, but at least <see cref="MinLookback"/>.
    /// </summary>
    public static int Lookback(IReadOnlyList<int> lengths, int lookback, int horizon, int outputs, int validation, int season)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) return lookback;
        var sorted = lengths.Order().ToArray();
        int median = sorted[(sorted.Length - 1) / 2];
        int fits = median - validation - outputs - TargetWindows(horizon) + 1;
        return Math.Clamp(fits, MinLookback(lookback, horizon, season), lookback);
    }
}
