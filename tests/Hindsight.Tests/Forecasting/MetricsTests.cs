using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

public class MetricsTests
{
    // actual [1, 2, 4], forecast [2, 2, 1]: errors -1, 0, 3.
    private static readonly float[] Actual = [1, 2, 4];
    private static readonly float[] Forecast = [2, 2, 1];

    [Fact]
    public void MaeRmseMapeSmapeMatchHandValues()
    {
        Assert.Equal(4.0 / 3, Metrics.Mae(Actual, Forecast), 12);
        Assert.Equal(Math.Sqrt(10.0 / 3), Metrics.Rmse(Actual, Forecast), 12);
        Assert.Equal(100 * (1 + 0 + 0.75) / 3, Metrics.Mape(Actual, Forecast), 12);
        Assert.Equal(200.0 / 3 * (1.0 / 3 + 0 + 3.0 / 5), Metrics.Smape(Actual, Forecast), 12);
    }

    [Fact]
    public void MaseScalesBySeasonalNaiveInSample()
    {
        float[] insample = [1, 3, 2, 5, 4];
        // m = 2: |2-1|, |5-3|, |4-2| -> mean 5/3; MAE 4/3 -> 0.8.
        Assert.Equal(0.8, Metrics.Mase(Actual, Forecast, insample, 2), 12);
        // m = 1: 2, 1, 3, 1 -> mean 7/4 -> 16/21.
        Assert.Equal(16.0 / 21, Metrics.Mase(Actual, Forecast, insample, 1), 12);
    }

    [Fact]
    public void UndefinedCasesAreErrorsNotNaN()
    {
        var ex = Assert.Throws<ArgumentException>(() => Metrics.Mape([1, 0, 2], [1, 1, 1]));
        Assert.Contains("actual value 1 is 0", ex.Message);
        Assert.False(Metrics.IsMapeDefined([1, 0]));
        Assert.True(Metrics.IsMapeDefined([1, 2]));
        Assert.Throws<ArgumentException>(() => Metrics.Mase([1f], [1f], [2, 2, 2], 1)); // constant in-sample: scale 0
        Assert.Throws<ArgumentException>(() => Metrics.Mase([1f], [1f], [1, 2], 2));    // too short for m
        Assert.Throws<ArgumentException>(() => Metrics.Mae([1, 2], [1f]));
        Assert.Throws<ArgumentException>(() => Metrics.Mae([], []));
    }

    [Fact]
    public void SmapeCountsZeroOverZeroAsNoError()
    {
        // terms: 0 (0 vs 0), |2-1|/(2+1) = 1/3 -> 200 * (1/3) / 2.
        Assert.Equal(100.0 / 3, Metrics.Smape([0, 2], [0, 1]), 12);
        Assert.Equal(0, Metrics.Smape([0f], [0f]));
    }
}
