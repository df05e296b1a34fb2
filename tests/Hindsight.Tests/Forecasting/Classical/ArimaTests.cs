using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Arima;
using Hindsight.Forecasting.Classical.Optimization;
using Hindsight.Forecasting.Classical.Statistics;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>ARIMA, auto.arima, KPSS, STL and BFGS against R (tests/fixtures/forecast/arima_r.json).</summary>
public class ArimaTests(ITestOutputHelper output)
{
    // Bounds that keep the suite quick: fixed orders on series up to 300 values, auto.arima on series R searched within
    // 10 s (nino3, nino3.4, elnino and the slowest unemployment series take R 14-525 s; docs/forecasting.md reports them).
    private const int FixedMaxLength = 300;
    private const double AutoMaxRSeconds = 10;

    private static ArimaOrder OrderOf(JsonElement model)
    {
        var o = model.GetProperty("order").Numbers().Select(v => (int)v).ToArray();
        return new ArimaOrder(o[0], o[1], o[2], o[3], o[4], o[5], o[6]);
    }

    [Fact]
    public void BfgsFollowsOptimStepByStep()
    {
        foreach (var c in ArimaFixture.Root.GetProperty("bfgs").EnumerateArray())
        {
            // the same floating-point operations as the R functions (x^2 is x * x; sum from the left)
            Objective fn = c.GetProperty("name").GetString() == "rosenbrock"
                ? x => 100 * Sq(x[1] - Sq(x[0])) + Sq(1 - x[0])
                : x => Sq(x[0] - 1) * 1 + Sq(x[1] + 2) * 10 + Sq(x[2] - 3) * 100 + 0.1 * x[0] * x[1];
            var r = Bfgs.Minimize(fn, c.GetProperty("start").Numbers(), c.GetProperty("parscale").Numbers());
            var counts = c.GetProperty("counts").Numbers();
            Assert.Equal((int)counts[0], r.FunctionCount);
            Assert.Equal((int)counts[1], r.GradientCount);
            Assert.Equal(c.GetProperty("convergence").GetInt32(), r.Convergence);
            var par = c.GetProperty("par").Numbers();
            for (int i = 0; i < par.Length; i++) Assert.Equal(par[i], r.Par[i], 1e-10);
            Assert.Equal(c.GetProperty("value").GetDouble(), r.Value, 1e-12);
        }
    }

    [Fact]
    public void KpssNdiffsNsdiffsAndSeasonalStrengthMatchR()
    {
        int seasonal = 0;
        foreach (var s in ArimaFixture.Series)
        {
            var y = s.GetProperty("train").Numbers();
            int m = s.GetProperty("season").GetInt32();
            string id = s.GetProperty("id").GetString()!;
            double stat = Kpss.Statistic(y, s.GetProperty("kpss_lag").GetInt32());
            Assert.True(Math.Abs(stat - s.GetProperty("kpss").GetDouble()) <= 1e-9 * Math.Abs(stat), $"{id}: KPSS {stat} vs R {s.GetProperty("kpss").GetDouble()}");
            Assert.True(s.GetProperty("ndiffs").GetInt32() == UnitRoots.Ndiffs(y), $"{id}: ndiffs");
            if (s.GetProperty("nsdiffs").ValueKind == JsonValueKind.Null) continue;
            seasonal++;
            Assert.True(s.GetProperty("nsdiffs").GetInt32() == UnitRoots.Nsdiffs(y, m), $"{id}: nsdiffs");
            Assert.Equal(s.GetProperty("seasonal_strength").GetDouble(), UnitRoots.SeasonalStrength(y, m), 1e-9);
        }
        Assert.True(seasonal >= 10, $"only {seasonal} seasonal series in the fixture");
    }

    [Fact]
    public void StlMatchesR()
    {
        int checkedCount = 0;
        foreach (var s in ArimaFixture.Series)
        {
            if (s.GetProperty("stl").ValueKind == JsonValueKind.Null) continue;
            var y = s.GetProperty("train").Numbers();
            var fit = Stl.Decompose(y, s.GetProperty("season").GetInt32(), 11);
            var seasonal = s.GetProperty("stl").GetProperty("seasonal").Numbers();
            var trend = s.GetProperty("stl").GetProperty("trend").Numbers();
            double tol = 1e-10 * ArimaFixture.Scale(y);
            for (int i = 0; i < y.Length; i++)
            {
                Assert.Equal(seasonal[i], fit.Seasonal[i], tol);
                Assert.Equal(trend[i], fit.Trend[i], tol);
            }
            checkedCount++;
        }
        Assert.True(checkedCount >= 3);
    }

