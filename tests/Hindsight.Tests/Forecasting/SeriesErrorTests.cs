using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

/// <summary>A series too short for a model is an error naming the data file and the series id, not a list index.</summary>
public class SeriesErrorTests
{
    private static TimeSeries Data() => new("prices.csv", new Frequency(TimeUnit.Period, 1),
        [new Series("long", Enumerable.Range(0, 30).Select(i => (float)i).ToArray(), null), new Series("tiny", [1f, 2f], null)]);

    [Fact]
    public void FitSeriesNamesTheFileAndTheSeriesId()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SeasonalNaiveForecaster(12).FitSeries(Data()));
        Assert.StartsWith("prices.csv: series 'tiny' has 2 values; the 'snaive' model needs at least 12.", ex.Message);
        Assert.Equal(1, Forecaster.SeriesIndex(ex.InnerException!));
    }

    [Fact]
    public void TheListApiKeepsItsIndexAndSaysWhichSeries()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SeasonalNaiveForecaster(12).Fit([new float[30], new float[2]]));
        Assert.StartsWith("snaive: series 1 has 2 values", ex.Message);
        Assert.Equal(1, Forecaster.SeriesIndex(ex));
        Assert.Null(Forecaster.SeriesIndex(new ArgumentException("other")));
    }

    [Fact]
    public void EvaluationNamesTheFileAndTheSeriesId()
    {
        // The seasonal naive baseline cannot forecast 'tiny' (shorter than a season): a failure naming the file and the series.
        var snaive = Evaluation.Holdout(Data(), ["naive"], new ForecastSettings { Horizon = 1, SeasonalPeriod = 12 }).Models[0];
        Assert.Equal(1, snaive.Failures.Single().Series);
        Assert.StartsWith("prices.csv: series 'tiny' has 1 values; the 'snaive' model needs at least 12.", snaive.Failures[0].Reason);
        Assert.Single(snaive.Forecasts);
    }
}
