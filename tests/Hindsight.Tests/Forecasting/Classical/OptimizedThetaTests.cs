using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Theta;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>The optimised theta model (Fiorucci et al. 2016) on its defining properties.</summary>
public class OptimizedThetaTests(ITestOutputHelper output)
{
    [Fact]
    public void HandComputedRecursion()
    {
        // y = 1..4: A_n = 0, B_n = 1; ell_0 = 0.5, alpha = 0.5, theta = 2 (weight 1 - 1/theta = 0.5):
        // mu_1 = 0.5 + 0.5 (0 + 1) = 1; ell_1 = 0.75; mu_2 = 0.75 + 0.5 (1 - 0.25) / 0.5 = 1.5; ell_2 = 1.375; mu_3 = 2.25;
        // ell_3 = 2.1875; mu_4 = 3.125; ell_4 = 3.09375; mu_5 = 3.09375 + (1 - 0.5^5) = 4.0625; ell_5 = 3.578125; mu_6 = 4.5625
        var p = new OptimizedTheta.Parameters(0.5, 0.5, 2);
        var (f, _, note) = OptimizedTheta.Forecast([1, 2, 3, 4], 1, 2, dynamic: false, p);
        Assert.Null(note);
        Assert.Equal([4.0625, 4.5625], f.Mean);
        Assert.Equal((1 - 1.0) * (1 - 1.0) + (2 - 1.5) * (2 - 1.5) + (3 - 2.25) * (3 - 2.25) + (4 - 3.125) * (4 - 3.125),
            OptimizedTheta.Sse([1, 2, 3, 4], p, dynamic: false), 12);
        Assert.Equal(1.0, f.Parameters.Drift, 15); // B_n
    }

    [Fact]
    public void HandComputedDynamicRecursion()
    {
        // DOTM on y = 1, 2, 4 with ell_0 = 0, alpha = 0.5, theta = 2: mu_1 = A_1 = y_1 = 1, B_1 = 0, ell_1 = 0.5;
        // mu_2 = 0.5 + 0.5 (1 * 0.5) = 0.75; ell_2 = 1.25, B_2 = 1, A_2 = 0 (the line through (1,1), (2,2));
        // mu_3 = 1.25 + 0.5 (1 - 0.125) / 0.5 = 2.125; ell_3 = 2.625, B_3 = 1.5, A_3 = -2/3 (least squares on 1, 2, 4);
        // mu_4 = 2.625 + 0.5 (-2/3 * 0.125 + 1.5 (1 - 0.0625) / 0.5) = 383 / 96
        var p = new OptimizedTheta.Parameters(0, 0.5, 2);
        var (f, _, _) = OptimizedTheta.Forecast([1, 2, 4], 1, 1, dynamic: true, p);
        Assert.Equal(383.0 / 96, f.Mean[0], 14);
        Assert.Equal((4 - 2.125) * (4 - 2.125), OptimizedTheta.Sse([1, 2, 4], p, dynamic: true), 14); // errors from t = 3
    }

    [Fact]
    public void ThetaTwoWithThetafsAlphaIsThetaf()
    {
        // theta = 2 and thetaf's alpha, with ell_0 chosen so that mu_1 = thetaf's l_0 (ell_0 = l_0 - (A_n + B_n) / 2),
        // reproduce thetaf's non-seasonal forecasts exactly: the OTM is SES with drift B_n / 2.
        int checkedSeries = 0;
        foreach (var c in ThetaFixture.Cases.Where(c => !c.Seasonal))
        {
            var y = c.TrainDouble;
            var (a, b) = OptimizedTheta.Line(y);
            var p = new OptimizedTheta.Parameters(c.Level0 - (a + b) / 2, c.Alpha, 2);
            var (f, _, _) = OptimizedTheta.Forecast(y, c.Season, c.Horizon, dynamic: false, p);
            for (int i = 0; i < c.Horizon; i++) Assert.Equal(c.Mean[i], f.Mean[i], 1e-9 * c.Scale);
            Assert.Equal(c.Drift * 2, b, 1e-9 * Math.Max(1, Math.Abs(b)));
            checkedSeries++;
        }
        Assert.True(checkedSeries >= 20);
    }

