using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;

namespace Hindsight.Tests.Forecasting.EsRnn;

public class EsRnnForecasterTests
{
    private static ForecastSettings Small(int season = 4, ulong seed = 0) => new()
    {
        Horizon = 4, Lookback = 8, SeasonalPeriod = season, Hidden = 8, Epochs = 15, Patience = 0, Validation = 4, Seed = seed, BatchSize = 16,
        Ensemble = 1,
    };

    // Clean multiplicative seasonal series: level (20 + 5k) growing 0.5 % a period, times a season of period 4, small noise.
    private static readonly float[] Pattern = [0.7f, 1.1f, 1.4f, 0.8f];

    private static float[][] Seasonal(int count, int length, float noise = 0.01f, ulong seed = 3)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(k => Enumerable.Range(0, length)
            .Select(t => (float)((20 + 5 * k) * Math.Pow(1.005, t) * Pattern[(t + k) % 4] * (1 + noise * rng.NextGaussian()))).ToArray()).ToArray();
    }

    [Fact]
    public void RecoversACleanSeasonalPattern()
    {
        const int length = 64, h = 4;
        var full = Seasonal(6, length + h, noise: 0.005f);
        var train = full.Select(s => s[..length]).ToArray();
        var model = new ForecastSettings { Horizon = h, Lookback = 8, SeasonalPeriod = 4, Hidden = 16, Epochs = 60, Patience = 15, LearningRate = 1e-2f, Ensemble = 1 }.Create("esrnn");
        model.Fit(train);
        var forecasts = model.Predict(h);
        double worst = 0, naiveWorst = 0;
        for (int s = 0; s < full.Length; s++)
            for (int k = 0; k < h; k++)
            {
                double actual = full[s][length + k];
                worst = Math.Max(worst, Math.Abs(forecasts[s][k] - actual) / actual);
                naiveWorst = Math.Max(naiveWorst, Math.Abs(train[s][^1] - actual) / actual);
            }
        // The season swings values by +-35 %: a forecast within 8 % everywhere has learned it (the naive misses by 40 %+).
        Assert.True(worst < 0.08, $"largest relative error {worst:P1} (naive {naiveWorst:P1})");
        Assert.True(naiveWorst > 0.3, $"naive's largest relative error {naiveWorst:P1}");
    }

    [Fact]
    public void SameSeedSameForecastsOtherSeedOtherForecasts()
    {
        var series = Seasonal(3, 40);
        float[] Run(ulong seed)
        {
            var model = Small(seed: seed).Create("esrnn");
            model.Fit(series);
            return model.Predict(4).SelectMany(f => f).ToArray();
        }
        Assert.Equal(Run(2), Run(2)); // bit for bit
        Assert.NotEqual(Run(2), Run(3));
    }

    [Theory]
    [InlineData(4, "lstm", 1)]
    [InlineData(1, "gru", 1)]
    [InlineData(4, "gru", 3)]
    public void ModelFileRoundTripGivesIdenticalForecasts(int season, string cell, int members)
    {
        using var f = new ForecastFiles();
        var series = Seasonal(3, 40);
        series[1] = series[1].Select(v => v - 30f).ToArray(); // values <= 0: the shifted path is saved too
        var settings = Small(season) with { EsRnn = new EsRnnOptions { Cell = cell == "gru" ? EsRnnCell.Gru : EsRnnCell.Lstm }, Ensemble = members };
        var model = settings.Create("esrnn");
        model.Fit(series);
        var path = f.PathOf("esrnn.safetensors");
        ForecastModelFile.Save(path, model, settings, ["a", "b", "c"], Frequency.Periods);
        var loaded = ForecastModelFile.Load(path);
        Assert.Equal("esrnn", loaded.Model.Name);
        Assert.Equal(settings, loaded.Settings);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        Assert.Equal(model.Predict(inputs, 4), loaded.Model.Predict(inputs, 4));
        Assert.Equal(((EsRnnForecaster)model).Shift, ((EsRnnForecaster)loaded.Model).Shift);
        Assert.Equal(members, ((EsRnnForecaster)loaded.Model).Nets.Count);
    }

    [Fact]
    public void ModelFileWithWrongShapesIsRejected()
    {
        using var f = new ForecastFiles();
        var series = Seasonal(2, 40);
        var model = Small().Create("esrnn");
        model.Fit(series);
        var path = f.PathOf("esrnn.safetensors");
        ForecastModelFile.Save(path, model, Small() with { SeasonalPeriod = 3 }, ["a", "b"], Frequency.Periods);
        Assert.Contains("es.initial_season", Assert.Throws<InvalidDataException>(() => ForecastModelFile.Load(path)).Message);
    }

    [Fact]
    public void AnEnsembleForecastsTheMembersMedian()
    {
        var series = Seasonal(3, 40);
        var members = Enumerable.Range(0, 3).Select(i =>
        {
            var single = Small(seed: EsRnnForecaster.MemberSeed(5, i)).Create("esrnn");
            single.Fit(series);
            return single.Predict(4);
        }).ToArray();
        var ensemble = (Small(seed: 5) with { Ensemble = 3 }).Create("esrnn");
        ensemble.Fit(series);
        var forecasts = ensemble.Predict(4);
        for (int s = 0; s < series.Length; s++)
            for (int k = 0; k < 4; k++)
            {
                var values = members.Select(m => m[s][k]).Order().ToArray();
                Assert.Equal(values[1], forecasts[s][k]);
            }
    }

    [Fact]
    public void NonPositiveSeriesAreShiftedWithAWarningAndForecastFinite()
    {
        var series = Seasonal(2, 40);
        series[0] = series[0].Select(v => v - 25f).ToArray();
        var model = (EsRnnForecaster)Small().Create("esrnn");
        model.Fit(series);
        Assert.True(model.Shift[0] > 0);
        Assert.Equal(0f, model.Shift[1]);
        Assert.Contains(model.Warnings, w => w.Series == 0 && w.Message.Contains("shifted up", StringComparison.Ordinal));
        Assert.All(model.Predict(4).SelectMany(x => x), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void NonSeasonalSeriesTrainALevelOnlyModel()
    {
        var rng = new Rng(1);
        var series = Enumerable.Range(0, 3).Select(k => Enumerable.Range(0, 40).Select(t => (float)(50 + k + 0.3 * t + rng.NextGaussian())).ToArray()).ToArray();
        var model = (EsRnnForecaster)Small(season: 1).Create("esrnn");
        model.Fit(series);
        Assert.Null(model.Smoothing!.SeasonLogit);
        var forecasts = model.Predict(4);
        for (int s = 0; s < 3; s++)
            Assert.All(forecasts[s], v => Assert.InRange(v, 50f, 75f));
    }

    [Fact]
    public void TooShortSeriesGiveAOneLineError()
    {
        var model = Small().Create("esrnn");
        var ex = Assert.Throws<ArgumentException>(() => model.Fit([Enumerable.Repeat(5f, 12).ToArray(), Enumerable.Repeat(5f, 14).ToArray()]));
        Assert.Equal("esrnn: no training window: a series needs at least lookback 8 + horizon 4 + validation 4 = 16 values; the longest has 14.", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Throws<ArgumentException>(() => model.Fit([Enumerable.Repeat(5f, 5).ToArray()])); // shorter than the lookback: the base class's error
    }
}
