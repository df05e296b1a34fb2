using Xunit.Abstractions;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Theta;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>thetaf against R (tests/fixtures/forecast/theta_r.json): every benchmark series' training part.</summary>
public class ThetaParityTests(ITestOutputHelper output)
{
    private static double RelativeDifference(double[] ours, double[] r, double scale) =>
        ours.Zip(r, (a, b) => Math.Abs(a - b) / scale).Max();

    [Fact]
    public void ForecastsMatchRsThetaf()
    {
        var cases = ThetaFixture.Cases;
        var model = new ThetaForecaster(1);
        int close = 0, exact = 0;
        double worst = 0;
        string worstId = "";
        var lines = new List<string>();
        foreach (var c in cases)
        {
            var model2 = new ThetaForecaster(c.Season);
            model2.Fit([c.Train]);
            var f = model2.Forecast(new ForecastInput(0, c.Train), c.Horizon);
            double scale = c.Scale;
            double d = new[]
            {
                RelativeDifference(f.Mean, c.Mean, scale), RelativeDifference(f.Lower80, c.Lower80, scale), RelativeDifference(f.Upper80, c.Upper80, scale),
                RelativeDifference(f.Lower95, c.Lower95, scale), RelativeDifference(f.Upper95, c.Upper95, scale),
            }.Max();
            Assert.Equal(c.Seasonal, f.Parameters.Seasonal);
            if (d <= 0.01) close++;
            if (d <= 1e-6) exact++;
            if (d > worst) { worst = d; worstId = c.Id; }
            lines.Add($"{c.Id,-45} m={c.Season,2} n={c.Train.Length,3} alpha R {c.Alpha:F8} ours {f.Parameters.Alpha:F8}  l0 R {c.Level0:G10} ours {f.Parameters.Level0:G10}  max diff/scale {d:E2}");
        }
        foreach (var l in lines) output.WriteLine(l);
        output.WriteLine($"{close}/{cases.Length} within 1 % of scale, {exact}/{cases.Length} within 1e-6; largest {worst:E3} ({worstId})");
        Assert.True(close >= 0.9 * cases.Length, $"{close}/{cases.Length} series within 1 %");
        _ = model;
    }
}
