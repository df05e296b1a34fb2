namespace Hindsight.Forecasting;

/// <summary>Naive forecast: every future value equals the last observed one, <c>ŷ_{T+h} = y_T</c>.</summary>
public sealed partial class NaiveForecaster : Forecaster
{
    /// <inheritdoc/>
    public override string Name => "naive";
    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series) { }
    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        inputs.Select(i => Enumerable.Repeat(i.History.Span[^1], horizon).ToArray()).ToArray();
}

/// <summary>
/// Seasonal naive forecast with period m: each future value repeats the value one season earlier,
/// <c>ŷ_{T+h} = y_{T+h-m*ceil(h/m)}</c> (the last observed season, repeated).
/// </summary>
public sealed partial class SeasonalNaiveForecaster(int m) : Forecaster
{
    /// <summary>The seasonal period m.</summary>
    public int Period { get; } = m >= 1 ? m : throw new ArgumentOutOfRangeException(nameof(m), m, "snaive: the seasonal period must be at least 1.");
    /// <inheritdoc/>
    public override string Name => "snaive";
    /// <inheritdoc/>
    public override int MinHistory => Period;
    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series) { }
    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        inputs.Select(i =>
        {
            var h = i.History.Span;
            var f = new float[horizon];
            for (int k = 0; k < horizon; k++) f[k] = h[h.Length - Period + k % Period];
            return f;
        }).ToArray();
}

/// <summary>
/// Drift (random walk with drift): the line through the first and last observations, extended,
/// <c>ŷ_{T+h} = y_T + h (y_T - y_1) / (T - 1)</c>; with a single value it is the naive forecast.
/// </summary>
public sealed partial class DriftForecaster : Forecaster
{
    /// <inheritdoc/>
    public override string Name => "drift";
    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series) { }
    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        inputs.Select(i =>
        {
            var h = i.History.Span;
            double slope = h.Length > 1 ? ((double)h[^1] - h[0]) / (h.Length - 1) : 0;
            var f = new float[horizon];
            for (int k = 0; k < horizon; k++) f[k] = (float)(h[^1] + (k + 1) * slope);
            return f;
        }).ToArray();
}
