using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting.Classical.Ets;

public sealed partial class EtsForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    /// <remarks>R's <c>forecast.ets</c> intervals (analytic for classes 1-3, simulated otherwise), read at the levels' coverages.</remarks>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var points = Predict(inputs, horizon);
        var models = Models;
        var fitted = FittedSeries;
        return inputs.Select((input, i) =>
        {
            var model = models[input.Series];
            var history = input.History.Span;
            var state = SameValues(history, fitted[input.Series]) ? model.FinalStates.ToArray() : model.Filter(history.ToArray().Select(v => (double)v).ToArray());
            return NormalQuantiles.FromIntervals(points[i].Select(v => (double)v).ToArray(), levels, coverages =>
            {
                var f = model.Forecast(horizon, coverages, state, 0, 5000);
                return (f.Lower, f.Upper);
            });
        }).ToArray();
    }
}
