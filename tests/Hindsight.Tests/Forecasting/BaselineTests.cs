using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

public class BaselineTests
{
    private static readonly float[] History = [1, 2, 3, 4, 5, 6];

    private static float[] Fit(Forecaster model, float[] history, int horizon)
    {
        model.Fit([history]);
        return model.Predict(horizon)[0];
    }

    [Fact]
    public void NaiveSeasonalNaiveAndDriftAreExact()
    {
        Assert.Equal([6f, 6, 6], Fit(new NaiveForecaster(), History, 3));
        Assert.Equal([4f, 5, 6, 4, 5], Fit(new SeasonalNaiveForecaster(3), History, 5));
        Assert.Equal([7f, 8, 9, 10, 11], Fit(new DriftForecaster(), History, 5));
        Assert.Equal([5f, 5], Fit(new DriftForecaster(), [5f], 2)); // one value: naive
        Assert.Equal([3f, 3, 3], Fit(new DriftForecaster(), [3, 1, 3], 3)); // first = last: no drift
    }

    [Fact]
    public void PredictTakesAnyHistoryOfAFittedSeries()
    {
        var model = new SeasonalNaiveForecaster(2);
        model.Fit([History, [10, 20, 30]]);
        var f = model.Predict([new ForecastInput(0, History.AsMemory(0, 4)), new ForecastInput(1, new float[] { 7, 8 })], 3);
        Assert.Equal([3f, 4, 3], f[0]);
        Assert.Equal([7f, 8, 7], f[1]);
    }

    [Fact]
    public void TooShortHistoriesAndBadHorizonsAreClearErrors()
    {
        var model = new SeasonalNaiveForecaster(12);
        var ex = Assert.Throws<ArgumentException>(() => model.Fit([History]));
        Assert.Contains("needs at least 12", ex.Message);
        var naive = new NaiveForecaster();
        Assert.Throws<InvalidOperationException>(() => naive.Predict(3));
        naive.Fit([History]);
        Assert.Throws<ArgumentOutOfRangeException>(() => naive.Predict(0));
        Assert.Throws<ArgumentException>(() => naive.Predict([new ForecastInput(1, History)], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalNaiveForecaster(0));
    }

    [Fact]
    public void LinearArRecoversAnExactAutoregression()
    {
        // A sum of two sinusoids satisfies a linear recurrence of order 4 exactly, so AR(4) forecasts it far ahead.
        var x = Enumerable.Range(0, 140).Select(t => (float)(5 + Math.Sin(0.3 * t) + 0.5 * Math.Sin(0.7 * t))).ToArray();
        var ar = new LinearArForecaster(4);
        ar.Fit([x[..120]]);
        var f = ar.Predict(20)[0];
        for (int h = 0; h < 20; h++) Assert.True(Math.Abs(f[h] - x[120 + h]) < 2e-3, $"step {h}: {f[h]} vs {x[120 + h]}");
        Assert.True(Metrics.Mae(x.AsSpan(120), f) < 1e-3);
    }

    [Fact]
    public void LinearArMatchesHandSolvedAr1()
    {
        // x = 1, 2, 4, 8, 16 (x_t = 2 x_{t-1}); scaled by the series' mean and sd, the fit is exact, so the forecast doubles.
        var ar = new LinearArForecaster(1);
        ar.Fit([[1, 2, 4, 8, 16]]);
        var f = ar.Predict(2)[0];
        Assert.Equal(32, f[0], 3);
        Assert.Equal(64, f[1], 3);
    }
}
