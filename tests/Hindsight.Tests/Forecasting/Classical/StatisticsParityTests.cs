using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>acf, thetaf's seasonality test and decompose against R (tests/fixtures/forecast/theta_r.json).</summary>
public class StatisticsParityTests
{
    private static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i])) { Assert.True(double.IsNaN(actual[i]), $"[{i}] expected NA, got {actual[i]}"); continue; }
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    public static TheoryData<string> DecomposedIds => [.. ThetaFixture.Cases.Where(c => c.Acf is not null).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(DecomposedIds))]
    public void AcfAndDecomposeMatchR(string id)
    {
        var c = ThetaFixture.Cases.Single(x => x.Id == id);
        var x = c.TrainDouble;
        Close(c.Acf!, Autocorrelation.Acf(x, 2 * c.Season), 1e-12);
        var d = ClassicalDecomposition.Decompose(x, c.Season, multiplicative: true);
        Close(c.DecomposeTrend!, d.Trend, 1e-12);
        Close(c.DecomposeFigure!, d.Figure, 1e-12);
        Close(c.DecomposeRandom!, d.Random, 1e-12);
        Close(c.AdditiveFigure!, ClassicalDecomposition.Decompose(x, c.Season, multiplicative: false).Figure, 1e-9);
        Assert.Equal(c.Season, d.Figure.Length);
        for (int t = 0; t < x.Length; t++) Assert.Equal(d.Figure[t % c.Season], d.Seasonal[t]);
    }

    [Fact]
    public void SeasonalityStatisticMatchesThetaf()
    {
        foreach (var c in ThetaFixture.Cases.Concat(ThetaFixture.Edges).Where(c => c.Mean.Length > 0))
        {
            var z = SeasonalityTest.Statistic(c.TrainDouble, c.Season);
            if (c.Statistic is double r)
            {
                Assert.NotNull(z);
                Assert.Equal(r, z.Value, 1e-9 * Math.Max(1, r));
            }
            else Assert.Null(z);
            Assert.Equal(c.Seasonal, SeasonalityTest.IsSeasonal(c.TrainDouble, c.Season));
        }
    }

    [Fact]
    public void TestIsSkippedWhereThetafSkipsIt()
    {
        double[] alternating = [.. Enumerable.Range(0, 24).Select(t => t % 4 == 0 ? 10.0 : 1.0)];
        Assert.NotNull(SeasonalityTest.Statistic(alternating[..9], 4)); // n = 9 > 2m
        Assert.Null(SeasonalityTest.Statistic(alternating[..8], 4));    // n = 2m: not tested (thetaf needs n > 2m)
        Assert.Null(SeasonalityTest.Statistic(alternating, 1));
        Assert.True(SeasonalityTest.IsSeasonal(alternating, 4));
        Assert.False(SeasonalityTest.IsSeasonal([.. Enumerable.Repeat(3.0, 30)], 4));
        Assert.True(SeasonalityTest.IsConstant([1, 1 + 1e-10, 1]));
        Assert.False(SeasonalityTest.IsConstant([1, 1 + 1e-6, 1]));
    }

    [Fact]
    public void HandComputedDecompositionOfAShortQuarterlySeries()
    {
        // m = 4: trend_t = (x_{t-2}/2 + x_{t-1} + x_t + x_{t+1} + x_{t+2}/2) / 4, defined for t = 2..n-3
        double[] x = [1, 2, 3, 4, 1, 2, 3, 4];
        var d = ClassicalDecomposition.Decompose(x, 4, multiplicative: false);
        Assert.True(double.IsNaN(d.Trend[0]) && double.IsNaN(d.Trend[1]) && double.IsNaN(d.Trend[6]) && double.IsNaN(d.Trend[7]));
        for (int t = 2; t <= 5; t++) Assert.Equal(2.5, d.Trend[t], 15);
        // detrended at t = 2..5: 0.5, 1.5, -1.5, -0.5 -> figure by position (t mod 4): [-1.5, -0.5, 0.5, 1.5] already mean 0
        Close([-1.5, -0.5, 0.5, 1.5], d.Figure, 1e-15);
        Assert.Throws<ArgumentException>(() => ClassicalDecomposition.Decompose(x[..7], 4, true));
        Close([1, 0.4, -0.1, -0.4, -0.4], Autocorrelation.Acf([1, 2, 3, 4, 5], 4), 1e-15); // c_k / c_0 with c_0 = 2 (R: acf(1:5))
    }
}
