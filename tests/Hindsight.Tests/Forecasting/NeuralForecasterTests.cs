using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Tests.Forecasting;

public class NeuralForecasterTests
{
    private static ForecastSettings Small(ulong seed = 0) => new()
    {
        Horizon = 12, Lookback = 24, SeasonalPeriod = 12, Hidden = 16, Epochs = 40, Patience = 8, Validation = 12, LearningRate = 3e-3f, LrDecays = 0, Seed = seed, Ensemble = 1,
    };

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    [InlineData("jordan")]
    public void GlobalModelBeatsNaiveOnSyntheticSeasonalSeries(string name)
    {
        var series = ForecastFiles.Seasonal(4, 120);
        var data = new TimeSeries("synthetic", Frequency.Periods, series.Select((v, i) => new Series($"s{i}", v, null)).ToList());
        var result = Evaluation.Holdout(data, ["naive", name], Small());
        var naive = result.Models.Single(m => m.Score.Model == "naive").Score;
        var model = result.Models.Single(m => m.Score.Model == name).Score;
        Assert.True(model.Mae < 0.5 * naive.Mae, $"{name} MAE {model.Mae} vs naive {naive.Mae}");
        Assert.Equal("snaive", result.Models[0].Score.Model); // the baseline is always there, first
    }

    [Fact]
    public void NeuralModelsBeatNaiveAndSeasonalNaiveOnCo2Holdout()
    {
        var data = SeriesCsv.Load(ForecastFiles.Co2, new SeriesCsvOptions { ValueColumn = "CO2", Fill = MissingValuePolicy.Linear });
        var result = Evaluation.Holdout(data, ["naive", "mlp", "gru"], new ForecastSettings { Horizon = 12, Lookback = 24, SeasonalPeriod = 12, Ensemble = 1 });
        double snaive = result.Models[0].Score.Mae, naive = result.Models[1].Score.Mae;
        foreach (var m in result.Models.Skip(2))
        {
            Assert.True(m.Score.Mae < Math.Min(naive, snaive) / 2, $"{m.Score.Model} MAE {m.Score.Mae} vs naive {naive}, snaive {snaive}");
            Assert.True(m.Score.Mase < 1, $"{m.Score.Model} MASE {m.Score.Mase}");
        }
    }

