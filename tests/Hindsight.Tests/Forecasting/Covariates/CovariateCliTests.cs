using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting.Covariates;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>The forecasting commands with --past/--future/--static/--calendar/--holidays: results, model files, and every bad input as one line, exit 2.</summary>
[Collection("Console")]
public class CovariateCliTests
{
    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, int> run)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = run(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    // Three daily series, 60 days: y = 10 + 4 promo + a weekly pattern; 7 future rows with an empty value.
    private static string Data(ForecastFiles f, string name = "d.csv", Func<int, int, string>? store = null)
    {
        var rng = new Rng(4);
        var sb = new System.Text.StringBuilder("series,date,value,promo,temp,store\n");
        for (int s = 0; s < 3; s++)
            for (int t = 0; t < 67; t++)
            {
                int promo = rng.NextDouble() < 0.3 ? 1 : 0;
                double y = 10 + 4 * promo + 2 * Math.Sin(2 * Math.PI * t / 7) + 0.1 * rng.NextGaussian();
                string value = t < 60 ? y.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"s{s},{new DateTime(2024, 1, 1).AddDays(t):yyyy-MM-dd},{value},{promo},{t % 5},{store?.Invoke(s, t) ?? (s == 0 ? "a" : "b")}\n");
            }
        return f.Write(name, sb.ToString());
    }

    private static ForecastArgs Args(string data, CovariateOptions covariates) => new()
    {
        Data = data, Horizon = 7, HorizonGiven = true, Lookback = 14, Season = 7, Hidden = 8, Epochs = 3, Ensemble = 1, Seed = 2, Json = true, Models = "mlp", Covariates = covariates,
    };

    private static readonly CovariateOptions All = new() { Past = "temp", Future = "promo", Static = "store", Calendar = "dow" };

    [Fact]
    public void EvaluateEchoesTheCovariatesAndArimaAndEtsRunBesideTheMlp()
    {
        using var f = new ForecastFiles();
        var (code, stdout, stderr) = Run((o, e) => EvaluateCommand.Run(Args(Data(f), All) with { Models = "mlp,ets,arima", ArimaOrder = "1,0,0" }, o, e, interactive: false, backtest: false));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(["past:temp", "future:promo", "future:dow_sin", "future:dow_cos", "static-categorical:store"],
            doc.RootElement.GetProperty("covariates").EnumerateArray().Select(x => x.GetString()));
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Contains(models["ets"].GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.StartsWith("ets: ignores the covariates", StringComparison.Ordinal));
        Assert.Contains(models["arima"].GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.StartsWith("arima: uses future covariates only", StringComparison.Ordinal));
        Assert.True(double.IsFinite(models["mlp"].GetProperty("mase").GetDouble()));
    }

    // gru: the recurrent decoder's weights (Networks.RecurrentDecoder) in the file, one network and an ensemble.
    [Theory]
    [InlineData("mlp", 1)]
    [InlineData("gru", 1)]
    [InlineData("gru", 2)]
    public void ForecastFromASavedModelReadsTheCovariatesAsTrainedAndEqualsTrainingInProcess(string model, int ensemble)
    {
        using var f = new ForecastFiles();
        var data = Data(f);
        var file = f.PathOf("m.safetensors");
        ForecastArgs Of(CovariateOptions covariates) => Args(data, covariates) with { Models = model, Ensemble = ensemble };
        var (code, stdout, stderr) = Run((o, e) => TrainCommand.Run(Of(All) with { ModelFile = file }, o, e, interactive: false));
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout)) Assert.Equal(5, doc.RootElement.GetProperty("covariates").GetArrayLength());
        // No covariate flags: the model file's own.
        var (code2, saved, stderr2) = Run((o, e) => ForecastCommand.Run(Of(new()) with { ModelFile = file, Models = "" }, o, e, interactive: false));
        Assert.True(code2 == 0, stderr2);
        var (code3, fresh, stderr3) = Run((o, e) => ForecastCommand.Run(Of(All), o, e, interactive: false));
        Assert.True(code3 == 0, stderr3);
        static float[][] Forecasts(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        }
        Assert.Equal(Forecasts(fresh), Forecasts(saved));
        using var d = JsonDocument.Parse(saved);
        Assert.Equal("2024-03-01", d.RootElement.GetProperty("series")[0].GetProperty("periods")[0].GetString());
    }

    [Fact]
    public void AForecastPastTheFutureRowsNamesSeriesDateAndColumn()
    {
        using var f = new ForecastFiles();
        var (code, _, stderr) = Run((o, e) => ForecastCommand.Run(Args(Data(f), All) with { Horizon = 9 }, o, e, interactive: false));
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("column promo: series 's0': future covariate 'promo' has no value for 2024-03-08", stderr);
    }

    [Fact]
    public void AStaticLevelUnseenInTrainingNamesTheSeries()
    {
        using var f = new ForecastFiles();
        var file = f.PathOf("m.safetensors");
        var (code, _, stderr) = Run((o, e) => TrainCommand.Run(Args(Data(f), All) with { ModelFile = file }, o, e, interactive: false));
        Assert.True(code == 0, stderr);
        var other = Data(f, "other.csv", (s, _) => s == 2 ? "c" : s == 0 ? "a" : "b");
        var (code2, _, stderr2) = Run((o, e) => ForecastCommand.Run(Args(other, new()) with { ModelFile = file, Models = "" }, o, e, interactive: false));
        Assert.Equal(2, code2);
        Assert.Single(stderr2.Trim().Split('\n'));
        Assert.Contains("series 's2'", stderr2);
        Assert.Contains("static covariate 'store': level 'c' was not seen in training", stderr2);
    }

    [Theory]
    [InlineData("missing column", "no covariate column 'price' (future)")]
    [InlineData("not a number", "future covariate 'store': 'a' is not a finite number")]
    [InlineData("static changes", "static covariate 'store' changes within series 's1'")]
    [InlineData("bad calendar", "calendar: unknown part 'fortnight'")]
    [InlineData("no holidays file", "--holidays")]
    public void BadCovariateInputIsOneLineExitTwo(string what, string expected)
    {
        using var f = new ForecastFiles();
        var data = what == "static changes" ? Data(f, store: (s, t) => s == 1 && t == 30 ? "z" : "b") : Data(f);
        var covariates = what switch
        {
            "missing column" => new CovariateOptions { Future = "promo,price" },
            "not a number" => new CovariateOptions { Future = "store" },
            "static changes" => new CovariateOptions { Future = "promo", Static = "store" },
            "bad calendar" => new CovariateOptions { Calendar = "dow,fortnight" },
            _ => new CovariateOptions { Holidays = f.PathOf("none.csv") },
        };
        var (code, _, stderr) = Run((o, e) => EvaluateCommand.Run(Args(data, covariates), o, e, interactive: false, backtest: false));
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr);
    }
}
