using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// thetaf's seasonal step, shared by the theta models: the 90 % seasonality test (<see cref="SeasonalityTest"/>), then a
/// multiplicative classical decomposition and <c>seasadj = x / seasonal</c>. Two cases leave the series unadjusted, with a
/// note: some |index| &lt; 1e-4 (R's thetaf warns "Seasonal indexes close to zero. Using non-seasonal Theta method") and
/// non-finite indices (from a zero trend with negative values). In both, R's thetaf still multiplies its forecasts by the
/// indices (giving forecasts near 0 or NaN); here the method is non-seasonal, as R's message says.
/// </summary>
/// <param name="Adjusted">The seasonally adjusted series (the input when not seasonal).</param>
/// <param name="Seasonal">Whether the series was divided by its seasonal component.</param>
/// <param name="LastIndices">The seasonal component of the last m observations (null when not seasonal).</param>
/// <param name="Note">Why a series that tested seasonal was not adjusted, or null.</param>
internal sealed record SeasonalAdjustment(double[] Adjusted, bool Seasonal, double[]? LastIndices, string? Note)
{
    /// <summary>Tests and adjusts <paramref name="x"/> with period <paramref name="m"/>.</summary>
    internal static SeasonalAdjustment Apply(ReadOnlySpan<double> x, int m)
    {
        if (!SeasonalityTest.IsSeasonal(x, m)) return new SeasonalAdjustment(x.ToArray(), false, null, null);
        var d = ClassicalDecomposition.Decompose(x, m, multiplicative: true);
        int n = x.Length;
        if (d.Figure.Any(f => !double.IsFinite(f)))
            return new SeasonalAdjustment(x.ToArray(), false, null,
                "the multiplicative decomposition has non-finite seasonal indices (R's thetaf forecasts NaN); forecast without seasonal adjustment");
        if (d.Figure.Any(f => Math.Abs(f) < 1e-4))
            return new SeasonalAdjustment(x.ToArray(), false, null,
                "seasonal indexes close to zero; using the non-seasonal theta method (as R's thetaf says, without its multiplying the forecasts by those indices)");
        var adjusted = new double[n];
        for (int t = 0; t < n; t++) adjusted[t] = x[t] / d.Seasonal[t];
        return new SeasonalAdjustment(adjusted, true, d.Seasonal.AsSpan(n - m, m).ToArray(), null);
    }

    /// <summary>The index for forecast step <paramref name="step"/> (0-based): R's <c>rep(tail(seasonal, m), ...)[step + 1]</c>; 1 when not seasonal.</summary>
    internal double IndexAt(int step) => LastIndices is null ? 1 : LastIndices[step % LastIndices.Length];
}