    [Fact]
    public void FixedOrdersMatchRsLikelihoodCoefficientsAndForecasts()
    {
        int total = 0, close = 0;
        double worstForecast = 0, worstLogLik = 0;
        foreach (var s in ArimaFixture.Series)
        {
            var y = s.GetProperty("train").Numbers();
            int h = s.GetProperty("horizon").GetInt32();
            double scale = ArimaFixture.Scale(y);
            if (y.Length > FixedMaxLength) continue;
            foreach (var f in s.GetProperty("fixed").EnumerateObject())
            {
                var spec = FixedSpec(f.Name, s.GetProperty("season").GetInt32());
                if (f.Value.IsError())
                {
                    // R's arima stopped (e.g. "non-stationary AR part from CSS"): so does this one
                    Assert.ThrowsAny<Exception>(() => ArimaModel.FitArima(y, spec.Order, includeMean: true, includeDrift: spec.Drift));
                    continue;
                }
                total++;
                Assert.Equal(spec.Order, OrderOf(f.Value));
                var model = ArimaModel.FitArima(y, spec.Order, includeMean: true, includeDrift: spec.Drift);
                var fc = model.Forecast(h);
                double dll = Math.Abs(model.LogLik - f.Value.GetProperty("loglik").GetDouble());
                double dfc = MaxDiff(f.Value.GetProperty("forecast").Numbers(), fc.Mean) / scale;
                double dint = MaxDiff(f.Value.GetProperty("upper95").Numbers(), fc.Upper[1]) / scale;
                double dcoef = MaxDiff(f.Value.GetProperty("coef").Numbers(), model.Fit.Coefficients);
                bool ok = dll <= 1e-3 && dfc <= 1e-3 && dint <= 1e-3 && dcoef <= 1e-2;
                if (ok) close++;
                else output.WriteLine($"{s.GetProperty("id").GetString()} {f.Name}: loglik {dll:E2} forecast {dfc:E2} interval {dint:E2} coef {dcoef:E2}");
                worstForecast = Math.Max(worstForecast, dfc);
                worstLogLik = Math.Max(worstLogLik, dll);
            }
        }
        output.WriteLine($"fixed orders: {close}/{total} match R; largest forecast difference {worstForecast:E2} of the scale, log-likelihood {worstLogLik:E2}");
        Assert.True(total >= 100);
        Assert.True(close >= 0.95 * total, $"{close}/{total} fixed-order fits match R");
    }

    [Fact]
    public void AutoArimaChoosesRsModelAndForecast()
    {
        int total = 0, same = 0, closeForecasts = 0;
        double worst = 0;
        foreach (var s in ArimaFixture.Series)
        {
            var auto = s.GetProperty("auto");
            if (auto.IsError() || s.GetProperty("auto_seconds").GetDouble() > AutoMaxRSeconds) continue;
            var y = s.GetProperty("train").Numbers();
            int m = s.GetProperty("season").GetInt32(), h = s.GetProperty("horizon").GetInt32();
            total++;
            var model = AutoArima.Fit(y, m);
            var ro = OrderOf(auto);
            bool match = model.Order with { Period = m } == ro with { Period = m } && model.HasDrift == auto.GetProperty("drift").GetBoolean()
                && model.HasMean == auto.GetProperty("mean").GetBoolean();
            if (!match)
            {
                output.WriteLine($"{s.GetProperty("id").GetString()}: {model} (AICc {model.Aicc:F3}) vs R {auto.GetProperty("method").GetString()} (AICc {auto.GetProperty("aicc").GetDouble():F3})");
                continue;
            }
            same++;
            double d = MaxDiff(auto.GetProperty("forecast").Numbers(), model.Forecast(h).Mean) / ArimaFixture.Scale(y);
            worst = Math.Max(worst, d);
            if (d <= 0.01) closeForecasts++;
        }
        output.WriteLine($"auto.arima: same model on {same}/{total}; largest forecast difference where it matches {worst:E2} of the scale");
        Assert.True(same >= 0.9 * total, $"same model on {same}/{total}");
        Assert.Equal(same, closeForecasts);
    }

    [Fact]
    public void SingleThreadFitIsTheSameAsTheTwoThreadFit()
    {
        // n rd^2 is above the two-thread threshold: the default fit splits its finite differences, singleThread does not
        var s = ArimaFixture.Series.First(e => e.GetProperty("season").GetInt32() == 12 && e.GetProperty("train").GetArrayLength() >= 100);
        var y = s.GetProperty("train").Numbers();
        var order = new ArimaOrder(1, 0, 1, 1, 1, 0, 12);
        var split = ArimaEstimator.Fit(y, order, null, "xreg", true, ArimaMethod.CssMl, null, deferVariance: false);
        var alone = ArimaEstimator.Fit(y, order, null, "xreg", true, ArimaMethod.CssMl, null, deferVariance: false, singleThread: true);
        Assert.Equal(split.Coefficients, alone.Coefficients);
        Assert.Equal(split.LogLik, alone.LogLik);
        Assert.Equal(split.VarianceDiagonal, alone.VarianceDiagonal);
    }

