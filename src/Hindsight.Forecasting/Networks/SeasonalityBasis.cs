namespace Hindsight.Forecasting.Networks;

/// <summary>
/// N-BEATS's seasonality basis (Oreshkin et al. 2020, eq. 3; NeuralForecast's <c>SeasonalityBasis</c>): a Fourier series,
/// cosines then sines of frequencies f = 0, 1, 1.5, 2, ..., (H-1)/2 (NeuralForecast's <c>n_harmonics=2</c>: f from 0 and
/// arange(2, H) / 2). The forecast's step i = 0..H-1 is at angle 2 pi f i/H; the window's value i steps before its last
/// one at -2 pi f i/H (NeuralForecast reverses the window; Hindsight keeps time forward and reverses the backcast basis).
/// The sine of frequency 0 is a zero row, as in the reference.
/// </summary>
public static class SeasonalityBasis
{
    /// <summary>The basis: theta (B, 2 x 2F) with F frequencies, the first 2F the backcast's coefficients (cosines, sines).</summary>
    public static BlockBasis Create(int lookback, int horizon) => Create(lookback, horizon, 1);

    /// <summary>
    /// The basis for <paramref name="outputs"/> values per forecast step (W, a head's width): theta (B, 2F (1 + W)), the
    /// backcast's 2F coefficients, then 2F per output (<see cref="BlockBasis.PerOutput"/>), the forecast (B, H W).
    /// </summary>
    public static BlockBasis Create(int lookback, int horizon, int outputs)
    {
        var f = Frequencies(horizon);
        return new BlockBasis("seasonality", 2 * f.Length, Harmonics(f, lookback, horizon, backcast: true),
            2 * f.Length * outputs, BlockBasis.PerOutput(Harmonics(f, horizon, horizon, backcast: false), outputs));
    }

    /// <summary>0, then 1, 1.5, ..., (H-1)/2: 1 + max(H - 2, 0) frequencies.</summary>
    public static double[] Frequencies(int horizon) => [0.0, .. Enumerable.Range(2, Math.Max(horizon - 2, 0)).Select(k => k / 2.0)];

    // (2F, n): cos rows then sin rows of the angle 2 pi f t / H, t = position (forecast) or -(n-1-position) (backcast).
    private static Tensor Harmonics(double[] f, int n, int horizon, bool backcast)
    {
        int count = f.Length;
        var m = new Tensor(2 * count, n);
        for (int q = 0; q < count; q++)
            for (int pos = 0; pos < n; pos++)
            {
                double t = backcast ? -(n - 1 - pos) : pos;
                double angle = 2 * Math.PI * (t / horizon) * f[q];
                m.Data[q * n + pos] = (float)Math.Cos(angle);
                m.Data[(count + q) * n + pos] = (float)Math.Sin(angle);
            }
        return m;
    }
}
