using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting.Classical.Theta;

public sealed partial class ThetaForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    /// <remarks>R's thetaf intervals: mean + Phi^-1(q) x the standard errors of <see cref="ThetaForecast"/>.</remarks>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
        ThetaQuantiles.Of(inputs, horizon, levels, Forecast);
}

public sealed partial class OptimizedThetaForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    /// <remarks>The (dynamic) optimised theta's intervals: mean + Phi^-1(q) x the standard errors of <see cref="ThetaForecast"/>.</remarks>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
        ThetaQuantiles.Of(inputs, horizon, levels, Forecast);
}

// The normal quantiles of a theta forecast, shared by the standard and the optimised theta forecasters.
internal static class ThetaQuantiles
{
    public static float[][][] Of(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels, Func<ForecastInput, int, ThetaForecast> forecast)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(input =>
        {
            var f = forecast(input, horizon);
            return NormalQuantiles.From(f.Mean, f.StandardErrors, levels);
        }).ToArray();
    }
}
