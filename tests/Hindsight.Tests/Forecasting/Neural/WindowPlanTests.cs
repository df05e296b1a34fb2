using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting.Neural;

/// <summary>Lookback and windows chosen from the data's length; a clear message when data are too short; the scaling round trip.</summary>
public class WindowPlanTests
{
    private static ForecastSettings Monthly(int horizon) => new()
    {
        Horizon = horizon, SeasonalPeriod = 12, Lookback = ForecastSettings.DefaultLookback(12, horizon), Hidden = 8, Epochs = 3, Ensemble = 1,
        Validation = horizon,
    };

    [Fact]
    public void SixtyPointMonthlySeriesTrainsOnManyWindows()
    {
        // A 60-point monthly series with a 12-value holdout: 48 values to train on. The default lookback 24 with horizon 12 and
        // a 12-value validation tail leaves 48 - 12 - 12 - 24 + 1 = 1 window; the plan shortens the lookback to 13: 12 windows.
        Assert.Equal(1, WindowPlan.TrainWindows(48, 24, 12, 12));
        Assert.Equal(13, WindowPlan.Lookback([48], 24, 12, 12, 12, 12));
        var model = (NeuralForecaster)Monthly(12).Create("mlp");
        model.Fit([ForecastFiles.Seasonal(1, 60)[0][..48]]);
        Assert.Equal(13, model.Config.Lookback);
        Assert.Equal(12, model.Summary!.TrainWindows);
        Assert.Equal(12, model.Summary.ValidationWindows);
        Assert.Contains(model.Warnings, w => w.Message.Contains("lookback 13 instead of 24", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAValidationTailEveryWindowTrainsUpToTheStepLimit()
    {
        // The default: no validation tail, so the same 48 values give 48 - 12 - 24 + 1 = 13 windows at the full lookback 24.
        var settings = Monthly(12) with { Validation = 0 };
        Assert.Equal(0, new ForecastSettings().Validation);
        var model = (NeuralForecaster)settings.Create("mlp");
        model.Fit([ForecastFiles.Seasonal(1, 60)[0][..48]]);
        Assert.Equal(24, model.Config.Lookback);
        Assert.Equal(13, model.Summary!.TrainWindows);
        Assert.Equal(0, model.Summary.ValidationWindows);
        Assert.Null(model.Summary.BestValidationLoss);
        Assert.Empty(model.Warnings);
        // 13 windows in batches of 4 are 4 steps per epoch; 10 steps end in the third epoch, before the 50 epochs.
        var capped = (NeuralForecaster)(settings with { BatchSize = 4, Steps = 10, Epochs = 50 }).Create("mlp");
        capped.Fit([ForecastFiles.Seasonal(1, 60)[0][..48]]);
        Assert.Equal(10, capped.Summary!.Steps);
        Assert.Equal(3, capped.Summary.EpochsRun);
        Assert.Equal(3, capped.Summary.BestEpoch);
        // And the epochs end it when they come first: 2 epochs of 4 steps.
        var epochs = (NeuralForecaster)(settings with { BatchSize = 4, Steps = 1000, Epochs = 2 }).Create("mlp");
        epochs.Fit([ForecastFiles.Seasonal(1, 60)[0][..48]]);
        Assert.Equal(8, epochs.Summary!.Steps);
        Assert.Equal(2, epochs.Summary.EpochsRun);
    }

    [Fact]
    public void TheLearningRateHalvingsReachTheTraining()
    {
        // The same run with and without the three halvings: the weights (and so the forecasts) differ.
        var settings = Monthly(12) with { Validation = 0, BatchSize = 4, Steps = 12, Epochs = 50, LearningRate = 0.05f };
        float[] Run(int decays)
        {
            var model = (NeuralForecaster)(settings with { LrDecays = decays }).Create("mlp");
            model.Fit([ForecastFiles.Seasonal(1, 60)[0][..48]]);
            Assert.Equal(12, model.Summary!.Steps);
            return model.Predict(12)[0];
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(0), Run(3));
    }

    [Fact]
    public void EsRnnTrainsInTheSameLoopUpToTheStepLimit()
    {
        var settings = new ForecastSettings { Horizon = 4, Lookback = 8, SeasonalPeriod = 4, Hidden = 8, Epochs = 50, Steps = 7, BatchSize = 16, Ensemble = 2 };
        var model = (Hindsight.Forecasting.EsRnn.EsRnnForecaster)settings.Create("esrnn");
        model.Fit(ForecastFiles.Seasonal(3, 60).Select(x => x.Select(v => v + 100f).ToArray()).ToArray());
        Assert.Equal(7, model.Summary!.Steps);
        Assert.Equal(0, model.Summary.ValidationWindows);
    }

    [Fact]
    public void LongDataKeepsTheConfiguredLookback()
    {
        var model = (NeuralForecaster)Monthly(12).Create("gru");
        model.Fit(ForecastFiles.Seasonal(2, 120));
        Assert.Equal(24, model.Config.Lookback);
        Assert.Equal(2 * (120 - 12 - 12 - 24 + 1), model.Summary!.TrainWindows);
        Assert.Empty(model.Warnings);
    }

    [Fact]
    public void DataTooShortIsAnErrorNamingTheSeries()
    {
        using var f = new ForecastFiles();
        // 30 values: even the shortest lookback 18 (horizon 18) with an 18-value validation tail leaves no window.
        var data = new TimeSeries("short.csv", Frequency.Periods, [new Series("tiny", ForecastFiles.Seasonal(1, 30)[0], null)]);
        var model = Monthly(18).Create("mlp");
        var ex = Assert.Throws<ArgumentException>(() => model.FitSeries(data));
        Assert.Equal("short.csv: series 'tiny' has 30 values; the 'mlp' model needs at least 18 + 18 + 18 = 54 to train (lookback 18, horizon 18, validation 18).", ex.Message);
    }

    [Fact]
    public void ScalingRoundTrips()
    {
        var series = ForecastFiles.Seasonal(3, 50);
        var scaler = SeriesScaler.Fit(series, s => 40);
        for (int s = 0; s < series.Length; s++)
        {
            var z = scaler.Transform(s, series[s]);
            Assert.Equal(0, z[..40].Average(), 4);
            for (int t = 0; t < z.Length; t++) Assert.Equal(series[s][t], scaler.Inverse(s, z[t]), 4);
        }
    }
}