    [Fact]
    public void OptimisedSseIsNoWorseThanTheStandardThetaLine()
    {
        int better = 0, total = 0;
        foreach (var c in ThetaFixture.Cases.Where(c => !c.Seasonal))
        {
            var y = c.TrainDouble;
            var (a, b) = OptimizedTheta.Line(y);
            double standard = OptimizedTheta.Sse(y, new OptimizedTheta.Parameters(c.Level0 - (a + b) / 2, c.Alpha, 2), dynamic: false);
            var model = new OptimizedThetaForecaster(c.Season);
            model.Fit([c.Train]);
            var p = model.Parameters(0);
            double optimised = OptimizedTheta.Sse(y, new OptimizedTheta.Parameters(p.Level0, p.Alpha, p.Theta), dynamic: false);
            // thetaf's alpha may lie outside the OTM's [0.1, 0.99]; then the comparison is not between nested models
            if (c.Alpha >= 0.1 && c.Alpha <= 0.99)
            {
                Assert.True(optimised <= standard * (1 + 1e-6), $"{c.Id}: OTM SSE {optimised} > theta = 2 SSE {standard}");
                total++;
                if (optimised < standard) better++;
            }
            Assert.InRange(p.Alpha, 0.1, 0.99);
            Assert.True(p.Theta >= 1);
        }
        output.WriteLine($"OTM lower than theta = 2 on {better}/{total} comparable series");
        Assert.True(total >= 3);
    }

    [Fact]
    public void ForecastsAreFiniteOnEveryBenchmarkAndEdgeSeries()
    {
        foreach (bool dynamic in new[] { false, true })
            foreach (var c in ThetaFixture.Cases.Concat(ThetaFixture.Edges))
            {
                var model = new OptimizedThetaForecaster(c.Season, dynamic);
                model.Fit([c.Train]);
                var f = model.Forecast(new ForecastInput(0, c.Train), c.Horizon);
                Assert.All(f.Mean.Concat(f.Lower95).Concat(f.Upper95), v => Assert.True(double.IsFinite(v), $"{model.Name} {c.Id}: {v}"));
                for (int i = 0; i < c.Horizon; i++) Assert.True(f.Lower95[i] <= f.Lower80[i] && f.Lower80[i] <= f.Mean[i] && f.Mean[i] <= f.Upper80[i] && f.Upper80[i] <= f.Upper95[i]);
                // a linear trend plus noise-free data is followed: the forecast stays within a sane range of the history
                double lo = c.Train.Min(), hi = c.Train.Max(), span = Math.Max(hi - lo, 1);
                Assert.All(f.Mean, v => Assert.InRange(v, lo - 3 * span, hi + 3 * span));
            }
    }

    [Fact]
    public void ConstantAndTrendSeries()
    {
        var model = new OptimizedThetaForecaster(1);
        model.Fit([[.. Enumerable.Repeat(7f, 20)], [.. Enumerable.Range(0, 30).Select(t => 3f + 2f * t)]]);
        var f = model.Predict(3);
        Assert.All(f[0], v => Assert.Equal(7f, v, 1e-3f));
        // an exact line: the OTM extrapolates it (theta large, the line's weight -> 1)
        for (int i = 0; i < 3; i++) Assert.Equal(3f + 2f * (30 + i), f[1][i], 0.05f);
    }

    [Fact]
    public void BacktestOriginRefiltersWithFittedParameters()
    {
        var c = ThetaFixture.Cases.First(x => x.Season == 12 && x.Seasonal);
        foreach (string name in new[] { "theta", "otm", "dotm" })
        {
            var model = new ForecastSettings { SeasonalPeriod = c.Season }.Create(name);
            model.Fit([c.Train]);
            var prefix = c.Train.AsMemory(0, c.Train.Length - 12);
            var again = model.Predict([new ForecastInput(0, prefix), new ForecastInput(0, prefix)], 6);
            Assert.Equal(again[0], again[1]);
            Assert.All(again[0], v => Assert.True(float.IsFinite(v)));
            Assert.Equal(name, model.Name);
        }
        // thetaf from a prefix = the method on that prefix with the fitted alpha and l_0
        var theta = new ThetaForecaster(c.Season);
        theta.Fit([c.Train]);
        var p = theta.Parameters(0);
        var expected = ThetaMethod.Forecast(c.TrainDouble[..^12], c.Season, 6, new RSes(), p.Alpha, p.Level0).Forecast.Mean;
        var actual = theta.Predict([new ForecastInput(0, c.Train.AsMemory(0, c.Train.Length - 12))], 6)[0];
        for (int i = 0; i < 6; i++) Assert.Equal((float)expected[i], actual[i]);
    }

    [Fact]
    public void DynamicModelDiffersFromStaticAndBothAreRegistered()
    {
        var c = ThetaFixture.Cases.First(x => x.Season == 1);
        var otm = new OptimizedThetaForecaster(1);
        var dotm = new OptimizedThetaForecaster(1, dynamic: true);
        otm.Fit([c.Train]);
        dotm.Fit([c.Train]);
        Assert.NotEqual(otm.Predict(4)[0], dotm.Predict(4)[0]);
        Assert.Contains("theta", ForecastSettings.ModelNames);
        Assert.Contains("otm", ForecastSettings.ModelNames);
        Assert.Contains("dotm", ForecastSettings.ModelNames);
    }
}
