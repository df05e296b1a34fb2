using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting;

/// <summary>
/// R's intervals of the lag walks (forecast's <c>forecast.lagwalk</c>: naive, snaive, rwf with drift), from the history
/// alone: residuals r = y_t - y_(t-lag) (minus the drift b = mean of the differences), mse their mean square, and
/// se_h = sqrt(mse x steps + (steps x se(b))^2) with steps = ceil(h / lag) and se(b) = sd(differences) / sqrt(count).
/// </summary>
internal static class LagWalkQuantiles
{
    public static float[][][] Predict(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels, int lag, bool drift, float[][] forecasts)
    {
        var result = new float[inputs.Count][][];
        for (int i = 0; i < inputs.Count; i++)
        {
            var y = inputs[i].History.Span;
            int n = y.Length - lag;
            double b = 0, bSe = 0, mse = 0;
            if (n > 0)
            {
                for (int t = lag; t < y.Length; t++) b += (double)y[t] - y[t - lag];
                b /= n;
                if (!drift) b = 0;
                for (int t = lag; t < y.Length; t++) { double r = (double)y[t] - y[t - lag] - b; mse += r * r; }
                if (drift) bSe = n > 1 ? Math.Sqrt(mse / (n - 1)) / Math.Sqrt(n) : 0;
                mse /= n;
            }
            var se = new double[horizon];
            for (int k = 0; k < horizon; k++)
            {
                int steps = k / lag + 1;
                se[k] = Math.Sqrt(mse * steps + steps * bSe * steps * bSe);
            }
            result[i] = NormalQuantiles.From(forecasts[i].Select(v => (double)v).ToArray(), se, levels);
        }
        return result;
    }
}

public sealed partial class NaiveForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
        LagWalkQuantiles.Predict(inputs, horizon, levels, 1, false, Predict(inputs, horizon));
}

public sealed partial class SeasonalNaiveForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
        LagWalkQuantiles.Predict(inputs, horizon, levels, Period, false, Predict(inputs, horizon));
}

public sealed partial class DriftForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    public string? QuantileMethod => "analytic";
    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => null;
    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
        LagWalkQuantiles.Predict(inputs, horizon, levels, 1, true, Predict(inputs, horizon));
}
