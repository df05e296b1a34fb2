using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Theta;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>thetaf against R 4.2 + forecast 8.20 (tests/fixtures/forecast/theta_r.json, tools/reference/theta_fixtures.R).</summary>
public class ThetaParityTests(ITestOutputHelper output)
{
    /// <summary>Largest difference over the mean and both intervals, relative to the series scale.</summary>
    private static double Difference(ThetaForecast f, ThetaCase c)
    {
        double worst = 0, scale = Math.Max(c.Scale, 1e-12);
        foreach (var (ours, r) in new[] { (f.Mean, c.Mean), (f.Lower80, c.Lower80), (f.Upper80, c.Upper80), (f.Lower95, c.Lower95), (f.Upper95, c.Upper95) })
            for (int i = 0; i < r.Length; i++) worst = Math.Max(worst, Math.Abs(ours[i] - r[i]) / scale);
        return worst;
    }

    private static ThetaForecast FitAndForecast(ThetaCase c, out ThetaForecaster model)
    {
        model = new ThetaForecaster(c.Season);
        model.Fit([c.Train]);
        return model.Forecast(new ForecastInput(0, c.Train), c.Horizon);
    }

    [Fact]
    public void IntervalsAtAnyLevelAgreeWithRsAt80And95AndScaleByTheNormalQuantile()
    {
        var c = ThetaFixture.Cases.First(x => x.Season > 1);
        var f = FitAndForecast(c, out _);
        double scale = Math.Max(c.Scale, 1e-12);
        var (l80, u80) = f.Interval(80);
        var (l95, u95) = f.Interval(95);
        var (l90, u90) = f.Interval(90);
        for (int i = 0; i < c.Horizon; i++)
        {
            Assert.True(Math.Abs(l80[i] - c.Lower80[i]) / scale < 1e-9 && Math.Abs(u80[i] - c.Upper80[i]) / scale < 1e-9, $"80 % step {i}");
            Assert.True(Math.Abs(l95[i] - c.Lower95[i]) / scale < 1e-9 && Math.Abs(u95[i] - c.Upper95[i]) / scale < 1e-9, $"95 % step {i}");
            // qnorm(0.95) / qnorm(0.9): the 90 % half-width from the 80 % one
            Assert.Equal((u80[i] - f.Mean[i]) * (1.6448536269514722 / 1.2815515655446004), u90[i] - f.Mean[i], 1e-9 * scale);
            Assert.Equal(f.Mean[i] - l90[i], u90[i] - f.Mean[i], 1e-9 * scale);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Interval(100));
    }

    [Fact]
    public void EveryBenchmarkSeriesMatchesRsThetaf()
    {
        var cases = ThetaFixture.Cases;
        Assert.True(cases.Length >= 40, $"the fixture has {cases.Length} series");
        int close = 0, exact = 0;
        double worst = 0;
        string worstId = "";
        foreach (var c in cases)
        {
            var f = FitAndForecast(c, out var model);
            double d = Difference(f, c);
            Assert.Equal(c.Seasonal, f.Parameters.Seasonal);
            Assert.Equal(c.Alpha, f.Parameters.Alpha, 1e-9);
            Assert.Equal(c.Level0, f.Parameters.Level0, Math.Max(1e-9, 1e-9 * Math.Abs(c.Level0)));
            Assert.Equal(c.Drift, f.Parameters.Drift, Math.Max(1e-12, 1e-9 * Math.Abs(c.Drift)));
            Assert.Equal(c.Sigma2, f.Parameters.Sigma2, Math.Max(1e-15, 1e-9 * c.Sigma2));
            Assert.Empty(model.Warnings);
            if (d <= 0.01) close++;
            if (d <= 1e-6) exact++;
            if (d > worst) { worst = d; worstId = c.Id; }
        }
        output.WriteLine($"{close}/{cases.Length} within 1 % of scale, {exact}/{cases.Length} within 1e-6; largest difference / scale {worst:E3} ({worstId})");
        Assert.Equal(cases.Length, exact);
    }

    [Fact]
    public void PredictFromTheFittedSeriesGivesRsForecast()
    {
        var cases = ThetaFixture.Cases.Take(6).ToArray();
        var model = (ThetaForecaster)new ForecastSettings { SeasonalPeriod = cases[0].Season }.Create("theta");
        model.Fit(cases.Select(c => c.Train).ToList());
        var forecasts = model.Predict(cases[0].Horizon);
        for (int s = 0; s < cases.Length; s++)
            for (int i = 0; i < cases[s].Horizon; i++)
                Assert.Equal(cases[s].Mean[i], forecasts[s][i], Math.Max(1e-6 * Math.Abs(cases[s].Mean[i]), 1e-6)); // float output
    }

    [Theory]
    [InlineData("edge_constant")]
    [InlineData("edge_zero")]
    [InlineData("edge_n4")]
    [InlineData("edge_n5")]
    [InlineData("edge_n6_monthly")]
    [InlineData("edge_short_seasonal")]
    [InlineData("edge_zeros_seasonal")]
    public void EdgeCasesTakeRsPath(string id)
    {
        var c = ThetaFixture.Edge(id);
        var f = FitAndForecast(c, out _);
        Assert.Equal(c.Seasonal, f.Parameters.Seasonal);
        // n <= 6 goes through R's HoltWinters path (L-BFGS-B there, a golden-section search here): equal to the optimiser's tolerance
        double tolerance = c.Train.Length <= 6 ? 1e-4 : 1e-9;
        Assert.Equal(c.Alpha, f.Parameters.Alpha, tolerance);
        Assert.True(Difference(f, c) <= tolerance, $"{id}: difference {Difference(f, c):E3}");
    }

    [Fact]
    public void TwoValuesKeepRsStartingAlpha()
    {
        var c = ThetaFixture.Edge("edge_n2"); // a flat SSE: L-BFGS-B stays near its start 0.2 (R: 0.2000000000009)
        var f = FitAndForecast(c, out _);
        Assert.Equal(0.2, f.Parameters.Alpha, 1e-9);
        Assert.True(Difference(f, c) < 1e-9);
    }

    [Fact]
    public void NegativeSeasonalSeriesIsForecastWithoutSeasonAndWarned()
    {
        // R's thetaf forecasts NaN and 0 here (the indices are NaN or near zero, yet it multiplies by them)
        var c = ThetaFixture.Edge("edge_negative_seasonal");
        Assert.Contains(c.Mean, double.IsNaN);
        var model = new ThetaForecaster(c.Season);
        model.Fit([c.Train]);
        var f = model.Predict(c.Horizon)[0];
        Assert.All(f, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(model.Warnings, w => w.Message.Contains("seasonal", StringComparison.Ordinal));
        Assert.False(model.Parameters(0).Seasonal);
    }
}
