using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Theta;
using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Tests.Forecasting.Probabilistic;

/// <summary>The theta forecasters' quantiles are R's intervals: the 10 % and 90 % quantiles are thetaf's 80 % bounds, the 2.5 % and 97.5 % its 95 % bounds.</summary>
public class ThetaQuantileTests
{
    [Theory]
    [InlineData("theta")]
    [InlineData("otm")]
    [InlineData("dotm")]
    public void QuantilesAreTheForecastsIntervalBounds(string kind)
    {
        var y = Enumerable.Range(0, 60).Select(t => (float)(50 + 0.4 * t + 6 * Math.Sin(2 * Math.PI * t / 12) + 2 * Math.Cos(t * 1.7))).ToArray();
        var input = new ForecastInput(0, y);
        (IQuantileForecaster model, Func<ThetaForecast> forecast) = kind switch
        {
            "theta" => Fitted(new ThetaForecaster(12), y, m => ((ThetaForecaster)m).Forecast(input, 8)),
            _ => Fitted(new OptimizedThetaForecaster(12, dynamic: kind == "dotm"), y, m => ((OptimizedThetaForecaster)m).Forecast(input, 8)),
        };
        var q = model.PredictQuantiles([input], 8, [0.025, 0.1, 0.9, 0.975])[0];
        var f = forecast();
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal(f.Lower95[k], q[0][k], 1e-4 * Math.Abs(f.Mean[k]));
            Assert.Equal(f.Lower80[k], q[1][k], 1e-4 * Math.Abs(f.Mean[k]));
            Assert.Equal(f.Upper80[k], q[2][k], 1e-4 * Math.Abs(f.Mean[k]));
            Assert.Equal(f.Upper95[k], q[3][k], 1e-4 * Math.Abs(f.Mean[k]));
        }
    }

    private static (IQuantileForecaster, Func<ThetaForecast>) Fitted(Forecaster model, float[] y, Func<Forecaster, ThetaForecast> forecast)
    {
        model.Fit([y]);
        return ((IQuantileForecaster)model, () => forecast(model));
    }
}
