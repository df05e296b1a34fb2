namespace Hindsight.Forecasting;

/// <summary>
/// Point-forecast errors of one series, as Darts (<c>darts.metrics</c>) and statsforecast/utilsforecast define them,
/// computed in double precision over the forecast horizon (y the actuals, ŷ the forecasts, n their count).
/// </summary>
public static class Metrics
{
    /// <summary>Mean absolute error: <c>mean(|y - ŷ|)</c>.</summary>
    public static double Mae(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++) s += Math.Abs((double)actual[i] - forecast[i]);
        return s / actual.Length;
    }

    /// <summary>Root mean squared error: <c>sqrt(mean((y - ŷ)^2))</c>.</summary>
    public static double Rmse(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++) { double d = (double)actual[i] - forecast[i]; s += d * d; }
        return Math.Sqrt(s / actual.Length);
    }

    /// <summary>
    /// Mean absolute percentage error in percent: <c>100 * mean(|y - ŷ| / |y|)</c>. Undefined when an actual is 0: like
    /// Darts this is an error, never an infinite or NaN result (use <see cref="IsMapeDefined"/> to check first).
    /// </summary>
    /// <exception cref="ArgumentException">An actual value is zero (the message gives its index).</exception>
    public static double Mape(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == 0) throw new ArgumentException($"MAPE is undefined: actual value {i} is 0 (use sMAPE, MAE or MASE).");
            s += Math.Abs(((double)actual[i] - forecast[i]) / actual[i]);
        }
        return 100 * s / actual.Length;
    }

    /// <summary>True when no actual is zero, so <see cref="Mape"/> is defined.</summary>
    public static bool IsMapeDefined(ReadOnlySpan<float> actual) => actual.IndexOf(0f) < 0 && actual.IndexOf(-0f) < 0;

    /// <summary>
    /// Symmetric MAPE in percent, 0..200: <c>200 * mean(|y - ŷ| / (|y| + |ŷ|))</c> (Darts' and statsforecast's definition);
    /// a term with <c>y = ŷ = 0</c> counts as 0 (statsforecast's rule; a perfect zero forecast is no error), so the result is never NaN.
    /// </summary>
    public static double Smape(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        Check(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double den = Math.Abs((double)actual[i]) + Math.Abs((double)forecast[i]);
            if (den > 0) s += Math.Abs((double)actual[i] - forecast[i]) / den;
        }
        return 200 * s / actual.Length;
    }

    /// <summary>
    /// Mean absolute scaled error: the forecast's MAE divided by the in-sample MAE of the seasonal naive forecast with
    /// period <paramref name="m"/>, <c>mean_{t=m..T-1} |x_t - x_{t-m}|</c> over the training values x (Hyndman &amp; Koehler 2006;
    /// Darts' <c>mase(..., insample, m)</c>). Below 1: better than seasonal naive was in sample.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than m + 1 training values, or a constant seasonal pattern (scale 0).</exception>
    public static double Mase(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast, ReadOnlySpan<float> insample, int m)
    {
        double scale = MaseScale(insample, m);
        return Mae(actual, forecast) / scale;
    }

    /// <summary>The MASE denominator: <c>mean_{t=m..T-1} |x_t - x_{t-m}|</c>.</summary>
    public static double MaseScale(ReadOnlySpan<float> insample, int m)
    {
        if (m < 1) throw new ArgumentOutOfRangeException(nameof(m), m, "MASE: the seasonal period must be at least 1.");
        if (insample.Length <= m) throw new ArgumentException($"MASE: {insample.Length} training values; the seasonal period {m} needs at least {m + 1}.");
        double s = 0;
        for (int t = m; t < insample.Length; t++) s += Math.Abs((double)insample[t] - insample[t - m]);
        s /= insample.Length - m;
        if (s == 0) throw new ArgumentException($"MASE is undefined: the training values repeat exactly every {m} periods (scale 0).");
        return s;
    }

    private static void Check(ReadOnlySpan<float> actual, ReadOnlySpan<float> forecast)
    {
        if (actual.Length != forecast.Length) throw new ArgumentException($"metrics: {actual.Length} actual values but {forecast.Length} forecasts.");
        if (actual.Length == 0) throw new ArgumentException("metrics: no values.");
    }
}