    [Fact]
    public void ForecasterFitsEachSeriesAndForecastsFromAnyHistory()
    {
        var s = ArimaFixture.Series.First(e => e.GetProperty("season").GetInt32() == 4);
        var y = Array.ConvertAll(s.GetProperty("train").Numbers(), v => (float)v);
        var model = new ForecastSettings { SeasonalPeriod = 4, Horizon = 8 }.Create("arima");
        model.Fit([y, [5, 5, 5, 5, 5, 5]]);
        var fitted = model.Predict(8);
        Assert.All(fitted[0], v => Assert.True(float.IsFinite(v)));
        Assert.All(fitted[1], v => Assert.Equal(5f, v)); // constant series: R's auto.arima repeats it
        Assert.Contains(model.Warnings, w => w.Series == 1);
        var origin = model.Predict([new ForecastInput(0, y.AsMemory(0, y.Length - 8))], 8)[0];
        Assert.All(origin, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(fitted[0], origin);
    }

    [Fact]
    public void GivenOrderIsRsArimaAndBadOrdersAreOneLineErrors()
    {
        var s = ArimaFixture.Series.First(e => !e.GetProperty("fixed").GetProperty("o111").IsError());
        var y = s.GetProperty("train").Numbers();
        int h = s.GetProperty("horizon").GetInt32();
        var model = new ArimaForecaster(s.GetProperty("season").GetInt32(), "1,1,1");
        model.Fit([Array.ConvertAll(y, v => (float)v)]);
        var expected = s.GetProperty("fixed").GetProperty("o111").GetProperty("forecast").Numbers();
        var got = model.Predict(h)[0];
        for (int i = 0; i < h; i++) Assert.Equal(expected[i], got[i], 1e-3 * ArimaFixture.Scale(y));
        Assert.Throws<ArgumentException>(() => new ArimaForecaster(12, "1,1"));
        Assert.Throws<ArgumentException>(() => new ArimaForecaster(12, "a,b,c"));
        var ex = Assert.Throws<ArgumentException>(() => new ArimaForecaster(1, "0,2,0").Fit([[1f, 2f]]));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void StationaryCovarianceEqualsGardnersQ0()
    {
        // random stationary ARMA (seasonal products included, via the transformed parameters) and pure MA / pure AR
        var rng = new Random(7);
        int checkedCount = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var o = new ArimaOrder(rng.Next(0, 4), 0, rng.Next(0, 4), rng.Next(0, 3), 0, rng.Next(0, 3), trial % 3 == 0 ? 1 : 4 + 8 * (trial % 2));
            if (o.Period == 1) o = o with { SeasonalP = 0, SeasonalQ = 0 };
            var raw = new double[o.ArmaCount];
            for (int i = 0; i < raw.Length; i++) raw[i] = rng.NextDouble() * 3 - 1.5;
            var (phi, theta) = ArimaEstimator.Expand(raw, o, true);
            if (Math.Max(phi.Length, theta.Length + 1) < 2) continue;
            var fast = StationaryCovariance.Compute(phi, theta)!;
            var slow = GardnerQ0.Compute(phi, theta);
            double scale = slow.Max(Math.Abs);
            for (int i = 0; i < slow.Length; i++) Assert.Equal(slow[i], fast[i], 1e-9 * scale);
            checkedCount++;
        }
        Assert.True(checkedCount >= 40);
        // an explosive AR part is not stationary: no covariance (the caller falls back to Gardner, as R)
        Assert.Null(StationaryCovariance.Compute([0.5, 0.6], [0.3]));
    }

    [Fact]
    public void IntervalsUseRsNormalQuantiles()
    {
        Assert.Equal(1.2815515655446004, NormalDistribution.Quantile(0.9), 1e-15);
        Assert.Equal(1.959963984540054, NormalDistribution.Quantile(0.975), 1e-15);
        Assert.Equal(-3.090232306167813, NormalDistribution.Quantile(0.001), 1e-14);
    }

    private static (ArimaOrder Order, bool Drift) FixedSpec(string name, int m) => name switch
    {
        "o111" => (new ArimaOrder(1, 1, 1, Period: m), false),
        "o200mean" => (new ArimaOrder(2, 0, 0, Period: m), false),
        "o011drift" => (new ArimaOrder(0, 1, 1, Period: m), true),
        "airline" => (new ArimaOrder(0, 1, 1, 0, 1, 1, m), false),
        _ => throw new ArgumentException(name),
    };

    private static double Sq(double v) => v * v;

    private static double MaxDiff(double[] a, IReadOnlyList<double> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
