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
        var ex = Assert.Throws<ArgumentException>(() => Evaluation.Holdout(Data(), ["naive"], new ForecastSettings { Horizon = 1, SeasonalPeriod = 12 }));
        Assert.Contains("prices.csv: series 'tiny'", ex.Message);
    }
}
