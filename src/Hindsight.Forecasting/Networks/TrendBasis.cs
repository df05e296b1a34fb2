namespace Hindsight.Forecasting.Networks;

/// <summary>
/// N-BEATS's trend basis (Oreshkin et al. 2020, eq. 2; NeuralForecast's <c>TrendBasis</c>): the backcast and the forecast
/// are polynomials of degree <c>p</c> in time, <c>sum_k theta_k t^k</c>, with t = i/H over the forecast steps i = 0..H-1 and
/// t = i/L over the window, i counting back from its last value (NeuralForecast reverses the window; Hindsight keeps time
/// forward and reverses the backcast basis instead, the same function).
/// </summary>
public static class TrendBasis
{
    /// <summary>The polynomial degree of the interpretable configuration (NeuralForecast's <c>n_polynomials=2</c>).</summary>
    public const int DefaultDegree = 2;

    /// <summary>The basis: theta (B, 2(p+1)), the first p+1 the backcast's coefficients, the rest the forecast's.</summary>
    public static BlockBasis Create(int lookback, int horizon, int degree = DefaultDegree) => Create(lookback, horizon, degree, 1);

    /// <summary>
    /// The basis for <paramref name="outputs"/> values per forecast step (W, a head's width): theta (B, (p+1)(1 + W)), the
    /// backcast's p+1 coefficients, then p+1 per output (<see cref="BlockBasis.PerOutput"/>), the forecast (B, H W).
    /// </summary>
    public static BlockBasis Create(int lookback, int horizon, int degree, int outputs)
    {
        if (degree < 0) throw new ArgumentOutOfRangeException(nameof(degree), $"TrendBasis: degree must be 0 or more, got {degree}.");
        int p = degree + 1;
        return new BlockBasis("trend", p, Powers(p, lookback, reversed: true), p * outputs, BlockBasis.PerOutput(Powers(p, horizon, reversed: false), outputs));
    }

    // (p, n): row k holds t^k at the n positions, t = i/n (i = n-1-position when reversed), computed in double as the reference.
    private static Tensor Powers(int p, int n, bool reversed)
    {
        var m = new Tensor(p, n);
        for (int k = 0; k < p; k++)
            for (int pos = 0; pos < n; pos++)
                m.Data[k * n + pos] = (float)Math.Pow((reversed ? n - 1 - pos : pos) / (double)n, k);
        return m;
    }
}
