namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>Point forecasts and normal prediction intervals (R: the <c>forecast</c> object of <c>forecast.Arima</c>).</summary>
/// <param name="Mean">Point forecasts.</param>
/// <param name="StandardError">Standard error of each forecast, <c>sqrt(var * sigma2)</c>.</param>
/// <param name="Levels">Interval levels in percent, ascending.</param>
/// <param name="Lower">Lower bounds, one array per level.</param>
/// <param name="Upper">Upper bounds, one array per level.</param>
public sealed record ArimaForecast(double[] Mean, double[] StandardError, double[] Levels, double[][] Lower, double[][] Upper);
