using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>
/// <c>auto</c> with covariates: the candidates that use them get them in the cross-validation and in the final fit, the
/// others say once that they ignore them, and the commands run end to end with <c>--model auto</c>.
/// </summary>
[Collection("Console")]
public class AutoCovariateTests(ITestOutputHelper output)
{
    // Regression with (0,0,0)(0,1,0)[7] errors is exact for the promotion panel (seasonal differences leave 5 x the
    // promotion's differences and a little noise); without the promotion the same order is the seasonal naive.
    private static ForecastSettings Settings() => new()
    {
        Horizon = 7, SeasonalPeriod = 7, Ensemble = 1, Seed = 1, ArimaOrder = "0,0,0,0,1,0",
        Auto = new AutoOptions { Candidates = "naive,snaive,arima", Mode = AutoMode.Select, PerSeries = false },
    };

    private double Mase(TimeSeries data, ForecastSettings settings)
    {
        var m = Evaluation.Holdout(data, ["auto"], settings).Models.Single(x => x.Score.Model == "auto");
        Assert.True(m.Failures.Count == 0, string.Join("; ", m.Failures.Select(f => f.Reason)));
        var auto = Assert.IsType<AutoForecaster>(Assert.Single(m.Fitted));
        output.WriteLine($"auto {(data.Covariates is null ? "without" : "with")} the promotion: chose {auto.Description}, MASE {m.Score.Mase:F3}; "
            + string.Join(", ", auto.Candidates.Select(c => $"{c.Model} {c.CvMase:F3}")));
        return m.Score.Mase!.Value;
    }

    [Fact]
    public void AutoWithAFutureCovariateBeatsAutoWithout()
    {
        var data = CovariateModelTests.Promotions(_ => 5, 0.25, noise: 0.1);
        double with = Mase(data, Settings()), without = Mase(CovariateModelTests.Without(data), Settings());
        Assert.True(with < 0.2, $"auto with the promotion: MASE {with:F3}");
        Assert.True(without > 3 * with, $"auto without the promotion: MASE {without:F3} (with {with:F3})");
    }

    [Fact]
    public void TheCrossValidationGivesTheCandidatesTheirCovariates()
    {
        // With the covariates arima's cross-validated MASE is far below the seasonal naive's; without them it is the same model.
        var data = CovariateModelTests.Promotions(_ => 5, 0.25, noise: 0.1);
        var auto = new AutoForecaster(Settings(), Settings().Auto);
        auto.FitSeries(data);
        var scores = auto.Candidates.ToDictionary(c => c.Model, c => c.CvMase!.Value);
        Assert.True(scores["arima"] < 0.3 * scores["snaive"], $"arima {scores["arima"]:F3}, snaive {scores["snaive"]:F3}");
        Assert.Equal("arima", auto.Description);
        Assert.NotNull(auto.CovariateSchema);
        // The forecast reads the promotion over the horizon: series 0 continues as 10 + 3 sin(2 pi t / 7) + 5 promo(t).
        var forecast = auto.Predict(7);
        var s = data.Items[0];
        var promo = s.Covariates!.Future[0];
        for (int k = 0; k < 7; k++)
        {
            int t = s.Length + k;
            double expected = 10 + 3 * Math.Sin(2 * Math.PI * t / 7) + 5 * promo[t];
            Assert.True(Math.Abs(forecast[0][k] - expected) < 0.5, $"step {k}: forecast {forecast[0][k]:F3}, expected {expected:F3}");
        }
    }

    [Fact]
    public void MembersThatIgnoreTheCovariatesSaySoOnce()
    {
        var data = CovariateModelTests.Promotions(_ => 5, 0.25, noise: 0.1);
        var settings = Settings() with { Auto = Settings().Auto with { Mode = AutoMode.Combine, K = 2, Candidates = "snaive,arima" } };
        var auto = new AutoForecaster(settings, settings.Auto);
        auto.FitSeries(data);
        Assert.Equal(["arima", "snaive"], auto.Members.Select(m => m.Name));
        Assert.Single(auto.Warnings, w => w.Message == "snaive: ignores the covariates (future:promo)");
        Assert.DoesNotContain(auto.Warnings, w => w.Message.StartsWith("arima: ignores", StringComparison.Ordinal));
    }

    [Fact]
    public void AutoWhoseMembersIgnoreTheCovariatesForecastsWithoutFutureValues()
    {
        var data = CovariateModelTests.Promotions(_ => 5, 0.25, noise: 0.1);
        var settings = Settings() with { Auto = Settings().Auto with { Candidates = "naive,snaive" } };
        var auto = new AutoForecaster(settings, settings.Auto);
        auto.FitSeries(data);
        Assert.Null(auto.CovariateSchema);
        var s = data.Items[1];
        Assert.Equal(7, Assert.Single(auto.Predict([new ForecastInput(1, s.Values)], 7)).Length);
    }

    // Three daily series, 60 days plus 7 future rows: y = 10 + 4 promo + a weekly pattern + a little noise.
    private static string Data(ForecastFiles f)
    {
        var rng = new Rng(4);
        var sb = new System.Text.StringBuilder("series,date,value,promo\n");
        for (int s = 0; s < 3; s++)
            for (int t = 0; t < 67; t++)
            {
                int promo = rng.NextDouble() < 0.3 ? 1 : 0;
                double y = 10 + 4 * promo + 2 * Math.Sin(2 * Math.PI * t / 7) + 0.05 * rng.NextGaussian();
                string value = t < 60 ? y.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"s{s},{new DateTime(2024, 1, 1).AddDays(t):yyyy-MM-dd},{value},{promo}\n");
            }
        return f.Write("d.csv", sb.ToString());
    }

    private static ForecastArgs Args(string data) => new()
    {
        Data = data, Horizon = 7, HorizonGiven = true, Season = 7, Ensemble = 1, Seed = 2, Json = true, Models = "auto", ArimaOrder = "0,0,0,0,1,0",
        Covariates = new CovariateOptions { Future = "promo" }, Auto = new AutoOptions { Candidates = "snaive,arima", Mode = AutoMode.Select, PerSeries = false },
    };

    [Fact]
    public void ForecastEvaluateAndBacktestRunAutoWithCovariates()
    {
        using var f = new ForecastFiles();
        var data = Data(f);
        var (code, stdout, stderr) = Run((o, e) => ForecastCommand.Run(Args(data), o, e, interactive: false));
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal("auto (arima)", doc.RootElement.GetProperty("model").GetString());
            Assert.Equal(["future:promo"], doc.RootElement.GetProperty("covariates").EnumerateArray().Select(x => x.GetString()));
        }
        foreach (bool backtest in new[] { false, true })
        {
            var (c, json, err) = Run((o, e) => EvaluateCommand.Run(Args(data) with { Models = "auto", Origins = 2 }, o, e, interactive: false, backtest));
            Assert.True(c == 0, err);
            using var doc = JsonDocument.Parse(json);
            var auto = doc.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "auto");
            var snaive = doc.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "snaive");
            Assert.Equal("arima", auto.GetProperty("chosen").GetString());
            Assert.True(auto.GetProperty("mase").GetDouble() < 0.5 * snaive.GetProperty("mase").GetDouble(), json);
        }
    }

    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, int> run)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = run(stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
