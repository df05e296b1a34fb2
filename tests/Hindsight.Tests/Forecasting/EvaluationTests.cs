using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Tests.Forecasting;

/// <summary>A model for tests: forecasts by a rule on the history; may throw on chosen series or everywhere.</summary>
internal sealed class FakeForecaster(string name, Func<ReadOnlyMemory<float>, int, float[]> rule, bool global = false, Func<float[], bool>? throwsOn = null) : Forecaster
{
    public override string Name => name;
    public override bool IsGlobal => global;
    public override bool RequiresTraining => true;

    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        for (int i = 0; i < series.Count; i++)
            if (throwsOn?.Invoke(series[i]) == true) throw new ArithmeticException($"{name}: cannot fit series {i}");
        Warn(0, $"{name}: a note about the first series");
    }

    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) => inputs.Select(i => rule(i.History, horizon)).ToArray();

    /// <summary>The last value plus <paramref name="offset"/>, repeated.</summary>
    public static Func<ReadOnlyMemory<float>, int, float[]> Flat(float offset = 0) => (h, n) => Enumerable.Repeat(h.Span[^1] + offset, n).ToArray();
}

public class EvaluationTests
{
    private static readonly ForecastSettings Settings = new() { Horizon = 4, SeasonalPeriod = 4, Lookback = 8 };

    private static TimeSeries Data(params float[][] series) =>
        new("t.csv", Frequency.Periods, series.Select((v, i) => new Series($"s{i}", v, null)).ToList());

    private static float[] Wave(int n, float level = 10, float amplitude = 2, int period = 4) =>
        Enumerable.Range(0, n).Select(t => level + amplitude * MathF.Sin(2 * MathF.PI * t / period) + 0.1f * t + (t % 3) * 0.3f).ToArray();

    // Fakes by name (a fresh one per call: each fit gets its own model); other names from the settings.
    private static Func<ForecastSettings, string, Forecaster> Factory(params (string Name, Func<Forecaster> Make)[] fakes) =>
        (s, n) => fakes.FirstOrDefault(f => f.Name == n) is { Make: { } make } ? make() : s.Create(n);

    private static (string, Func<Forecaster>) Fake(string name, Func<ReadOnlyMemory<float>, int, float[]> rule, bool global = false, Func<float[], bool>? throwsOn = null) =>
        (name, () => new FakeForecaster(name, rule, global, throwsOn));

    [Fact]
    public void AFailingLocalModelLosesOnlyItsBadSeriesAndTheOthersScoresAreUnchanged()
    {
        var data = Data(Wave(40), Wave(40, level: -5), Wave(40, level: 30));
        var plan = new EvaluationPlan { Create = Factory(Fake("bad", FakeForecaster.Flat(), throwsOn: s => s[0] < 0)) };
        var with = Evaluation.Holdout(data, ["naive", "bad", "drift"], Settings, plan: plan);
        var without = Evaluation.Holdout(data, ["naive", "drift"], Settings, plan: plan);
        foreach (var name in new[] { "snaive", "naive", "drift" })
            Assert.Equal(without.Models.Single(m => m.Score.Model == name).Score with { FitSeconds = 0, PredictSeconds = 0 },
                with.Models.Single(m => m.Score.Model == name).Score with { FitSeconds = 0, PredictSeconds = 0 });
        var bad = with.Models.Single(m => m.Score.Model == "bad");
        Assert.Equal([1], bad.Failures.Select(f => f.Series));
        Assert.Contains("cannot fit", bad.Failures[0].Reason);
        Assert.Equal([0, 2], bad.Forecasts.Select(f => f.Series));
        Assert.False(bad.Complete);
        Assert.DoesNotContain(bad, with.Ranked);
    }

    [Fact]
    public void AFailingGlobalModelIsReportedForEverySeriesAndTheRunGoesOn()
    {
        var data = Data(Wave(40), Wave(40, level: -5));
        var plan = new EvaluationPlan { Create = Factory(Fake("boom", FakeForecaster.Flat(), global: true, throwsOn: s => s[0] < 0)) };
        var result = Evaluation.Holdout(data, ["boom", "naive"], Settings, plan: plan);
        var boom = result.Models.Single(m => m.Score.Model == "boom");
        Assert.Empty(boom.Forecasts);
        Assert.Equal([0, 1], boom.Failures.Select(f => f.Series));
        Assert.True(double.IsNaN(boom.Score.Mae));
        Assert.Equal(2, result.Models.Single(m => m.Score.Model == "naive").Forecasts.Count);
    }

