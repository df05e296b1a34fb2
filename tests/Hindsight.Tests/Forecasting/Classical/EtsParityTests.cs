using Xunit.Abstractions;
using Hindsight.Forecasting.Classical.Ets;

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

    [Fact]
    public void Fixed_models_match_R()
    {
        int total = 0, close = 0;
        var worst = new List<(double Diff, string What)>();
        foreach (var s in EtsFixture.All)
            foreach (var (key, r) in s.Fits)
            {
                if (key == "auto" || r.Fallback) continue;
                total++;
                var fit = Ets.Fit(s.Train, s.Season, OptionsFor(key)).Model;
                var fc = fit.Forecast(s.Horizon, [80, 95]);
                double scale = s.Scale;
                double df = MaxRelDiff(fc.Mean, r.Mean, scale);
                double dl = Math.Abs(fit.LogLikelihood - r.LogLik);
                double di = Math.Max(MaxRelDiff(fc.Upper[1], r.Upper95, scale), MaxRelDiff(fc.Lower[0], r.Lower80, scale));
                if (df < 1e-3 && dl < 1e-2) close++;
                worst.Add((df, $"{s.Id} {key}: forecast {df:E2} of scale, loglik {fit.LogLikelihood:F4} vs {r.LogLik:F4}, interval {di:E2}, alpha {fit.Alpha:F6} vs {r.Alpha:F6}"));
            }
        foreach (var w in worst.OrderByDescending(w => w.Diff).Take(15)) output.WriteLine(w.What);
        output.WriteLine($"fixed models: {close}/{total} within 1e-3 of scale and 0.01 loglik");
        Assert.True(close >= 0.9 * total, $"{close}/{total}");
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
