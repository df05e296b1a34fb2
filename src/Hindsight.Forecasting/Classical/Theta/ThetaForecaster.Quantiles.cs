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
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(input =>
        {
            var f = Forecast(input, horizon);
            return NormalQuantiles.From(f.Mean, f.StandardErrors, levels);
        }).ToArray();
    }
}

public sealed partial class OptimizedThetaForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    /// <remarks>The (dynamic) optimised theta's intervals: mean + Phi^-1(q) x the standard errors of <see cref="ThetaForecast"/>.</remarks>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(input =>
        {
            var f = Forecast(input, horizon);
            return NormalQuantiles.From(f.Mean, f.StandardErrors, levels);
        }).ToArray();
    }
}
