using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// thetaf's seasonal step, shared by the theta models: the 90 % seasonality test (<see cref="SeasonalityTest"/>), then a
/// multiplicative classical decomposition and <c>seasadj = x / seasonal</c>. Where R stops with an error (non-finite indices,
/// e.g. from a zero trend with negative values) this falls back to no adjustment with a note; where R's thetaf warns
/// ("Seasonal indexes close to zero", some |index| &lt; 1e-4) it does what R does: the series is not adjusted, but the
/// forecasts are still multiplied by the last season's indices (thetaf keeps <c>seasonal = TRUE</c>).
/// </summary>
internal sealed record SeasonalAdjustment(double[] Adjusted, bool Seasonal, double[]? LastIndices, string? Note)
{
    /// <summary>Whether the series was divided by its seasonal component (false in R's near-zero-index case, where thetaf still reseasonalises).</summary>
    internal bool Divided { get; private init; }

    /// <summary>Tests and adjusts <paramref name="x"/> with period <paramref name="m"/>.</summary>
    internal static SeasonalAdjustment Apply(ReadOnlySpan<double> x, int m)
    {
        if (!SeasonalityTest.IsSeasonal(x, m)) return new SeasonalAdjustment(x.ToArray(), false, null, null);
        var d = ClassicalDecomposition.Decompose(x, m, multiplicative: true);
        int n = x.Length;
        var last = d.Seasonal.AsSpan(n - m, m).ToArray();
        if (d.Figure.Any(f => !double.IsFinite(f)))
            return new SeasonalAdjustment(x.ToArray(), false, null,
                "the multiplicative decomposition has non-finite seasonal indices (R's thetaf stops here); forecast without seasonal adjustment");
        if (d.Figure.Any(f => Math.Abs(f) < 1e-4))
            return new SeasonalAdjustment(x.ToArray(), true, last,
                "seasonal indexes close to zero: using the non-seasonal theta method on the unadjusted series (as R's thetaf, whose forecasts are still multiplied by the indices)");
        var adjusted = new double[n];
        for (int t = 0; t < n; t++) adjusted[t] = x[t] / d.Seasonal[t];
        return new SeasonalAdjustment(adjusted, true, last, null) { Divided = true };
    }

    /// <summary>The index for forecast step <paramref name="step"/> (0-based): R's <c>rep(tail(seasonal, m), ...)[step + 1]</c>.</summary>
    internal double IndexAt(int step) => LastIndices is null ? 1 : LastIndices[step % LastIndices.Length];
}
