using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Tests.Forecasting.Probabilistic;

public class ProbabilisticMetricsTests
{
    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(1.3, -0.2, 0.7)]
    [InlineData(-4.0, 2.0, 3.0)]
    public void CrpsFromSamplesAndFromQuantilesMatchTheGaussianClosedForm(double y, double mean, double std)
    {
        double exact = ProbabilisticMetrics.GaussianCrps(y, mean, std);
        // 999 evenly spread quantiles: the quantile decomposition tends to the CRPS.
        var levels = Enumerable.Range(1, 999).Select(i => i / 1000.0).ToArray();
        var quantiles = levels.Select(q => (float)(mean + std * ProbabilisticMetrics.NormalQuantile(q))).ToArray();
        Assert.Equal(exact, ProbabilisticMetrics.CrpsFromQuantiles(y, quantiles, levels), exact * 0.01);
        // 20000 draws: the sample CRPS within 2 % (its standard error is well below that).
        var rng = new Rng(5);
        var samples = Enumerable.Range(0, 20000).Select(_ => (float)(mean + std * rng.NextGaussian())).ToArray();
        Assert.Equal(exact, ProbabilisticMetrics.CrpsFromSamples(y, samples), exact * 0.02);
    }

    [Fact]
    public void GaussianCrpsAtTheMeanIsTheKnownConstant()
    {
        // CRPS(N(0, s), 0) = s (2 phi(0) - 1 / sqrt(pi)) = s (sqrt(2) - 1) / sqrt(pi).
        Assert.Equal(2 * (Math.Sqrt(2) - 1) / Math.Sqrt(Math.PI), ProbabilisticMetrics.GaussianCrps(0, 0, 2), 1e-6);
    }

    [Fact]
    public void CrpsOfOneSampleIsTheAbsoluteError() =>
        Assert.Equal(2.5, ProbabilisticMetrics.CrpsFromSamples(1, [3.5f]), 12);

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(0.001, -3.090232306167813)]
    public void NormalQuantileMatchesQnorm(double p, double expected) =>
        Assert.Equal(expected, ProbabilisticMetrics.NormalQuantile(p), 1e-8);

    [Fact]
    public void NormalCdfInvertsTheQuantile()
    {
        foreach (double p in new[] { 0.01, 0.2, 0.5, 0.8, 0.99 })
            Assert.Equal(p, ProbabilisticMetrics.NormalCdf(ProbabilisticMetrics.NormalQuantile(p)), 1e-6);
    }

    [Fact]
    public void SampleQuantileIsRsType7() =>
        // R: quantile(c(1, 2, 4, 8), c(0.1, 0.5, 0.9)) = 1.3, 3.0, 6.8
        Assert.Equal([1.3, 3.0, 6.8], new[] { 0.1, 0.5, 0.9 }.Select(q => Math.Round(ProbabilisticMetrics.SampleQuantile([1, 2, 4, 8], q), 10)).ToArray());

    [Fact]
    public void PinballIsHalfTheAbsoluteErrorAtTheMedianAndAsymmetricElsewhere()
    {
        Assert.Equal(1.5, ProbabilisticMetrics.Pinball(4, 1, 0.5));
        Assert.Equal(0.3, ProbabilisticMetrics.Pinball(4, 1, 0.1), 12);   // under-forecast at a low level: cheap
        Assert.Equal(2.7, ProbabilisticMetrics.Pinball(1, 4, 0.1), 12);   // over-forecast at a low level: dear
    }

    [Fact]
    public void ConformalQuantilesAreSymmetricAroundTheForecast()
    {
        // 19 ramps of slopes 1..19: the naive one-step scores are 1..19.
        var series = Enumerable.Range(1, 19).Select(s => Enumerable.Range(0, 10).Select(t => (float)(s * t)).ToArray()).ToList();
        var c = ConformalQuantiles.Calibrate(() => new Hindsight.Forecasting.NaiveForecaster(), series, 1, 1, 1);
        var q = c.Quantiles([100f], [0.05, 0.5, 0.95]);
        Assert.Equal([82f], q[0]);   // coverage 0.9: rank 18
        Assert.Equal([100f], q[1]);
        Assert.Equal([118f], q[2]);
        Assert.True(c.Supports(0.9));
        Assert.False(c.Supports(0.99));
    }
}
