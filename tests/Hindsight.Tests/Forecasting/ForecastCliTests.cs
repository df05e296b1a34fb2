using System.Text.Json;
using Hindsight.Cli;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

// Runs CliApp.Run, which writes to the process console: not beside the tests that capture it.
[Collection("Console")]
public class ForecastCliTests
{
    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, int> run)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = run(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static ForecastArgs Args(string data) => new()
    {
        Data = data, Horizon = 6, Lookback = 12, Season = 12, Hidden = 8, Epochs = 5, Seed = 2, Json = true, Models = "naive,ar,mlp",
    };

    [Fact]
    public void EvaluateJsonIsOneObjectWithEveryModelAndAChart()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(3, 60));
        var (code, stdout, stderr) = Run((o, e) => EvaluateCommand.Run(Args(data) with { Out = f.PathOf("out") }, o, e, interactive: false, backtest: false));
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("holdout", root.GetProperty("kind").GetString());
        Assert.Equal(3, root.GetProperty("series").GetInt32());
        Assert.Equal("monthly", root.GetProperty("frequency").GetString());
        var models = root.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["snaive", "naive", "ar", "mlp"], models.Select(m => m.GetProperty("name").GetString()));
        foreach (var m in models)
            foreach (var key in new[] { "mae", "rmse", "mape", "smape", "mase" })
                Assert.True(double.IsFinite(m.GetProperty(key).GetDouble()), key);
        Assert.Equal(5, models[3].GetProperty("epochsRun").GetInt32());
        var perSeries = models[2].GetProperty("perSeries").EnumerateArray().ToArray();
        Assert.Equal(["s0", "s1", "s2"], perSeries.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(models[2].GetProperty("mae").GetDouble(), perSeries.Average(p => p.GetProperty("mae").GetDouble()), 9); // one origin: the mean of the series
        var chart = root.GetProperty("files")[0].GetString()!;
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(chart)[..4]);
        Assert.Empty(Directory.GetFiles(f.PathOf("out"), "*.tmp"));
    }

    [Fact]
    public void BacktestJsonReportsOriginsAndRefit()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(2, 60));
        var (code, stdout, _) = Run((o, e) => EvaluateCommand.Run(Args(data) with { Origins = 3, Stride = 2, Models = "ar" }, o, e, interactive: false, backtest: true));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("backtest", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("origins").GetInt32());
        Assert.False(doc.RootElement.GetProperty("refit").GetBoolean());
        Assert.Equal(6, doc.RootElement.GetProperty("models")[1].GetProperty("forecastCount").GetInt32());
    }

    [Fact]
    public void TrainThenForecastFromTheFileEqualsTrainingInProcess()
    {
        using var f = new ForecastFiles();
        var series = ForecastFiles.Seasonal(2, 60);
        var data = f.WriteLong("s.csv", series);
        var file = f.PathOf("models/gru.safetensors");
        var a = Args(data) with { Models = "gru", ModelFile = file };
        var (code, stdout, stderr) = Run((o, e) => TrainCommand.Run(a, o, e, interactive: false));
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal("gru", doc.RootElement.GetProperty("model").GetString());
            // No validation tail by default: every window trains, no validation losses.
            Assert.True(doc.RootElement.GetProperty("epochsRun").GetInt32() > 0);
            Assert.Equal(0, doc.RootElement.GetProperty("validationLosses").GetArrayLength());
        }
        var (codeOut, stdoutOut, _) = Run((o, e) => TrainCommand.Run(a with { ModelFile = f.PathOf("again.safetensors"), Out = f.PathOf("train") }, o, e, interactive: false));
        Assert.Equal(0, codeOut);
        using (var doc = JsonDocument.Parse(stdoutOut)) Assert.Equal(f.PathOf("train/training.png"), doc.RootElement.GetProperty("files")[0].GetString());
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(f.PathOf("again.safetensors"))); // same seed: the same file, byte for byte
        var (code2, stdout2, stderr2) = Run((o, e) => ForecastCommand.Run(a with { Models = "unused" }, o, e, interactive: false));
        Assert.True(code2 == 0, stderr2);
        using var forecast = JsonDocument.Parse(stdout2);
        var s1 = forecast.RootElement.GetProperty("series")[1];
        Assert.Equal("s1", s1.GetProperty("id").GetString());
        Assert.Equal("2005-01", s1.GetProperty("periods")[0].GetString()); // 60 months from 2000-01
        var fromFile = s1.GetProperty("forecast").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        // The same settings trained here give the same forecast: the file holds everything (weights, config, scaler).
        var model = new ForecastSettings { Horizon = 6, Lookback = 12, SeasonalPeriod = 12, Hidden = 8, Epochs = 5, Seed = 2 }.Create("gru");
        model.Fit(series);
        Assert.Equal(model.Predict(6)[1], fromFile);
    }

    [Fact]
    public void ForecastWithoutAFileTrainsAndWritesAChart()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(1, 50));
        var (code, stdout, stderr) = Run((o, e) => ForecastCommand.Run(Args(data) with { Models = "snaive", Out = f.PathOf("o") }, o, e, interactive: false));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("series")[0].GetProperty("forecast").GetArrayLength());
        Assert.True(File.Exists(f.PathOf("o/forecast.png")));
    }

    [Fact]
    public void BadInputExitsTwoWithOneLineNamingTheProblem()
    {
        using var f = new ForecastFiles();
        var good = f.WriteLong("s.csv", ForecastFiles.Seasonal(1, 60));
        var gap = f.Write("gap.csv", "date,y\n2020-01-01,1\n2020-02-01,\n2020-03-01,3\n");
        var cases = new (ForecastArgs Args, string Fragment)[]
        {
            (Args(f.PathOf("missing.csv")), "file not found"),
            (Args(gap), "gap.csv:3: column y: missing value"),
            (Args(good) with { Models = "naive,prophet" }, "unknown model 'prophet'"),
            (Args(good) with { Fill = (MissingValuePolicy)9 }, "--fill: unknown '9'"),
            (Args(good) with { ValueColumn = "sales" }, "no such column"),
            (Args(good) with { Format = "gif" }, "unknown chart format"),
            (Args(good) with { PlotSeries = "nope", Out = f.PathOf("p") }, "--plot-series: no series 'nope'"),
            (Args(good) with { Strategy = (ForecastStrategy)9 }, "--strategy: unknown"),
            (Args(good) with { Level = [0] }, "--level must be greater than 0 and less than 100"),
            (Args(good) with { Level = [80, double.NaN] }, "--level must be greater than 0 and less than 100"),
            (Args(good) with { Probabilistic = new() { Quantiles = "0.1,1.5" } }, "--quantiles: '1.5' is not a level between 0 and 1"),
            (Args(good) with { Probabilistic = new() { Quantiles = "0.1,x" } }, "--quantiles: 'x' is not a level between 0 and 1"),
            (Args(good) with { Probabilistic = new() { Quantiles = "0.9,0.9" } }, "--quantiles: '0.9,0.9' names a level twice"),
            (Args(good) with { Probabilistic = new() { Quantiles = "0.5", Distribution = Hindsight.Forecasting.Probabilistic.OutputDistribution.Gaussian } }, "--quantiles: give either quantiles or a distribution"),
            (Args(good) with { Probabilistic = new() { Samples = 0 } }, "--samples must be"),
            (Args(good) with { Models = "ets", EtsModel = "XYZ" }, "--ets-model: model 'XYZ' must be three letters"),
            (Args(good) with { Models = "arima", ArimaOrder = "1,x,2" }, "--arima-order: order '1,x,2' must be auto"),
        };
        foreach (var (args, fragment) in cases)
        {
            var (code, stdout, stderr) = Run((o, e) => EvaluateCommand.Run(args, o, e, interactive: false, backtest: false));
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.Contains(fragment, stderr);
            Assert.Single(stderr.TrimEnd().Split('\n'));
        }
        // A model that cannot train on the data is reported as failed; the run goes on (exit 0).
        var shortData = f.WriteLong("short.csv", ForecastFiles.Seasonal(1, 20));
        var (failed, json, _) = Run((o, e) => EvaluateCommand.Run(Args(shortData) with { Models = "mlp" }, o, e, interactive: false, backtest: false));
        Assert.Equal(0, failed);
        Assert.Contains("series 's0' has 14 values; the 'mlp' model needs at least 12 + 6 = 18 to train (lookback 12, horizon 6).",
            JsonDocument.Parse(json).RootElement.GetProperty("models")[1].GetProperty("failed")[0].GetProperty("reason").GetString());
        var (c1, _, e1) = Run((o, e) => ForecastCommand.Run(Args(good) with { ModelFile = f.PathOf("none.safetensors") }, o, e, interactive: false));
        Assert.Equal(2, c1);
        Assert.Contains("model file not found", e1);
        var monthly = f.PathOf("monthly.safetensors");
        Assert.Equal(0, TrainCommand.Run(Args(good) with { Models = "ar", ModelFile = monthly }, new StringWriter(), new StringWriter(), interactive: false));
        var daily = f.Write("daily.csv", "date,value\n" + string.Concat(Enumerable.Range(0, 60).Select(d => $"{new DateTime(2020, 1, 1).AddDays(d):yyyy-MM-dd},{d % 7}\n")));
        var (c3, _, e3) = Run((o, e) => ForecastCommand.Run(Args(daily) with { ModelFile = monthly }, o, e, interactive: false));
        Assert.Equal(2, c3);
        Assert.Contains("the data is daily (day:1) but", e3);
        Assert.Contains("was trained on month:1 data", e3);
        var (c2, _, e2) = Run((o, e) => TrainCommand.Run(Args(good) with { Models = "ar,mlp", ModelFile = f.PathOf("m.safetensors") }, o, e, interactive: false));
        Assert.Equal(2, c2);
        Assert.Contains("one model", e2);
    }

    [Fact]
    public void CommandsAreRegisteredAndParseErrorsExitTwo()
    {
        var names = CliApp.CreateRoot().Subcommands.Select(c => c.Name).ToArray();
        foreach (var n in new[] { "evaluate", "backtest", "train", "forecast" }) Assert.Contains(n, names);
        Assert.Equal(2, CliApp.Run(["evaluate", "--data", "x.csv", "--horizon", "0"]));
        Assert.Equal(2, CliApp.Run(["backtest"])); // --data is required
    }

    [Fact]
    public void EveryCommandRunsThroughTheParser()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(2, 60));
        var file = f.PathOf("m.safetensors");
        string[] common = ["--data", data, "--horizon", "6", "--lookback", "12", "--hidden", "8", "--epochs", "3", "--json"];
        Assert.Equal(0, CliApp.Run(["train", .. common, "--model", "mlp", "--model-file", file]));
        Assert.True(File.Exists(file));
        Assert.Equal(0, CliApp.Run(["forecast", .. common, "--model-file", file, "--out", f.PathOf("o")]));
        Assert.True(File.Exists(f.PathOf("o/forecast.png")));
        Assert.Equal(0, CliApp.Run(["evaluate", .. common, "--models", "ar,mlp", "--strategy", "recursive"]));
        Assert.Equal(0, CliApp.Run(["backtest", .. common, "--models", "ar", "--origins", "2", "--refit", "--format", "svg", "--out", f.PathOf("b")]));
        Assert.True(File.Exists(f.PathOf("b/backtest.svg")));
        Assert.Equal(2, CliApp.Run(["evaluate", .. common, "--strategy", "sideways"]));
    }

    [Fact]
    public void ForecastUsesTheModelFilesHorizonUnlessOneIsGiven()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", ForecastFiles.Seasonal(2, 40));
        var file = f.PathOf("sn.safetensors");
        Assert.Equal(0, TrainCommand.Run(Args(data) with { Models = "snaive", Horizon = 4, ModelFile = file }, new StringWriter(), new StringWriter(), interactive: false));
        int Steps(ForecastArgs a)
        {
            var o = new StringWriter();
            Assert.Equal(0, ForecastCommand.Run(a, o, new StringWriter(), interactive: false));
            using var doc = JsonDocument.Parse(o.ToString());
            return doc.RootElement.GetProperty("series")[0].GetProperty("forecast").GetArrayLength();
        }
        Assert.Equal(4, Steps(Args(data) with { ModelFile = file }));                              // the file's horizon
        Assert.Equal(9, Steps(Args(data) with { ModelFile = file, Horizon = 9, HorizonGiven = true })); // snaive has no maximum
    }
}
