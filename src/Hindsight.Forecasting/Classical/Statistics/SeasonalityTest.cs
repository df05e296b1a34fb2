namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>
/// The seasonality test of R's <c>forecast::thetaf</c> (Assimakopoulos and Nikolopoulos 2000): the series is seasonal at 90 %
/// when <c>|r_m| / sqrt((1 + 2 sum_{k=1}^{m-1} r_k^2) / n) &gt; qnorm(0.95)</c>, tested only when m &gt; 1, the series is not
/// constant (<c>forecast::is.constant</c>) and n &gt; 2m (strictly, as thetaf's code).
/// </summary>
public static class SeasonalityTest
{
    /// <summary>qnorm(0.95), the one-sided 90 % critical value.</summary>
    public const double Critical = 1.6448536269514722;

    /// <summary>Whether thetaf would call <paramref name="x"/> seasonal with period <paramref name="m"/>.</summary>
    public static bool IsSeasonal(ReadOnlySpan<double> x, int m) => Statistic(x, m) is double z && z > Critical;

    /// <summary>The test statistic <c>|r_m| / stat</c>, or null when the test is not run (m &lt;= 1, constant, n &lt;= 2m).</summary>
    public static double? Statistic(ReadOnlySpan<double> x, int m)
    {
        int n = x.Length;
        if (m <= 1 || n <= 2 * m || IsConstant(x)) return null;
        var r = Autocorrelation.Acf(x, m); // r[0] = 1; R drops it ([-1])
        double sum = 0;
        for (int k = 1; k < m; k++) sum += r[k] * r[k];
        double stat = Math.Sqrt((1 + 2 * sum) / n);
        return Math.Abs(r[m]) / stat;
    }

    /// <summary>
    /// R's <c>forecast::is.constant</c>: <c>all.equal(x, rep(x[1], n))</c> at tolerance 1.5e-8, i.e. the mean absolute
    /// difference from the first value, relative to the mean absolute value when that exceeds the tolerance.
    /// </summary>
    public static bool IsConstant(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return true;
        const double tolerance = 1.5e-8;
        double diff = 0, scale = 0;
        foreach (double v in x) { diff += Math.Abs(v - x[0]); scale += Math.Abs(v); }
        diff /= x.Length; scale /= x.Length;
        if (double.IsFinite(scale) && scale > tolerance) diff /= scale;
        return diff <= tolerance;
    }
}
