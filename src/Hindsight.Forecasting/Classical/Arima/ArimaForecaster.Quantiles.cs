using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting.Classical.Arima;

public sealed partial class ArimaForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    /// <remarks>R's normal intervals of <c>forecast.Arima</c>: mean + Phi^-1(q) x the forecast's standard error.</remarks>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Predict(inputs.Take(0).ToList(), horizon);
        return inputs.Select(input =>
        {
            var f = Forecast(input, horizon);
            return NormalQuantiles.From(f.Mean, f.StandardError, levels);
        }).ToArray();
    }
}