    [Fact]
    public void SameSeedSameForecastsOtherSeedOtherForecasts()
    {
        var series = ForecastFiles.Seasonal(2, 80);
        float[] Run(ulong seed, string name)
        {
            var model = Small(seed).Create(name);
            model.Fit(series);
            return model.Predict(12).SelectMany(f => f).ToArray();
        }
        foreach (var name in new[] { "mlp", "lstm" })
        {
            Assert.Equal(Run(3, name), Run(3, name)); // bit for bit
            Assert.NotEqual(Run(3, name), Run(4, name));
        }
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpoch()
    {
        var series = ForecastFiles.Seasonal(2, 80);
        var model = new NeuralForecaster(Small().Neural(NeuralKind.Mlp) with { Epochs = 60, Patience = 3, LearningRate = 0.05f, Losses = [NeuralLoss.Mse] });
        var seen = new List<EpochProgress>();
        model.OnEpoch = seen.Add;
        model.Fit(series);
        var s = model.Summary!;
        Assert.Equal(seen.Count, s.EpochsRun);
        Assert.True(s.BestEpoch <= s.EpochsRun);
        double best = seen.Min(p => p.ValidationLoss!.Value);
        Assert.Equal(best, seen[s.BestEpoch - 1].ValidationLoss);
        Assert.Equal(best, s.BestValidationLoss);
        if (s.EpochsRun < 60) Assert.Equal(s.BestEpoch + 3, s.EpochsRun); // stopped after 3 epochs without improvement
        // 2 series x (80 - 12 val - 12 horizon - 24 lookback + 1) training windows; 12 validation windows each.
        Assert.Equal(2 * 33, s.TrainWindows);
        Assert.Equal(2 * 12, s.ValidationWindows);
        // The scaler saw the training part only (80 values minus the 12 of the validation tail).
        Assert.Equal(series[0][..68].Average(), model.Scaler!.Mean[0], 1e-4);
        Assert.NotEqual(series[0].Average(), model.Scaler.Mean[0], 4);
        // The weights kept are the best epoch's: the fitted model's validation MSE (scaled units) is the best one seen.
        double sum = 0;
        int count = 0;
        for (int series_ = 0; series_ < 2; series_++)
            for (int t = 80 - 12 - 12 + 1; t <= 80 - 12; t++)
            {
                var f = model.Predict([new ForecastInput(series_, series[series_].AsMemory(0, t))], 12)[0];
                for (int k = 0; k < 12; k++)
                {
                    double d = (f[k] - series[series_][t + k]) / model.Scaler!.Std[series_];
                    sum += d * d;
                    count++;
                }
            }
        Assert.Equal(best, sum / count, 1e-4);
        if (s.BestEpoch < s.EpochsRun) Assert.NotEqual(seen[^1].ValidationLoss!.Value, sum / count, 6); // not simply the last epoch's weights
    }

    [Fact]
    public void TooShortSeriesForTheWindowIsAClearError()
    {
        var model = Small().Create("gru");
        // The lookback shortens to 13 (a season and a value) for short data; 30 values still leave no training window.
        var ex = Assert.Throws<ArgumentException>(() => model.Fit([new float[30]]));
        Assert.Contains("has 30 values; the model needs at least 13 + 12 + 12 = 37 to train (lookback 13, horizon 12, validation 12)", ex.Message);
        var fitted = Small().Create("mlp");
        fitted.Fit(ForecastFiles.Seasonal(1, 60));
        Assert.Contains("trained to predict", Assert.Throws<ArgumentException>(() => fitted.Predict(13)).Message);
        Assert.Contains("needs at least 24", Assert.Throws<ArgumentException>(() => fitted.Predict([new ForecastInput(0, new float[10])], 12)).Message);
    }

    [Fact]
    public void AutoPicksTheCandidateWithTheLowestValidationError()
    {
        var series = ForecastFiles.Seasonal(2, 100);
        var auto = new AutoForecaster(Small(), new AutoOptions { Candidates = "naive,snaive,ar", Mode = AutoMode.Select });
        auto.Fit(series);
        var best = auto.Candidates.MinBy(c => c.CvMase)!.Model;
        Assert.Equal(best, auto.Chosen!.Name);
        Assert.NotEqual("naive", best);
        Assert.Equal(auto.Chosen.Predict(12), auto.Predict(12));
    }

    [Fact]
    public void RecursiveModelFeedsItsPredictionsBackForAnyHorizon()
    {
        var series = ForecastFiles.Seasonal(2, 80);
        var model = new NeuralForecaster(Small().Neural(NeuralKind.Gru) with { Recursive = true, Epochs = 5 });
        model.Fit(series);
        Assert.Null(model.MaxHorizon);
        Assert.Equal(1, model.Net.NamedParameters().Single(p => p.Name == "head.weight").Value.Dim(0)); // one-step head
        var two = model.Predict(30); // longer than the configured horizon 12
        Assert.Equal(30, two[0].Length);
        // Step 2 from the history equals step 1 from the history extended by the model's own step 1.
        var extended = series[1].Append(two[1][0]).ToArray();
        var next = model.Predict([new ForecastInput(1, extended)], 1)[0][0];
        Assert.Equal(two[1][1], next, 1e-4);
    }
}

public class ShortHistoryTests
{
    [Theory]
    [InlineData(NeuralKind.Rnn)]
    [InlineData(NeuralKind.Lstm)]
    [InlineData(NeuralKind.Gru)]
    [InlineData(NeuralKind.Jordan)]
    public void PaddedStepsDoNotMatterWithLengths(NeuralKind kind)
    {
        var net = new ForecastNet(new NeuralConfig { Kind = kind, Lookback = 6, Horizon = 3, Hidden = 5 }, new Rng(1));
        var clean = Tensor.FromArray([1, 2, 3, 0, 0, 0, 4, 5, 6, 7, 8, 9], 2, 6);
        var noisy = Tensor.FromArray([1, 2, 3, 9, -9, 5, 4, 5, 6, 7, 8, 9], 2, 6);
        using var _ = Tape.NoGrad();
        var a = net.Forward(clean, [3, 6]);
        var b = net.Forward(noisy, [3, 6]);
        Assert.Equal(a.Data, b.Data);
        var full = net.Forward(Tensor.FromArray([4, 5, 6, 7, 8, 9], 1, 6));
        Assert.Equal(full.Data, a.Data[3..]);                                         // a full row is unaffected by its neighbour's length
        var three = net.Forward(Tensor.FromArray([1, 2, 3], 1, 3));
        Assert.Equal(three.Data, a.Data[..3]);                                        // length 3 of 6 = a window of 3
    }

    [Fact]
    public void RecurrentModelTrainsOnAndForecastsShortSeries()
    {
        // Lookback 24 but series of 20 values: only --min-history makes them usable.
        var series = ForecastFiles.Seasonal(3, 20);
        var settings = new ForecastSettings { Horizon = 6, Lookback = 24, Hidden = 8, Epochs = 5, Validation = 6, Ensemble = 1 };
        Assert.Throws<ArgumentException>(() => settings.Create("gru").Fit(series));
        var model = (NeuralForecaster)(settings with { MinHistory = 4 }).Create("gru");
        model.Fit(series);
        Assert.Equal(3 * (20 - 6 - 6 - 4 + 1), model.Summary!.TrainWindows);      // t = 4 .. 8 per series
        Assert.Equal(4, model.MinHistory);
        var f = model.Predict([new ForecastInput(0, series[0].AsMemory(0, 5)), new ForecastInput(1, series[1])], 6);
        Assert.All(f, x => Assert.Equal(6, x.Length));
        Assert.Contains("needs at least 4", Assert.Throws<ArgumentException>(() => model.Predict([new ForecastInput(0, series[0].AsMemory(0, 3))], 6)).Message);
        // A recursive model grows its window with each fed-back step; from a full history it agrees with the direct path.
        var rec = (NeuralForecaster)(settings with { MinHistory = 4, Recursive = true }).Create("lstm");
        rec.Fit(series);
        var two = rec.Predict([new ForecastInput(0, series[0].AsMemory(0, 5))], 2)[0];
        var next = rec.Predict([new ForecastInput(0, series[0][..5].Append(two[0]).ToArray())], 1)[0][0];
        Assert.Equal(two[1], next, 1e-4);
    }

    [Fact]
    public void MlpRejectsShortInputs()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NeuralForecaster(new NeuralConfig { Kind = NeuralKind.Mlp, Lookback = 8, MinInput = 4 }));
        Assert.Contains("fixed input size", ex.Message);
        Assert.Throws<ArgumentException>(() => new NeuralForecaster(new NeuralConfig { Kind = NeuralKind.Gru, Lookback = 8, MinInput = 9 }));
    }
}
