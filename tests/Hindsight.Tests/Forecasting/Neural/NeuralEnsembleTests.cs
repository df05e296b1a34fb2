using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting.Neural;

/// <summary>Ensembles of every neural kind: deterministic, the median of their members, and one model file that loads back equal.</summary>
public class NeuralEnsembleTests
{
    private static readonly ForecastSettings Settings = new()
    {
        Horizon = 6, Lookback = 12, SeasonalPeriod = 12, Hidden = 8, Epochs = 6, Seed = 7, Ensemble = 4, Loss = "mase,smape",
    };

    private static List<ForecastInput> Inputs(float[][] series) => series.Select((s, i) => new ForecastInput(i, s)).ToList();

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    [InlineData("jordan")]
    public void SameSeedSameForecasts(string name)
    {
        var series = ForecastFiles.Seasonal(3, 60);
        float[][] Run(ulong seed)
        {
            var model = (Settings with { Seed = seed }).Create(name);
            model.Fit(series);
            return model.Predict(Inputs(series), 6);
        }
        Assert.Equal(Run(7), Run(7)); // bit for bit, members trained in parallel
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void MembersVaryLookbackLossAndSeed()
    {
        var model = (NeuralForecaster)Settings.Create("mlp");
        model.Fit(ForecastFiles.Seasonal(3, 80));
        var members = model.Members.Select(m => m.Config).ToArray();
        Assert.Equal(4, members.Length);
        Assert.Equal([NeuralLoss.Mase, NeuralLoss.Smape, NeuralLoss.Mase, NeuralLoss.Smape], members.Select(c => c.Loss));
        Assert.Equal([12, 12, 18, 18], members.Select(c => c.Lookback)); // lookback + k x horizon
        Assert.Equal(7UL, members[0].Seed);
        Assert.Equal(4, members.Select(c => c.Seed).Distinct().Count());
    }

    [Fact]
    public void ForecastIsTheMedianOfTheMembers()
    {
        var series = ForecastFiles.Seasonal(3, 80);
        var model = (NeuralForecaster)(Settings with { Ensemble = 3 }).Create("lstm");
        model.Fit(series);
        var inputs = Inputs(series);
        var each = model.Members.Select(m =>
        {
            var single = new NeuralForecaster(m.Config);
            single.Restore(model.Scaler!, [m.Config], (_, net) => net.LoadStateDict(m.Net.StateDict()));
            return single.Predict(inputs, 6);
        }).ToArray();
        var forecast = model.Predict(inputs, 6);
        for (int i = 0; i < inputs.Count; i++)
            for (int k = 0; k < 6; k++)
            {
                var values = each.Select(f => f[i][k]).Order().ToArray();
                Assert.Equal(values[1], forecast[i][k]);
            }
        Assert.NotEqual(each[0], each[1]);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    [InlineData("jordan")]
    public void EnsembleSavesToOneFileAndLoadsBackEqual(string name)
    {
        using var f = new ForecastFiles();
        var series = ForecastFiles.Seasonal(3, 60);
        var model = (NeuralForecaster)Settings.Create(name);
        model.Fit(series);
        var path = f.PathOf(name + ".safetensors");
        ForecastModelFile.Save(path, model, Settings, ["a", "b", "c"], new Frequency(TimeUnit.Month, 1));
        var file = Hindsight.Serialization.SafeTensors.Load(path);
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("members.3.", StringComparison.Ordinal));
        Assert.Contains("members", file.Metadata.Keys);
        var loaded = (NeuralForecaster)ForecastModelFile.Load(path).Model;
        Assert.Equal(4, loaded.Members.Count);
        Assert.Equal(model.Members.Select(m => m.Config.Lookback), loaded.Members.Select(m => m.Config.Lookback));
        Assert.Equal(model.Predict(Inputs(series), 6), loaded.Predict(Inputs(series), 6));
    }

    [Fact]
    public void ATensorOfNoMemberIsRefused()
    {
        using var f = new ForecastFiles();
        var model = (NeuralForecaster)(Settings with { Ensemble = 2 }).Create("mlp");
        model.Fit(ForecastFiles.Seasonal(2, 60));
        var path = f.PathOf("m.safetensors");
        ForecastModelFile.Save(path, model, Settings with { Ensemble = 2 }, ["a", "b"], Frequency.Periods);
        var file = Hindsight.Serialization.SafeTensors.Load(path);
        var tensors = file.Tensors.ToList();
        tensors.Add(KeyValuePair.Create("members.2.mlp.0.bias", new Tensor(8)));
        Hindsight.Serialization.SafeTensors.Save(path, tensors, file.Metadata.ToDictionary());
        Assert.Contains("members.2.mlp.0.bias", Assert.Throws<InvalidDataException>(() => ForecastModelFile.Load(path)).Message);
    }

    [Fact]
    public void ASingleNetworkKeepsTheFormatBeforeEnsembles()
    {
        using var f = new ForecastFiles();
        var settings = Settings with { Ensemble = 1 };
        var model = settings.Create("gru");
        var series = ForecastFiles.Seasonal(2, 60);
        model.Fit(series);
        var path = f.PathOf("g.safetensors");
        ForecastModelFile.Save(path, model, settings, ["a", "b"], Frequency.Periods);
        var file = Hindsight.Serialization.SafeTensors.Load(path);
        Assert.DoesNotContain("members", file.Metadata.Keys);
        Assert.Contains("gru.weight_ih_l0", file.Tensors.Keys);
        Assert.Equal(model.Predict(Inputs(series), 6), ForecastModelFile.Load(path).Model.Predict(Inputs(series), 6));
    }
}
