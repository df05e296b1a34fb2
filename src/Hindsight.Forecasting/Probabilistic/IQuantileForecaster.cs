namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// A forecaster with quantiles of its own: a neural model with a quantile or distribution head, or a classical model with
/// analytic (R's) prediction intervals. Models without one get conformal intervals (<see cref="ConformalQuantiles"/>).
/// </summary>
public interface IQuantileForecaster
{
    /// <summary>Where the quantiles come from (<c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c>, <c>analytic</c>), or null when this model (as configured) has none.</summary>
    string? QuantileMethod { get; }

    /// <summary>The levels the model predicts natively (a quantile head's), others interpolated; null when it gives any level exactly.</summary>
    IReadOnlyList<float>? NativeLevels { get; }

    /// <summary>
    /// The quantiles at <paramref name="levels"/> (each in (0, 1), increasing) of the next <paramref name="horizon"/> values
    /// after each input, in the data's units: <c>result[input][level][step]</c>, non-decreasing over the levels.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Forecaster.Predict(IReadOnlyList{ForecastInput}, int)"/>, or a level outside (0, 1).</exception>
    float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels);
}
