namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>
/// The KPSS level-stationarity test as <c>urca::ur.kpss(type = "mu")</c> with the lag forecast's <c>ndiffs</c> uses
/// (<c>trunc(3 sqrt(n) / 13)</c>), and the p-value forecast interpolates from urca's critical values.
/// </summary>
public static class Kpss
{
    private static readonly double[] CriticalValues = [0.347, 0.463, 0.574, 0.739];
    private static readonly double[] Levels = [0.10, 0.05, 0.025, 0.01];

    /// <summary>The lag <c>ndiffs</c> gives <c>ur.kpss</c>: <c>trunc(3 sqrt(n) / 13)</c>.</summary>
    public static int DefaultLag(int n) => (int)Math.Truncate(3 * Math.Sqrt(n) / 13);

    /// <summary>
    /// The statistic <c>sum(S_t^2) / n^2 / (s2 + 2/n sum_k (1 - k/(l+1)) gamma_k)</c> with S the partial sums of the demeaned
    /// series, s2 its mean square and gamma_k its lag-k autocovariance sum (R: <c>ur.kpss(x, type = "mu", use.lag = lag)@teststat</c>).
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> y, int lag)
    {
        int n = y.Length;
        double mean = 0;
        foreach (var v in y) mean += v;
        mean /= n;
        var res = new double[n];
        for (int i = 0; i < n; i++) res[i] = y[i] - mean;
        double s = 0, num = 0, s2 = 0;
        for (int i = 0; i < n; i++)
        {
            s += res[i];
            num += s * s;
            s2 += res[i] * res[i];
        }
        num /= (double)n * n;
        s2 /= n;
        double den = s2;
        if (lag > 0)
        {
            double acc = 0;
            for (int k = 1; k <= lag; k++)
            {
                double cov = 0;
                for (int i = k; i < n; i++) cov += res[i] * res[i - k];
                acc += (1 - k / (lag + 1.0)) * cov;
            }
            den = s2 + 2.0 / n * acc;
        }
        return num / den;
    }

    /// <summary>forecast's <c>urca_pval</c>: linear interpolation of the level between urca's critical values, clamped to [0.01, 0.10].</summary>
    public static double PValue(double statistic)
    {
        if (double.IsNaN(statistic)) return double.NaN;
        if (statistic <= CriticalValues[0]) return Levels[0];
        if (statistic >= CriticalValues[^1]) return Levels[^1];
        for (int i = 0; i < CriticalValues.Length - 1; i++)
            if (statistic <= CriticalValues[i + 1])
            {
                double t = (statistic - CriticalValues[i]) / (CriticalValues[i + 1] - CriticalValues[i]);
                return Levels[i] + t * (Levels[i + 1] - Levels[i]);
            }
        return Levels[^1];
    }
}