    [Fact]
    public void TheCliReportsTheFailureInTheTableAndJson()
    {
        using var f = new ForecastFiles();
        // One series shorter than a season of 24: seasonal naive fails there (its other series still scored), the others run.
        var series = ForecastFiles.Seasonal(2, 60);
        series[1] = series[1][..20];
        var path = f.WriteLong("s.csv", series);
        var args = new ForecastArgs { Data = path, Horizon = 6, Lookback = 12, Season = 24, Models = "naive", Json = true };
        var stdout = new StringWriter();
        Assert.Equal(0, EvaluateCommand.Run(args, stdout, new StringWriter(), interactive: false, backtest: false));
        using var doc = JsonDocument.Parse(stdout.ToString());
        var snaive = doc.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "snaive");
        Assert.Equal("s1", snaive.GetProperty("failed")[0].GetProperty("id").GetString());
        Assert.Contains("needs at least 24", snaive.GetProperty("failed")[0].GetProperty("reason").GetString());
        Assert.Equal(1, snaive.GetProperty("forecastCount").GetInt32());
        Assert.Equal("naive", doc.RootElement.GetProperty("best").GetString());
        var text = new StringWriter();
        Assert.Equal(0, EvaluateCommand.Run(args with { Json = false }, text, new StringWriter(), interactive: false, backtest: false));
        Assert.Contains("failed: snaive on 's1':", text.ToString());
        Assert.Contains("failed on 1 of 2 series", text.ToString());
    }

    [Fact]
    public void WarningsOfTheModelAndOutOfRangeForecastsNameTheSeries()
    {
        var data = Data(Wave(40), Wave(40, level: 50));
        var absurd = Fake("absurd", (h, n) => Enumerable.Repeat(-198753f, n).ToArray());
        var result = Evaluation.Holdout(data, ["absurd"], Settings, plan: new EvaluationPlan { Create = Factory(absurd) });
        var warnings = result.Models.Single(m => m.Score.Model == "absurd").Warnings;
        Assert.Contains(warnings, w => w.Series == 0 && w.Message == "absurd: a note about the first series");
        Assert.Contains(warnings, w => w.Series == 1 && w.Message.Contains("outside the sane range", StringComparison.Ordinal));
        Assert.Empty(result.Models.Single(m => m.Score.Model == "snaive").Warnings);
    }

    [Fact]
    public void TheSaneRangeIsTheHistoryWidenedByItsRange()
    {
        Assert.Equal((-1.0, 5.0), SaneRange.Bounds([1, 3, 2]));
        Assert.Equal((0.0, 8.0), SaneRange.Bounds([4, 4])); // constant: r = |mean|
        Assert.Equal((-1.0, 1.0), SaneRange.Bounds([0, 0]));
        Assert.Equal(-1, SaneRange.FirstOutside([1, 3], [5, -1]));
        Assert.Equal(1, SaneRange.FirstOutside([1, 3], [5, 5.01f]));
        Assert.Equal(0, SaneRange.FirstOutside([1, 3], [float.NaN]));
    }

    [Fact]
    public void MaseUsesEachSeriesOwnSeasonAndBestRanksByMase()
    {
        // Two series of very different scales: "small" is exact on the large series and poor on the small one; "large" the reverse.
        float[] Scaled(float level, float scale) => Enumerable.Range(0, 40).Select(t => level + scale * (MathF.Sin(2 * MathF.PI * t / 4) + 0.05f * t + 0.3f * (t % 3))).ToArray();
        var big = Scaled(10000, 1000);
        var tiny = Scaled(1, 0.1f);
        var data = Data(big, tiny);
        float[] Truth(ReadOnlyMemory<float> h) => (h.Length == 36 ? (h.Span[0] > 100 ? big : tiny) : throw new InvalidOperationException())[36..];
        var exactOnBig = Fake("bigexact", (h, n) => h.Span[0] > 100 ? Truth(h) : Truth(h).Select(v => v + 1f).ToArray());
        var exactOnTiny = Fake("tinyexact", (h, n) => h.Span[0] > 100 ? Truth(h).Select(v => v + 100f).ToArray() : Truth(h));
        var plan = new EvaluationPlan { Specs = [new SeriesSpec(4, 4), new SeriesSpec(1, 4)], Create = Factory(exactOnBig, exactOnTiny) };
        var result = Evaluation.Holdout(data, ["bigexact", "tinyexact"], Settings, plan: plan);
        var a = result.Models.Single(m => m.Score.Model == "bigexact").Score;
        var b = result.Models.Single(m => m.Score.Model == "tinyexact").Score;
        Assert.True(a.Mae < b.Mae); // by MAE (dominated by the large series) bigexact looks better ...
        Assert.Equal("tinyexact", result.Best!.Score.Model); // ... but by the scale-free MASE it is worse
        double tinyScale = Metrics.MaseScale(tiny.AsSpan(0, 36), 1), bigScale = Metrics.MaseScale(big.AsSpan(0, 36), 4);
        Assert.Equal((1 / tinyScale + 0) / 2, a.Mase!.Value, 4); // the tiny series scaled with its own season 1
        Assert.Equal((100 / bigScale + 0) / 2, b.Mase!.Value, 4);
        Assert.Equal(a.Mase!.Value, a.MedianMase!.Value, 9); // two values: the median is their mean
        Assert.NotEqual(Metrics.MaseScale(tiny.AsSpan(0, 36), 4), tinyScale);
    }

    [Fact]
    public void SeriesAreGroupedBySeasonAndHorizon()
    {
        var data = Data(Wave(40), Wave(40), Wave(40));
        var plan = new EvaluationPlan { Specs = [new SeriesSpec(4, 4), new SeriesSpec(2, 6), new SeriesSpec(4, 4)] };
        var result = Evaluation.Holdout(data, ["naive"], Settings, plan: plan);
        var snaive = result.Models[0];
        Assert.Equal([4, 6, 4], snaive.Forecasts.Select(f => f.Forecast.Length));
        Assert.Equal(Wave(40)[32..34], snaive.Forecasts[1].Forecast[..2]); // seasonal naive with m = 2 repeats the last two values
        Assert.Equal(2, snaive.Fitted.Count);
        Assert.True(result.Mixed);
    }

    [Fact]
    public void TheSpecFileSetsSeasonAndHorizonPerSeriesAndNamesBadLines()
    {
        using var f = new ForecastFiles();
        var data = Data(Wave(40), Wave(40), Wave(40));
        var defaults = Enumerable.Repeat(new SeriesSpec(12, 6), 3).ToArray();
        var good = f.Write("spec.csv", "unique_id,season,horizon,source\ns0,4,8,x\ns2,,3,y\n");
        Assert.Equal([new SeriesSpec(4, 8), new SeriesSpec(12, 6), new SeriesSpec(12, 3)], SeriesSpecCsv.Load(good, data, defaults));
        DataFormatException Bad(string text) => Assert.Throws<DataFormatException>(() => SeriesSpecCsv.Load(f.Write("bad.csv", text), data, defaults));
        var unknown = Bad("unique_id,season,horizon\ns0,4,8\nnope,4,8\n");
        Assert.Equal(3, unknown.Row);
        Assert.Contains("bad.csv:3", unknown.Message);
        Assert.Contains("'nope' is not in the data", unknown.Message);
        var notInteger = Bad("unique_id,season,horizon\ns0,4.5,8\n");
        Assert.Equal(2, notInteger.Row);
        Assert.Contains("'4.5' is not a whole number", notInteger.Message);
        Assert.Contains("not a whole number", Bad("unique_id,season,horizon\ns0,0,8\n").Message);
        Assert.Contains("2 cells", Bad("unique_id,season,horizon\ns0,4\n").Message);
        Assert.Contains("listed twice", Bad("unique_id,season\ns0,4\ns0,4\n").Message);
        Assert.Contains("no series id column", Bad("name,season\ns0,4\n").Message);
    }

    [Fact]
    public void SeasonAndHorizonColumnsMustBeConstantWithinASeries()
    {
        using var f = new ForecastFiles();
        var path = f.Write("d.csv", "unique_id,ds,y,m\na,1,1,4\na,2,2,4\na,3,3,4\nb,1,1,2\nb,2,5,2\nb,3,2,2\n");
        var data = SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = "y" });
        var defaults = Enumerable.Repeat(new SeriesSpec(1, 1), 2).ToArray();
        Assert.Equal([new SeriesSpec(4, 1), new SeriesSpec(2, 1)], SeriesSpecCsv.FromColumns(path, data, null, "m", null, defaults));
        var changing = f.Write("e.csv", "unique_id,ds,y,m\na,1,1,4\na,2,2,12\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesSpecCsv.FromColumns(changing, SeriesCsv.Load(changing, new SeriesCsvOptions { ValueColumn = "y" }), null, "m", null, defaults[..1]));
        Assert.Contains("series 'a'", ex.Message);
        Assert.Contains("e.csv:3", ex.Message);
    }

    [Fact]
    public void TheLongCsvHasTheNeuralForecastLayout()
    {
        var data = new TimeSeries("t.csv", new Frequency(TimeUnit.Month, 1), [new Series("a,b", [1, 2, 3, 4, 5, 6], new DateTime(2000, 1, 1))]);
        var result = Evaluation.Holdout(data, ["naive"], new ForecastSettings { Horizon = 2, SeasonalPeriod = 2, Lookback = 4 });
        var lines = ForecastCsv.Evaluation(data, result, (double?)null).Split('\n');
        Assert.Equal("unique_id,ds,cutoff,y,snaive,naive", lines[0]);
        Assert.Equal("\"a,b\",2000-05-01,2000-04-01,5,3,4", lines[1]);
        Assert.Equal(4, lines.Length); // header, two rows, the final newline
        var forecast = ForecastCsv.Forecast(data, "naive", [[6f, 6f]], [([5f, 4.5f], [7f, 7.5f])], 90).Split('\n');
        Assert.Equal("unique_id,ds,naive,naive-lo-90,naive-hi-90", forecast[0]);
        Assert.Equal("\"a,b\",2000-08-01,6,4.5,7.5", forecast[2]);
    }

    [Fact]
    public void EvaluateJsonHoldsEveryForecastAndOutputWritesTheCsv()
    {
        using var f = new ForecastFiles();
        var path = f.WriteLong("s.csv", ForecastFiles.Seasonal(2, 40));
        var args = new ForecastArgs { Data = path, Horizon = 3, Lookback = 12, Season = 12, Models = "naive", Json = true, Output = f.PathOf("out/f.csv") };
        var stdout = new StringWriter();
        Assert.Equal(0, EvaluateCommand.Run(args, stdout, new StringWriter(), interactive: false, backtest: false));
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("mase", doc.RootElement.GetProperty("rankedBy").GetString());
        var naive = doc.RootElement.GetProperty("models")[1];
        var s1 = naive.GetProperty("forecasts")[1];
        Assert.Equal("s1", s1.GetProperty("id").GetString());
        Assert.Equal("2003-01", s1.GetProperty("cutoff").GetString()); // 37 months from 2000-01
        Assert.Equal(["2003-02", "2003-03", "2003-04"], s1.GetProperty("periods").EnumerateArray().Select(e => e.GetString()));
        float last = ForecastFiles.Seasonal(2, 40)[1][36];
        Assert.All(s1.GetProperty("forecast").EnumerateArray(), e => Assert.Equal(last, e.GetSingle()));
        Assert.Equal(ForecastFiles.Seasonal(2, 40)[1][37..], s1.GetProperty("actual").EnumerateArray().Select(e => e.GetSingle()));
        var csv = File.ReadAllLines(f.PathOf("out/f.csv"));
        Assert.Equal("unique_id,ds,cutoff,y,snaive,naive", csv[0]);
        Assert.Equal(7, csv.Length);
        Assert.StartsWith("s1,2003-02-01,2003-01-01,", csv[4]);
    }

    [Fact]
    public void AutoChoosesTheBetterOfTwoFakesByCrossValidation()
    {
        var trend = Enumerable.Range(0, 40).Select(t => 5f + 2 * t).ToArray();
        var good = Fake("good", (h, n) => Enumerable.Range(1, n).Select(k => h.Span[^1] + 2f * k).ToArray()); // the trend's own rule
        var flat = Fake("flat", FakeForecaster.Flat());
        var auto = new AutoForecaster(Settings, new AutoOptions { Candidates = "flat,good", Mode = AutoMode.Select }, n => Factory(good, flat)(Settings, n));
        auto.Fit([trend]);
        Assert.Equal("good", auto.Chosen!.Name);
        Assert.Equal(3, auto.CvOrigins);
        Assert.Equal(["good", "flat"], auto.Candidates.Select(c => c.Model));
        Assert.Equal(0, auto.Candidates[0].CvMase!.Value, 9);
        Assert.Equal(trend[^1] + 2, auto.Predict(4)[0][0]);
    }

    [Fact]
    public void AutoPerSeriesLetsEachSeriesTakeItsOwnBest()
    {
        var trend = Enumerable.Range(0, 40).Select(t => 5f + 2 * t).ToArray();
        var level = Enumerable.Range(0, 40).Select(t => 50f + (t % 2) * 0.5f).ToArray();
        var good = Fake("good", (h, n) => Enumerable.Range(1, n).Select(k => h.Span[^1] + 2f * k).ToArray());
        var flat = Fake("flat", FakeForecaster.Flat());
        var auto = new AutoForecaster(Settings, new AutoOptions { Candidates = "flat,good", Mode = AutoMode.Select, PerSeries = true }, n => Factory(good, flat)(Settings, n));
        auto.Fit([trend, level]);
        Assert.Equal(["good", "flat"], new[] { auto.DescriptionOf(0), auto.DescriptionOf(1) });
        var f = auto.Predict(4);
        Assert.Equal(trend[^1] + 2, f[0][0]);
        Assert.Equal(level[^1], f[1][0]);
        var shared = new AutoForecaster(Settings, new AutoOptions { Candidates = "flat,good", Mode = AutoMode.Select, PerSeries = false }, n => Factory(good, flat)(Settings, n));
        shared.Fit([trend, level]);
        Assert.Equal("flat", shared.Description); // one choice for all: good leaves the sane range on the level series, so it drops out
        Assert.Contains("sane range", shared.Candidates.Single(c => c.Model == "good").Dropped);
        Assert.True(auto.CombinationCvMase < shared.Candidates[0].CvMase / 2); // 0.25 against 0.5625
    }

    [Fact]
    public void AutoDropsFailingAndOutOfRangeCandidates()
    {
        var absurd = Fake("absurd", (h, n) => Enumerable.Repeat(1e6f, n).ToArray());
        var broken = Fake("broken", FakeForecaster.Flat(), throwsOn: _ => true);
        var auto = new AutoForecaster(Settings, new AutoOptions { Candidates = "absurd,broken,naive", Mode = AutoMode.Select }, n => Factory(absurd, broken)(Settings, n));
        auto.Fit([Wave(40)]);
        Assert.Equal("naive", auto.Chosen!.Name);
        Assert.Contains("sane range", auto.Candidates.Single(c => c.Model == "absurd").Dropped);
        Assert.Contains("cannot fit", auto.Candidates.Single(c => c.Model == "broken").Dropped);
    }

    [Theory]
    [InlineData(CombineBy.Median, 2f)]
    [InlineData(CombineBy.Mean, 13f / 3)]
    public void AutoCombinationIsTheMedianOrMeanOfItsMembers(CombineBy by, float offset)
    {
        var fakes = new[] { Fake("plus1", FakeForecaster.Flat(1)), Fake("plus2", FakeForecaster.Flat(2)), Fake("plus10", FakeForecaster.Flat(10)) };
        var options = new AutoOptions { Candidates = "plus1,plus2,plus10,naive", Mode = AutoMode.Combine, K = 3, Combine = by };
        var auto = new AutoForecaster(Settings, options, n => Factory(fakes)(Settings, n));
        var series = Enumerable.Range(0, 40).Select(t => 100f + 5 * t).ToArray(); // rising 5 a step: plus10, plus2, plus1 beat naive
        auto.Fit([series]);
        Assert.Equal(["plus1", "plus10", "plus2"], auto.Members.Select(m => m.Name).Order());
        Assert.DoesNotContain(auto.Members, m => m.Name == "naive");
        Assert.Equal(series[^1] + offset, auto.Predict(4)[0][0], 4);
        Assert.NotNull(auto.CombinationCvMase);
        Assert.Equal([1.5f, 3.5f], AutoForecaster.Combine([[1f, 3f], [2f, 5f], [9f, 4f], [0f, 2f]], CombineBy.Median)); // even count: mean of the middle two
    }
}
