using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

public class ConformalIntervalsTests
{
    private static float[] Ramp(int length, float slope) => Enumerable.Range(0, length).Select(t => slope * t).ToArray();

    [Fact]
    public void WidthIsTheConformalRankOfTheAbsoluteErrors()
    {
        // 19 ramps with slopes 1..19; the naive one-step error of ramp i is its slope, so the scores are 1..19.
        // Level 0.9: rank ceil((19 + 1) * 0.9) = 18 -> width 18.
        var series = Enumerable.Range(1, 19).Select(s => Ramp(10, s)).ToList();
        var c = ConformalIntervals.Calibrate(() => new NaiveForecaster(), series, 1, 0.9, 1);
        Assert.Equal(19, c.Scores);
        Assert.Equal([18f], c.Width);
        // Level 0.5: rank 10.
        Assert.Equal([10f], ConformalIntervals.Calibrate(() => new NaiveForecaster(), series, 1, 0.5, 1).Width);
    }

    [Fact]
    public void PerStepWidthsGrowWithTheNaiveErrorOnARamp()
    {
        // One ramp of slope 2, 9 windows of 3: the naive error at step k is 2 (k + 1) in every window.
        var c = ConformalIntervals.Calibrate(() => new NaiveForecaster(), [Ramp(40, 2)], 3, 0.9, 9);
        Assert.Equal([2f, 4, 6], c.Width);
        var (lower, upper) = c.Apply([10f, 10, 10]);
        Assert.Equal([8f, 6, 4], lower);
        Assert.Equal([12f, 14, 16], upper);
        Assert.Throws<ArgumentException>(() => c.Apply(new float[4]));
    }

    [Fact]
    public void TooFewScoresOrBadLevelsAreClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConformalIntervals.Calibrate(() => new NaiveForecaster(), [Ramp(40, 1)], 2, 0.9, 5));
        Assert.Contains("need at least 9 calibration forecasts", ex.Message);
        Assert.Throws<ArgumentException>(() => ConformalIntervals.Calibrate(() => new NaiveForecaster(), [Ramp(40, 1)], 2, 1.0, 5));
        Assert.Contains("more than 40", Assert.Throws<ArgumentException>(() => ConformalIntervals.Calibrate(() => new NaiveForecaster(), [Ramp(40, 1)], 4, 0.5, 10)).Message);
    }

    [Fact]
    public void HoldoutReportsCoverageAndTheModelFileKeepsTheIntervals()
    {
        var series = ForecastFiles.Seasonal(3, 90);
        var data = new TimeSeries("s", Frequency.Periods, series.Select((v, i) => new Series($"s{i}", v, null)).ToList());
        var settings = new ForecastSettings { Horizon = 6, Lookback = 12, Hidden = 8, Epochs = 5 };
        var result = Evaluation.Holdout(data, ["ar"], settings, intervals: new IntervalOptions { Level = 80, CalibrationWindows = 4 });
        var ar = result.Models[1];
        Assert.All(ar.Forecasts, f => Assert.NotNull(f.Lower));
        int inside = ar.Forecasts.Sum(f => f.Actual.Where((y, k) => y >= f.Lower![k] && y <= f.Upper![k]).Count());
        Assert.Equal(inside / 18.0, ar.Score.Coverage!.Value, 12);
        Assert.Equal(ar.Forecasts.Average(f => f.Upper!.Zip(f.Lower!, (u, l) => (double)(u - l)).Average()), ar.Score.IntervalWidth!.Value, 1e-5);

        using var files = new ForecastFiles();
        var model = settings.Create("ar");
        model.Fit(series);
        var c = ConformalIntervals.Calibrate(() => settings.Create("ar"), series, 6, 0.8, 4);
        ForecastModelFile.Save(files.PathOf("ar.safetensors"), model, settings, ["s0", "s1", "s2"], Frequency.Periods, c);
        var loaded = ForecastModelFile.Load(files.PathOf("ar.safetensors"));
        Assert.NotNull(loaded.Intervals);
        Assert.Equal(c.Level, loaded.Intervals.Level);
        Assert.Equal(c.Scores, loaded.Intervals.Scores);
        Assert.Equal(c.Width, loaded.Intervals.Width);
    }

    [Fact]
    public void ForecastJsonCarriesBoundsAndAMismatchedLevelExitsTwo()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(2, 80));
        var a = new ForecastArgs { Data = data, Horizon = 6, Lookback = 12, Season = 12, Models = "ar", Json = true, Level = [90], ModelFile = f.PathOf("m.safetensors") };
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(a, o, e, interactive: false));
        o = new StringWriter();
        Assert.True(ForecastCommand.Run(a, o, e, interactive: false) == 0, e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        Assert.Equal(90, doc.RootElement.GetProperty("level").GetDouble());
        var s0 = doc.RootElement.GetProperty("series")[0];
        var fc = s0.GetProperty("forecast").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        var lo = s0.GetProperty("lower").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        var hi = s0.GetProperty("upper").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        for (int k = 0; k < 6; k++) Assert.True(lo[k] <= fc[k] && fc[k] <= hi[k]);
        var err = new StringWriter();
        Assert.Equal(2, ForecastCommand.Run(a with { Level = [80] }, new StringWriter(), err, interactive: false));
        Assert.Contains("intervals at 90%", err.ToString());
        Assert.Equal(2, EvaluateCommand.Run(a with { Level = [100] }, new StringWriter(), new StringWriter(), interactive: false, backtest: false));
    }
}
