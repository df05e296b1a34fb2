namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>The sample autocorrelation function as R's <c>stats::acf(x, lag.max, plot = FALSE)</c> (type "correlation", demeaned).</summary>
public static class Autocorrelation
{
    /// <summary>
    /// Autocorrelations at lags 0..<paramref name="lagMax"/> (lag 0 is 1): with <c>d = x - mean(x)</c>,
    /// <c>c_k = sum_{t} d_t d_{t+k} / n</c> and <c>r_k = c_k / c_0</c>, clamped to [-1, 1] (R: C_acf in stats/src/filter.c).
    /// <paramref name="lagMax"/> is cut to n - 1 as R does. A constant series gives NaN beyond lag 0 (as R: 0/0).
    /// </summary>
    /// <exception cref="ArgumentException">An empty series or a negative lag.</exception>
    public static double[] Acf(ReadOnlySpan<double> x, int lagMax)
    {
        int n = x.Length;
        if (n == 0) throw new ArgumentException("acf: the series is empty.", nameof(x));
        if (lagMax < 0) throw new ArgumentException($"acf: lagMax must be at least 0, got {lagMax}.", nameof(lagMax));
        lagMax = Math.Min(lagMax, n - 1);
        double mean = Mean(x);
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = x[i] - mean;
        var acf = new double[lagMax + 1];
        for (int lag = 0; lag <= lagMax; lag++)
        {
            double sum = 0;
            for (int i = 0; i < n - lag; i++) sum += d[i + lag] * d[i];
            acf[lag] = sum / n;
        }
        if (n == 1) { acf[0] = 1; return acf; }
        double se = Math.Sqrt(acf[0]);
        for (int lag = 0; lag <= lagMax; lag++)
        {
            double a = acf[lag] / (se * se);
            acf[lag] = a > 1 ? 1 : a < -1 ? -1 : a;
        }
        return acf;
    }

    /// <summary>The mean as R's <c>mean()</c> computes it: the sum over n, then corrected by the mean of the deviations.</summary>
    internal static double Mean(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x) s += v;
        s /= x.Length;
        if (!double.IsFinite(s)) return s;
        double t = 0;
        foreach (double v in x) t += v - s;
        return s + t / x.Length;
    }
}
