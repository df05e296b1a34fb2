namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// Scores of probabilistic forecasts: the pinball (quantile) loss, the continuous ranked probability score (CRPS) from
/// quantiles or samples, and the closed-form CRPS of a Gaussian (for checks). All in the data's units.
/// </summary>
public static class ProbabilisticMetrics
{
    /// <summary>The pinball loss of quantile <paramref name="forecast"/> at <paramref name="level"/> for <paramref name="actual"/>: max(l d, (l - 1) d), d = actual - forecast.</summary>
    public static double Pinball(double actual, double forecast, double level)
    {
        double d = actual - forecast;
        return Math.Max(level * d, (level - 1) * d);
    }

    /// <summary>
    /// The CRPS approximated from quantiles (the quantile decomposition, as GluonTS's and NeuralForecast's <c>mqloss</c>-based
    /// CRPS): 2 x the mean pinball loss over the <paramref name="levels"/>, each the quantile <paramref name="quantiles"/>[j].
    /// With levels spread evenly over (0, 1) it tends to the CRPS as their number grows.
    /// </summary>
    public static double CrpsFromQuantiles(double actual, ReadOnlySpan<float> quantiles, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (quantiles.Length != levels.Count) throw new ArgumentException($"CrpsFromQuantiles: {quantiles.Length} quantiles for {levels.Count} levels.", nameof(quantiles));
        double sum = 0;
        for (int j = 0; j < levels.Count; j++) sum += Pinball(actual, quantiles[j], levels[j]);
        return 2 * sum / levels.Count;
    }

    /// <summary>
    /// The CRPS of the empirical distribution of <paramref name="samples"/> (its energy form E|X - y| - E|X - X'| / 2, exact
    /// for the sample, computed after sorting in O(n log n)).
    /// </summary>
    public static double CrpsFromSamples(double actual, ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) throw new ArgumentException("CrpsFromSamples: no samples.", nameof(samples));
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        double absError = 0, spread = 0;
        for (int i = 0; i < n; i++)
        {
            absError += Math.Abs(sorted[i] - actual);
            spread += (2.0 * i - n + 1) * sorted[i]; // sum over pairs |x_i - x_j| = 2 sum_i (2i - n + 1) x_(i) / 2
        }
        return absError / n - spread / ((double)n * n);
    }

    /// <summary>The CRPS of Normal(<paramref name="mean"/>, <paramref name="std"/>) for <paramref name="actual"/>: s (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)), z = (y - mu) / s.</summary>
    public static double GaussianCrps(double actual, double mean, double std)
    {
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "GaussianCrps: the standard deviation must be positive.");
        double z = (actual - mean) / std;
        double pdf = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
        double cdf = NormalCdf(z);
        return std * (z * (2 * cdf - 1) + 2 * pdf - 1 / Math.Sqrt(Math.PI));
    }

    /// <summary>The standard normal CDF Phi(z) (erfc by Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
    public static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2), t = 1 / (1 + 0.5 * x);
        double erfc = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 1 - erfc / 2 : erfc / 2;
    }

    /// <summary>The standard normal quantile Phi^-1(p), p in (0, 1) (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "NormalQuantile: p must lie in (0, 1).");
        if (p == 0.5) return 0;
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double x;
        if (p < 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p > 1 - 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        return x;
    }

    /// <summary>The quantile at <paramref name="level"/> of the ascending <paramref name="sorted"/> values (R's type 7: linear between order statistics).</summary>
    public static double SampleQuantile(ReadOnlySpan<double> sorted, double level)
    {
        if (sorted.IsEmpty) throw new ArgumentException("SampleQuantile: no values.", nameof(sorted));
        double h = (sorted.Length - 1) * level;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>Evenly spread levels 1/(n+1) .. n/(n+1) for the CRPS of models that give any level (n = 99: the percentiles).</summary>
    public static double[] CrpsLevels(int n = 19) => [.. Enumerable.Range(1, n).Select(i => Math.Round((double)i / (n + 1), 6))];
}
