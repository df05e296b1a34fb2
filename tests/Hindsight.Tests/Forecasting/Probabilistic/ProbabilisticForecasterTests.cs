using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Tests.Forecasting.Probabilistic;

/// <summary>Quantile and distribution heads in the neural forecasters: monotone quantiles, calibrated intervals, sample paths, model files, errors.</summary>
public class ProbabilisticForecasterTests
{
    // Series of independent Gaussian noise, N(level_s, spread_s^2), each with its own level and spread.
    private static float[][] Noise(int count, int length, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(s =>
        {
            double level = 10 + 5 * s, spread = 1 + 0.5 * (s % 3);
            return Enumerable.Range(0, length).Select(_ => (float)(level + spread * rng.NextGaussian())).ToArray();
        }).ToArray();
    }

    private static ForecastSettings Small(ProbabilisticOptions p, int steps = 300) => new()
    {
        Horizon = 6, Lookback = 12, SeasonalPeriod = 1, Hidden = 16, Steps = steps, Epochs = 50, Ensemble = 1, Validation = 0, Probabilistic = p,
    };

    private static TimeSeries Data(float[][] series) =>
        new("noise", Frequency.Periods, series.Select((v, i) => new Series($"s{i}", v, null)).ToList());

    [Theory]
    [InlineData("mlp", false)]
    [InlineData("gru", false)]
    [InlineData("nbeats", false)]
    [InlineData("nhits", false)]
    [InlineData("mlp", true)]
    public void QuantilesNeverCrossAndTheMedianIsThePointForecast(string model, bool recursive)
    {
        var settings = Small(new ProbabilisticOptions { Quantiles = "0.1,0.5,0.9", Samples = 50 }, steps: 40) with
        {
            Strategy = recursive ? ForecastStrategy.Recursive : ForecastStrategy.Direct,
            Stacks = 2,
            BlockWidth = 16,
            LookbackHorizons = 2,
        };
        var series = Noise(4, 60, 3);
        var f = (NeuralForecaster)settings.Create(model);
        f.Fit(series);
        Assert.Equal("quantiles", f.QuantileMethod);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        double[] levels = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98];
        var q = f.PredictQuantiles(inputs, 6, levels);
        foreach (var perInput in q)
            for (int k = 0; k < 6; k++)
                for (int j = 1; j < levels.Length; j++) Assert.True(perInput[j][k] >= perInput[j - 1][k], $"{model}: level {levels[j]} below {levels[j - 1]} at step {k}");
        var point = f.Predict(inputs, 6);
        for (int i = 0; i < inputs.Count; i++) Assert.Equal(point[i], q[i][3]);
    }

    [Fact]
    public void AnEnsembleTakesTheMedianOfEachMembersQuantiles()
    {
        var settings = Small(new ProbabilisticOptions { Distribution = OutputDistribution.StudentT }, steps: 30) with { Ensemble = 3, Loss = "mae" };
        var series = Noise(3, 60, 4);
        var f = (NeuralForecaster)settings.Create("mlp");
        f.Fit(series);
        Assert.Equal(3, f.Members.Count);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        var q = f.PredictQuantiles(inputs, 6, [0.1, 0.9]);
        for (int j = 0; j < 2; j++)
        {
            var single = f.Members.Select(m =>
            {
                var one = new NeuralForecaster(m.Config);
                one.Restore(f.Scaler!, [m.Config], (_, net) => net.LoadStateDict(m.Net.NamedParameters().ToDictionary(p => p.Name, p => p.Value)));
                return one.PredictQuantiles(inputs, 6, [0.1, 0.9]);
            }).ToArray();
            for (int i = 0; i < inputs.Count; i++)
                for (int k = 0; k < 6; k++)
                {
                    var column = single.Select(s => s[i][j][k]).Order().ToArray();
                    Assert.Equal(column[1], q[i][j][k]);
                }
        }
    }

    [Theory]
    [InlineData("quantiles")]
    [InlineData("gaussian")]
    [InlineData("conformal")]
    public void IntervalsOnGaussianNoiseCoverNearTheirLevel(string method)
    {
        // 30 series x 4 origins x 6 steps = 720 held-out values: the 80 % interval must cover 80 +- 5 % of them.
        var p = method switch
        {
            "quantiles" => new ProbabilisticOptions { Quantiles = "0.5" },
            "gaussian" => new ProbabilisticOptions { Distribution = OutputDistribution.Gaussian },
            _ => new ProbabilisticOptions(),
        };
        var data = Data(Noise(30, 160, 11));
        var result = Evaluation.Backtest(data, ["mlp"], Small(p, steps: 600), new BacktestOptions { Origins = 4 }, intervals: new IntervalOptions { Levels = [80, 95] });
        var mlp = result.Models.Single(m => m.Score.Model == "mlp");
        var score = mlp.Score.Probabilistic!;
        Assert.Equal(method, score.Method);
        Assert.Equal(720, mlp.Forecasts.Sum(f => f.Actual.Length));
        var at80 = score.Intervals.Single(i => i.Level == 80).Coverage;
        var at95 = score.Intervals.Single(i => i.Level == 95).Coverage;
        Assert.InRange(at80, 0.75, 0.85);
        Assert.InRange(at95, 0.90, 0.99);
        Assert.True(score.Intervals[1].Width > score.Intervals[0].Width);
        Assert.True(score.Crps > 0 && score.Pinball > 0);
    }

    [Fact]
    public void RecursiveGaussianSamplePathsGiveWideningIntervals()
    {
        var settings = Small(new ProbabilisticOptions { Distribution = OutputDistribution.Gaussian, Samples = 400 }, steps: 300) with { Strategy = ForecastStrategy.Recursive };
        // A random walk: the spread of the k-step forecast grows like sqrt(k).
        var rng = new Rng(8);
        var walks = Enumerable.Range(0, 10).Select(_ => { double y = 0; return Enumerable.Range(0, 120).Select(_ => (float)(y += rng.NextGaussian())).ToArray(); }).ToArray();
        var f = (NeuralForecaster)settings.Create("mlp");
        f.Fit(walks);
        var q = f.PredictQuantiles(walks.Select((s, i) => new ForecastInput(i, s)).ToList(), 6, [0.1, 0.9]);
        double first = q.Average(x => x[1][0] - x[0][0]), last = q.Average(x => x[1][5] - x[0][5]);
        Assert.True(last > 1.5 * first, $"width at step 6 {last} vs step 1 {first}");
        // Deterministic: the same seed draws the same paths.
        Assert.Equal(q[0][0], f.PredictQuantiles([new ForecastInput(0, walks[0])], 6, [0.1, 0.9])[0][0]);
    }

    [Theory]
    [InlineData("quantiles")]
    [InlineData("negbin")]
    public void AModelFileRecordsTheHeadAndGivesTheSameQuantiles(string head)
    {
        var p = head == "quantiles" ? new ProbabilisticOptions { Quantiles = "0.2,0.5,0.8" } : new ProbabilisticOptions { Distribution = OutputDistribution.NegBin };
        var settings = Small(p, steps: 30);
        var rng = new Rng(2);
        var counts = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, 60).Select(_ => (float)Math.Round(5 + s + 2 * rng.NextDouble())).ToArray()).ToArray();
        var f = (NeuralForecaster)settings.Create("mlp");
        f.Fit(counts);
        using var files = new ForecastFiles();
        var path = files.PathOf("m.safetensors");
        ForecastModelFile.Save(path, f, settings, ["a", "b", "c"], Frequency.Periods, null);
        var loaded = (NeuralForecaster)ForecastModelFile.Load(path).Model;
        Assert.Equal(f.Config.Head, loaded.Config.Head);
        var inputs = counts.Select((s, i) => new ForecastInput(i, s)).ToList();
        double[] levels = [0.05, 0.2, 0.5, 0.8, 0.95];
        var before = f.PredictQuantiles(inputs, 6, levels);
        var after = loaded.PredictQuantiles(inputs, 6, levels);
        for (int i = 0; i < inputs.Count; i++)
            for (int j = 0; j < levels.Length; j++) Assert.Equal(before[i][j], after[i][j]);
        if (head == "negbin") Assert.All(after.SelectMany(x => x).SelectMany(x => x), v => Assert.True(v >= 0 && v == MathF.Round(v)));
    }

    [Fact]
    public void QuantileHeadsLearnTheIntervalBoundsToo()
    {
        var head = new ProbabilisticOptions { Quantiles = "0.5,0.1", IntervalLevels = [80, 95] }.Head();
        Assert.Equal([0.025f, 0.1f, 0.5f, 0.9f, 0.975f], head.Levels);
        Assert.Equal(5, head.Width);
        Assert.Null(Record.Exception(() => new NeuralConfig { Kind = NeuralKind.NBeatsInterpretable, Head = head }.Validate())); // nbeatsi takes heads too
    }

    [Fact]
    public void NegbinOnNegativeDataIsAnErrorNamingTheSeries()
    {
        using var f = new ForecastFiles();
        var series = Noise(2, 60, 1);
        series[1][17] = -3;
        var data = f.WriteLong("neg.csv", series);
        var args = new ForecastArgs { Data = data, Horizon = 6, Lookback = 12, Season = 1, Models = "mlp", Steps = 5, Ensemble = 1, Json = true, Probabilistic = new() { Distribution = OutputDistribution.NegBin } };
        var err = new StringWriter();
        Assert.Equal(2, ForecastCommand.Run(args, new StringWriter(), err, interactive: false));
        Assert.Contains("series 's1' has the negative value -3 at position 18; the negbin distribution models non-negative counts", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void ForecastGivesEveryLevelAndTheAskedQuantilesInJsonAndCsv()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", Noise(2, 80, 5));
        var args = new ForecastArgs
        {
            Data = data, Horizon = 6, Lookback = 12, Season = 1, Models = "mlp", Steps = 30, Ensemble = 1, Json = true, Level = [80, 95],
            Probabilistic = new() { Quantiles = "0.1,0.5,0.9" }, Output = f.PathOf("f.csv"), Out = f.PathOf("chart"),
        };
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.True(ForecastCommand.Run(args, o, e, interactive: false) == 0, e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        Assert.Equal("quantiles", doc.RootElement.GetProperty("intervalMethod").GetString());
        var s0 = doc.RootElement.GetProperty("series")[0];
        Assert.Equal(2, s0.GetProperty("intervals").GetArrayLength());
        Assert.Equal(3, s0.GetProperty("quantiles").GetArrayLength());
        var header = File.ReadLines(f.PathOf("f.csv")).First();
        Assert.Equal("unique_id,ds,mlp,mlp-lo-80,mlp-hi-80,mlp-lo-95,mlp-hi-95,mlp-median", header);
        Assert.True(File.Exists(f.PathOf("chart/forecast.png")));
        // A conformal model on a series too short for consecutive calibration horizons falls back to overlapping ones.
        var shortData = f.WriteLong("short.csv", Noise(1, 60, 6));
        o = new StringWriter();
        Assert.True(ForecastCommand.Run(args with { Data = shortData, Models = "ar", Probabilistic = new(), Output = null, Out = null }, o, e, interactive: false) == 0, e.ToString());
        using var ar = JsonDocument.Parse(o.ToString());
        Assert.Equal("conformal-overlap", ar.RootElement.GetProperty("intervalMethod").GetString());
        Assert.Equal(2, ar.RootElement.GetProperty("series")[0].GetProperty("intervals").GetArrayLength());
    }
}
