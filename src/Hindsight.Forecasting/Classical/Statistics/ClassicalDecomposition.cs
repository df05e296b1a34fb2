namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>
/// Classical decomposition by moving averages, exactly as R's <c>stats::decompose</c>: the trend is the centred moving average
/// of order m (a 2 x m average for even m, weights <c>c(0.5, 1, ..., 1, 0.5) / m</c>; NaN for the first and last
/// <c>m / 2</c> points as R's NA), the detrended series is <c>x / trend</c> (multiplicative) or <c>x - trend</c> (additive), the
/// seasonal figure of position i is the mean of the detrended values at positions i, i + m, ... (NaN skipped), normalised
/// to mean 1 (divided by its mean) or mean 0 (minus its mean), and repeated from the first observation on.
/// </summary>
/// <param name="Trend">Centred moving average (NaN at both ends).</param>
/// <param name="Seasonal">Seasonal component, one value per observation (<c>Figure[t mod m]</c>).</param>
/// <param name="Random">Remainder: <c>x / seasonal / trend</c> or <c>x - seasonal - trend</c> (NaN at the ends).</param>
/// <param name="Figure">The m normalised seasonal indices, the first for the first observation.</param>
/// <param name="Multiplicative">Whether the decomposition is multiplicative.</param>
public sealed record ClassicalDecomposition(double[] Trend, double[] Seasonal, double[] Random, double[] Figure, bool Multiplicative)
{
    /// <summary>Decomposes <paramref name="x"/> with period <paramref name="m"/> (R: <c>decompose(ts(x, frequency = m), type)</c>).</summary>
    /// <exception cref="ArgumentException">m &lt; 2 or fewer than 2m values (R: "time series has no or less than 2 periods").</exception>
    public static ClassicalDecomposition Decompose(ReadOnlySpan<double> x, int m, bool multiplicative)
    {
        int n = x.Length;
        if (m <= 1 || n < 2 * m) throw new ArgumentException($"decompose: the series has no or less than 2 periods (n = {n}, m = {m}).", nameof(x));
        // R: filter <- if (!f %% 2) c(0.5, rep_len(1, f - 1), 0.5) / f else rep_len(1, f) / f
        int nf = m % 2 == 0 ? m + 1 : m;
        var filter = new double[nf];
        for (int j = 0; j < nf; j++) filter[j] = (m % 2 == 0 && (j == 0 || j == nf - 1) ? 0.5 : 1.0) / m;
        var trend = MovingAverage(x, filter);
        var season = new double[n];
        for (int t = 0; t < n; t++) season[t] = multiplicative ? x[t] / trend[t] : x[t] - trend[t];
        // R: figure[i] <- mean(season[index + i], na.rm = TRUE), index = seq(1, l, by = f) - 1
        var figure = new double[m];
        for (int i = 0; i < m; i++)
        {
            var values = new List<double>();
            for (int t = i; t < n; t += m) if (!double.IsNaN(season[t])) values.Add(season[t]);
            figure[i] = values.Count == 0 ? double.NaN : Autocorrelation.Mean(values.ToArray());
        }
        double mean = Autocorrelation.Mean(figure);
        for (int i = 0; i < m; i++) figure[i] = multiplicative ? figure[i] / mean : figure[i] - mean;
        var seasonal = new double[n];
        var random = new double[n];
        for (int t = 0; t < n; t++)
        {
            seasonal[t] = figure[t % m];
            random[t] = multiplicative ? x[t] / seasonal[t] / trend[t] : x[t] - seasonal[t] - trend[t];
        }
        return new ClassicalDecomposition(trend, seasonal, random, figure, multiplicative);
    }

    /// <summary>Two-sided convolution filter as R's <c>stats::filter(x, filter, sides = 2)</c> (NaN where the window leaves the series).</summary>
    public static double[] MovingAverage(ReadOnlySpan<double> x, ReadOnlySpan<double> filter)
    {
        int n = x.Length, nf = filter.Length, o = nf / 2;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (i + o - (nf - 1) < 0 || i + o >= n) { y[i] = double.NaN; continue; }
            double z = 0;
            for (int j = 0; j < nf; j++) z += filter[j] * x[i + o - j];
            y[i] = z;
        }
        return y;
    }
}
