namespace Hindsight.Forecasting.Networks;

/// <summary>
/// N-HiTS's basis (Challu et al. 2023; NeuralForecast's <c>_IdentityBasis</c>): the first L coefficients are the
/// backcast; the other K = max(H / downsample, 1) are forecast knots, linearly interpolated to the H steps as PyTorch's
/// <c>F.interpolate(mode="linear", align_corners=False)</c>: step j reads knot position (j + 0.5) K/H - 0.5 (at least 0),
/// between its two neighbouring knots. The interpolation is a fixed (K, H) matrix.
/// </summary>
public static class InterpolationBasis
{
    /// <summary>Forecast knots of a stack with expressiveness ratio 1/<paramref name="downsample"/>: max(H / downsample, 1).</summary>
    public static int Knots(int horizon, int downsample) => Math.Max(horizon / downsample, 1);

    /// <summary>The basis: theta (B, L + K).</summary>
    public static BlockBasis Create(int lookback, int horizon, int downsample)
    {
        if (downsample < 1) throw new ArgumentOutOfRangeException(nameof(downsample), $"InterpolationBasis: downsample must be positive, got {downsample}.");
        int k = Knots(horizon, downsample);
        return new BlockBasis("interpolation", lookback, null, k, k == horizon ? null : Matrix(k, horizon));
    }

    /// <summary>The (K, H) linear interpolation matrix: forecast = knots @ matrix.</summary>
    public static Tensor Matrix(int knots, int horizon)
    {
        var m = new Tensor(knots, horizon);
        float scale = (float)knots / horizon;                         // as PyTorch: input size / output size in float
        for (int j = 0; j < horizon; j++)
        {
            float src = Math.Max(scale * (j + 0.5f) - 0.5f, 0f);
            int i0 = (int)src, i1 = i0 < knots - 1 ? i0 + 1 : i0;
            float w1 = src - i0;
            m.Data[i0 * horizon + j] += 1f - w1;
            m.Data[i1 * horizon + j] += w1;
        }
        return m;
    }
}
