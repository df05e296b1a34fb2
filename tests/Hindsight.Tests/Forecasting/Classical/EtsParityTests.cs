using Hindsight.Forecasting.Classical.Ets;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>Hindsight's ETS against R's forecast::ets on the fixture's series (see tools/reference/ets_fixtures.R).</summary>
public class EtsParityTests(ITestOutputHelper output)
{
    internal static EtsOptions OptionsFor(string key)
    {
        if (key == "ses") return new EtsOptions { Model = "ANN", Criterion = EtsCriterion.Mse };
        if (key == "auto") return new EtsOptions();
        bool damped = key.Contains('d', StringComparison.Ordinal);
        return new EtsOptions { Model = key.Replace("d", "", StringComparison.Ordinal), Damped = damped };
    }

    internal static double MaxRelDiff(double[] a, IReadOnlyList<double> b, double scale)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++) d = Math.Max(d, Math.Abs(a[i] - b[i]) / scale);
        return d;
    }

    private static double ParDiff(double? a, double? b) => (a, b) switch
    {
        (null, null) => 0,
        (double x, double y) => Math.Abs(x - y),
        _ => double.PositiveInfinity,
    };

    [Fact]
    public void Fixed_models_match_R()
    {
        int total = 0;
        double maxForecast = 0, maxInterval = 0, maxLogLik = 0, maxPar = 0, maxState = 0;
        var worst = new List<(double Diff, string What)>();
        foreach (var s in EtsFixture.All)
            foreach (var (key, r) in s.Fits)
            {
                if (key == "auto" || r.Fallback) continue;
                total++;
                var fit = Ets.Fit(s.Train, s.Season, OptionsFor(key)).Model;
                Assert.Equal(r.Model, fit.Spec.Code);
                var fc = fit.Forecast(s.Horizon, [80, 95]);
                double scale = s.Scale;
                double df = MaxRelDiff(fc.Mean, r.Mean, scale);
                double di = new[] { MaxRelDiff(fc.Lower[0], r.Lower80, scale), MaxRelDiff(fc.Upper[0], r.Upper80, scale),
                    MaxRelDiff(fc.Lower[1], r.Lower95, scale), MaxRelDiff(fc.Upper[1], r.Upper95, scale) }.Max();
                double dl = Math.Abs(fit.LogLikelihood - r.LogLik);
                double dp = new[] { ParDiff(fit.Alpha, r.Alpha), ParDiff(fit.Beta, r.Beta), ParDiff(fit.Gamma, r.Gamma), ParDiff(fit.Phi, r.Phi) }.Max();
                double ds = MaxRelDiff([.. fit.InitialStates], r.InitState, scale);
                maxForecast = Math.Max(maxForecast, df);
                maxInterval = Math.Max(maxInterval, di);
                maxLogLik = Math.Max(maxLogLik, dl);
                maxPar = Math.Max(maxPar, dp);
                if (fit.Spec.Season != EtsForm.Multiplicative) maxState = Math.Max(maxState, ds); // seasonal factors are not in the data's units
                worst.Add((df, $"{s.Id} {key}: forecast {df:E2} of scale, intervals {di:E2}, loglik {dl:E2}, parameters {dp:E2}, initial states {ds:E2}"));
            }
        foreach (var w in worst.OrderByDescending(w => w.Diff).Take(10)) output.WriteLine(w.What);
        output.WriteLine($"{total} fixed-model fits: largest differences: forecast {maxForecast:E2} and intervals {maxInterval:E2} of scale, " +
            $"loglik {maxLogLik:E2}, smoothing parameters {maxPar:E2}, initial states {maxState:E2} of scale");
        Assert.True(total > 100, $"only {total} fixed-model fits in the fixture");
        Assert.True(maxForecast < 1e-5, $"forecast differs by {maxForecast} of scale");
        Assert.True(maxInterval < 1e-5, $"interval differs by {maxInterval} of scale");
        Assert.True(maxLogLik < 1e-3, $"loglik differs by {maxLogLik}");
        Assert.True(maxPar < 1e-4, $"a smoothing parameter differs by {maxPar}");
        Assert.True(maxState < 1e-4, $"an initial state differs by {maxState} of scale");
    }

    [Fact]
    public void Automatic_choice_matches_R()
    {
        int total = 0, same = 0, within = 0;
        var lines = new List<(double, string)>();
        foreach (var s in EtsFixture.All)
        {
            if (!s.Fits.TryGetValue("auto", out var r) || r.Fallback) continue;
            total++;
            var fit = Ets.Fit(s.Train, s.Season).Model;
            bool match = fit.Spec.Code == r.Model;
            double df = MaxRelDiff(fit.Forecast(s.Horizon), r.Mean, s.Scale);
            if (match) { same++; if (df < 0.01) within++; }
            lines.Add((match ? df : 1 + df, $"{s.Id}: {fit.Spec.Code} (AICc {fit.Aicc:F3}) vs R {r.Model} (AICc {r.Aicc:F3}); forecast diff {df:E2} of scale"));
        }
        foreach (var l in lines.OrderByDescending(l => l.Item1).Take(15)) output.WriteLine(l.Item2);
        output.WriteLine($"auto: same model {same}/{total}, forecasts within 1% where same {within}/{same}");
        Assert.True(same >= 0.9 * total, $"same model on {same}/{total}");
        Assert.Equal(same, within);
    }
}
