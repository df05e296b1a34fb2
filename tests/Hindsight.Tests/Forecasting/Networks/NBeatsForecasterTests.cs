using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting.Networks;

/// <summary>nbeats, nbeatsi and nhits through <see cref="NeuralForecaster"/>: training, forecasts, the model file.</summary>
public class NBeatsForecasterTests
{
    private static readonly ForecastSettings Settings = new()
    {
        Horizon = 6, SeasonalPeriod = 12, Epochs = 30, Patience = 0, Seed = 3, BlockWidth = 32, BlockLayers = 2, Stacks = 2, LearningRate = 1e-3f,
    };

    [Theory]
    [InlineData("nbeats", NeuralKind.NBeats)]
    [InlineData("nbeatsi", NeuralKind.NBeatsInterpretable)]
    [InlineData("nhits", NeuralKind.NHits)]
    public void FitsSeasonalSeriesAndForecastsFiniteValuesNearTheTruth(string name, NeuralKind kind)
    {
        var all = ForecastFiles.Seasonal(3, 96);
        var train = all.Select(s => s[..^6]).ToArray();
        var model = (NeuralForecaster)Settings.Create(name);
        Assert.Equal((name, kind, 12), (model.Name, model.Config.Kind, model.Config.Lookback));  // lookback = 2 horizons
        model.Fit(train);
        var s = model.Summary!;
        Assert.True(s.TrainLosses[^1] < 0.5 * s.TrainLosses[0], $"{name}: training loss {s.TrainLosses[0]:G4} -> {s.TrainLosses[^1]:G4}");
        var forecast = model.Predict(6);
        Assert.All(forecast.SelectMany(f => f), v => Assert.True(float.IsFinite(v)));
        // Better than repeating the last value (the series swing by +-3 over a season).
        double err = 0, naive = 0;
        for (int i = 0; i < all.Length; i++)
            for (int k = 0; k < 6; k++)
            {
                err += Math.Abs(forecast[i][k] - all[i][^(6 - k)]);
                naive += Math.Abs(train[i][^1] - all[i][^(6 - k)]);
            }
        Assert.True(err < 0.6 * naive, $"{name}: MAE {err / 18:G4} vs naive {naive / 18:G4}");
    }

    [Theory]
    [InlineData("nbeats")]
    [InlineData("nbeatsi")]
    [InlineData("nhits")]
    public void ModelFileRoundTripGivesIdenticalForecasts(string name)
    {
        using var f = new ForecastFiles();
        var settings = Settings with { Epochs = 3, Stacks = 3, StackBlocks = 2, LookbackHorizons = 3 };
        var series = ForecastFiles.Seasonal(2, 60);
        var model = settings.Create(name);
        model.Fit(series);
        var path = f.PathOf(name + ".safetensors");
        ForecastModelFile.Save(path, model, settings, ["a", "b"], new Frequency(TimeUnit.Month, 1));
        var loaded = ForecastModelFile.Load(path);
        Assert.Equal(name, loaded.Model.Name);
        Assert.Equal(settings, loaded.Settings);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        Assert.Equal(model.Predict(inputs, 6), loaded.Model.Predict(inputs, 6));
        Assert.Equal(18, ((NeuralForecaster)loaded.Model).Config.Lookback);
    }

    [Fact]
    public void AFileWhoseSettingsDisagreeWithItsTensorsIsRefused()
    {
        using var f = new ForecastFiles();
        var settings = Settings with { Epochs = 1 };
        var model = settings.Create("nhits");
        model.Fit(ForecastFiles.Seasonal(1, 60));
        var path = f.PathOf("m.safetensors");
        ForecastModelFile.Save(path, model, settings with { BlockWidth = 33 }, ["a"], Frequency.Periods);
        var ex = Assert.Throws<InvalidDataException>(() => ForecastModelFile.Load(path));
        Assert.Contains("blockWidth 33", ex.Message);
        Assert.Contains("stacks.0.blocks.0.fc.0.weight", ex.Message);
    }
}
