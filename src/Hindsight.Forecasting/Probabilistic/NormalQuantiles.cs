namespace Hindsight.Forecasting.Probabilistic;

/// <summary>Quantiles of normal forecast distributions, <c>mean + Phi^-1(q) se</c> per step: R's analytic intervals read at any level.</summary>
public static class NormalQuantiles
{
    /// <summary>The quantiles <c>[level][step]</c> of Normal(<paramref name="mean"/>[k], <paramref name="se"/>[k]).</summary>
    public static float[][] From(IReadOnlyList<double> mean, IReadOnlyList<double> se, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(se);
        ArgumentNullException.ThrowIfNull(levels);
        var result = new float[levels.Count][];
        for (int j = 0; j < levels.Count; j++)
        {
            double z = ProbabilisticMetrics.NormalQuantile(levels[j]);
            result[j] = new float[mean.Count];
            for (int k = 0; k < mean.Count; k++) result[j][k] = (float)(mean[k] + z * se[k]);
        }
        return result;
    }

    /// <summary>
    /// The quantiles <c>[level][step]</c> read from central intervals: <paramref name="interval"/>(c) gives the bounds of
    /// coverage c percent; level q &lt; 0.5 is the lower bound at c = (1 - 2q) x 100, q &gt; 0.5 the upper at (2q - 1) x 100, 0.5 the mean.
    /// </summary>
    public static float[][] FromIntervals(IReadOnlyList<double> mean, IReadOnlyList<double> levels, Func<double[], (double[][] Lower, double[][] Upper)> interval)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(interval);
        var coverages = levels.Where(q => q != 0.5).Select(q => Math.Round(Math.Abs(2 * q - 1) * 100, 9)).Distinct().Order().ToArray();
        var (lower, upper) = coverages.Length > 0 ? interval(coverages) : ([], []);
        var result = new float[levels.Count][];
        for (int j = 0; j < levels.Count; j++)
        {
            double q = levels[j];
            int c = Array.IndexOf(coverages, Math.Round(Math.Abs(2 * q - 1) * 100, 9));
            var source = q < 0.5 ? lower[c] : q > 0.5 ? upper[c] : [.. mean];
            result[j] = Array.ConvertAll(source, v => (float)v);
        }
        return result;
    }
}
