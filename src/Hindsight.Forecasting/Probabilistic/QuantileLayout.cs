namespace Hindsight.Forecasting.Probabilistic;

/// <summary>Empirical coverage and mean width of one interval level.</summary>
/// <param name="Level">Level in percent.</param>
/// <param name="Coverage">Share of actual values inside the interval (0..1).</param>
/// <param name="Width">Mean width (upper - lower), in the data's units.</param>
public sealed record IntervalScore(double Level, double Coverage, double Width);

/// <summary>Probabilistic scores of a model's forecasts (those with quantiles), averaged over every step.</summary>
/// <param name="Method">Where the quantiles came from (<see cref="QuantileSource.Method"/>; several joined by <c>+</c> when groups differed).</param>
/// <param name="Pinball">Mean pinball loss over the pinball levels and every step, or null without quantiles.</param>
/// <param name="Crps">Mean CRPS from quantiles (<see cref="ProbabilisticMetrics.CrpsFromQuantiles"/>), or null.</param>
/// <param name="Intervals">Coverage and width of each interval level.</param>
/// <param name="Forecasts">Forecasts scored (those that had quantiles).</param>
public sealed record ProbabilisticScore(string Method, double? Pinball, double? Crps, IReadOnlyList<IntervalScore> Intervals, int Forecasts);

/// <summary>
/// The quantile levels an evaluation asks a model for, and which of them each score uses: the pinball loss over the asked
/// quantiles (or, when none were asked, each interval's bounds and the median); the CRPS over a quantile head's own levels,
/// or for any other source the 19 levels 0.05, 0.10, ..., 0.95; the intervals from the bounds (1 -/+ level) / 2.
/// </summary>
/// <param name="Levels">Every level predicted, ascending: <c>SeriesForecast.Quantiles[j]</c> is at <c>Levels[j]</c>.</param>
/// <param name="PinballLevels">Levels of the pinball loss.</param>
/// <param name="CrpsLevels">Levels of the CRPS.</param>
/// <param name="IntervalLevels">Interval levels in percent.</param>
public sealed record QuantileLayout(double[] Levels, double[] PinballLevels, double[] CrpsLevels, double[] IntervalLevels)
{
    /// <summary>The layout for a model with <paramref name="nativeLevels"/> (a quantile head's; null: any level), the asked <paramref name="quantiles"/> (null: none) and interval <paramref name="intervalLevels"/>.</summary>
    public static QuantileLayout For(IReadOnlyList<float>? nativeLevels, IReadOnlyList<float>? quantiles, IReadOnlyList<double> intervalLevels)
    {
        ArgumentNullException.ThrowIfNull(intervalLevels);
        var bounds = intervalLevels.SelectMany(ProbabilisticOptions.IntervalBounds).Select(Round).ToArray();
        var pinball = quantiles is { Count: > 0 } ? quantiles.Select(q => Round(q)).ToArray() : bounds.Append(0.5).ToArray();
        var crps = nativeLevels is not null ? nativeLevels.Select(q => Round(q)).ToArray() : ProbabilisticMetrics.CrpsLevels();
        var all = bounds.Concat(pinball).Concat(crps).Append(0.5).Distinct().Order().ToArray();
        return new QuantileLayout(all, [.. pinball.Distinct().Order()], [.. crps.Distinct().Order()], [.. intervalLevels]);
    }

    // Levels compare after rounding to 6 decimals (0.1f and 0.1 are one level).
    private static double Round(double level) => Math.Round(level, 6);

    /// <summary>The index in <see cref="Levels"/> of <paramref name="level"/>.</summary>
    public int IndexOf(double level) => Array.IndexOf(Levels, Round(level));

    /// <summary>The lower and upper bounds <c>[step]</c> of interval <paramref name="level"/> percent from <paramref name="quantiles"/> <c>[level][step]</c>.</summary>
    public (float[] Lower, float[] Upper) Bounds(float[][] quantiles, double level)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        var b = ProbabilisticOptions.IntervalBounds(level);
        return (quantiles[IndexOf(b[0])], quantiles[IndexOf(b[1])]);
    }

    /// <summary>The scores of the <paramref name="forecasts"/> that have quantiles in this layout (null when none has).</summary>
    public ProbabilisticScore? Score(string method, IEnumerable<SeriesForecast> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var scored = forecasts.Where(f => f.Quantiles is not null).ToList();
        if (scored.Count == 0) return null;
        double pinball = 0, crps = 0;
        long points = 0;
        var inside = new long[IntervalLevels.Length];
        var width = new double[IntervalLevels.Length];
        var pinballIndex = PinballLevels.Select(IndexOf).ToArray();
        var crpsIndex = CrpsLevels.Select(IndexOf).ToArray();
        var crpsValues = new float[crpsIndex.Length];
        foreach (var f in scored)
        {
            var q = f.Quantiles!;
            for (int k = 0; k < f.Actual.Length; k++)
            {
                double y = f.Actual[k];
                points++;
                double p = 0;
                for (int j = 0; j < pinballIndex.Length; j++) p += ProbabilisticMetrics.Pinball(y, q[pinballIndex[j]][k], PinballLevels[j]);
                pinball += p / pinballIndex.Length;
                for (int j = 0; j < crpsIndex.Length; j++) crpsValues[j] = q[crpsIndex[j]][k];
                crps += ProbabilisticMetrics.CrpsFromQuantiles(y, crpsValues, CrpsLevels);
                for (int i = 0; i < IntervalLevels.Length; i++)
                {
                    var (lower, upper) = Bounds(q, IntervalLevels[i]);
                    if (y >= lower[k] && y <= upper[k]) inside[i]++;
                    width[i] += upper[k] - lower[k];
                }
            }
        }
        var intervals = IntervalLevels.Select((l, i) => new IntervalScore(l, (double)inside[i] / points, width[i] / points)).ToList();
        return new ProbabilisticScore(method, pinball / points, crps / points, intervals, scored.Count);
    }
}
