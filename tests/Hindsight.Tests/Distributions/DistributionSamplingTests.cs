using Hindsight.Distributions;
using Xunit.Abstractions;

namespace Hindsight.Tests.Distributions;

/// <summary>
/// Samples from a fixed seed (so every run draws the same numbers) converge to the analytic means, variances and
/// quantiles: 40 000 draws per distribution; the mean within 4 standard errors, the variance within 5 %, and the fraction
/// of draws at or below each analytic quantile within 0.01 of its level (about 5 binomial standard errors at the median).
/// Negative binomial cases cover the Poisson sampler's inversion (rate below 10) and transformed-rejection (above) paths.
/// </summary>
public class DistributionSamplingTests(ITestOutputHelper output)
{
    private const int Draws = 40_000;
    private static readonly float[] Levels = [0.05f, 0.25f, 0.5f, 0.75f, 0.95f];

    public static TheoryData<string> Cases => new(["gaussian", "studentt_df5", "studentt_df2_5", "negbin_small", "negbin_large", "negbin_poisson_like", "negbin_overdispersed"]);

    private static (Distribution D, double Mean, double Variance) Make(string name) => name switch
    {
        "gaussian" => (new Gaussian(T(1.5f), T(2f)), 1.5, 4),
        "studentt_df5" => (new StudentT(T(5f), T(-1f), T(0.5f)), -1, 0.25 * 5 / 3),
        "studentt_df2_5" => (new StudentT(T(2.5f), T(3f), T(2f)), 3, double.NaN), // variance finite but the sample variance converges too slowly
        "negbin_small" => (new NegativeBinomial(T(4f), T(0.5f)), 4, 4 + 0.5 * 16),
        "negbin_large" => (new NegativeBinomial(T(200f), T(0.05f)), 200, 200 + 0.05 * 40000),
        "negbin_poisson_like" => (new NegativeBinomial(T(30f), T(1e-5f)), 30, 30 + 1e-5 * 900),
        "negbin_overdispersed" => (new NegativeBinomial(T(3f), T(8f)), 3, 3 + 8 * 9),
        _ => throw new ArgumentException(name),
    };

    private static Tensor T(float v) => new([v], 1);

    [Theory]
    [MemberData(nameof(Cases))]
    public void SampleMomentsAndQuantilesConvergeToTheAnalyticOnes(string name)
    {
        var (d, mean, variance) = Make(name);
        var samples = d.Sample(Draws, new Rng(2026)).Data;
        double sampleMean = samples.Average(v => (double)v);
        double sampleVariance = samples.Sum(v => (v - sampleMean) * (v - sampleMean)) / (Draws - 1);
        Assert.Equal(mean, d.Mean().Data[0], 5);
        double standardError = Math.Sqrt((double.IsNaN(variance) ? sampleVariance : variance) / Draws);
        output.WriteLine($"{name}: mean {sampleMean:G6} (analytic {mean}), variance {sampleVariance:G6} (analytic {variance:G6})");
        Assert.True(Math.Abs(sampleMean - mean) <= 4 * standardError, $"{name}: sample mean {sampleMean}, analytic {mean}, standard error {standardError}");
        if (!double.IsNaN(variance))
            Assert.True(Math.Abs(sampleVariance / variance - 1) <= 0.05, $"{name}: sample variance {sampleVariance}, analytic {variance}");
        var quantiles = d.Quantiles(Levels).Data;
        bool counts = d is NegativeBinomial;
        for (int j = 0; j < Levels.Length; j++)
        {
            double atOrBelow = samples.Count(v => v <= quantiles[j]) / (double)Draws;
            // For counts the CDF jumps: the quantile k satisfies P(Y < k) < level <= P(Y <= k).
            double below = samples.Count(v => v < quantiles[j]) / (double)Draws;
            output.WriteLine($"  level {Levels[j]}: quantile {quantiles[j]:G6}, sample fraction <= {atOrBelow:F4}" + (counts ? $", < {below:F4}" : ""));
            if (counts)
                Assert.True(below - 0.01 <= Levels[j] && Levels[j] <= atOrBelow + 0.01, $"{name} level {Levels[j]}: fraction below {below}, at or below {atOrBelow}");
            else
                Assert.True(Math.Abs(atOrBelow - Levels[j]) <= 0.01, $"{name} level {Levels[j]}: fraction at or below {atOrBelow}");
        }
    }

    [Fact]
    public void SamplingIsDeterministicForASeed()
    {
        var d = new NegativeBinomial(new Tensor([2f, 50f, 400f], 3), new Tensor([0.3f, 0.1f, 1e-4f], 3));
        Assert.Equal(d.Sample(100, new Rng(9)).Data, d.Sample(100, new Rng(9)).Data);
        Assert.NotEqual(d.Sample(100, new Rng(9)).Data, d.Sample(100, new Rng(10)).Data);
        var t = new StudentT(new Tensor([3f, 30f], 2), new Tensor([0f, 1f], 2), new Tensor([1f, 2f], 2));
        Assert.Equal(t.Sample(50, new Rng(9)).Data, t.Sample(50, new Rng(9)).Data);
        var shape = t.Sample(50, new Rng(1)).Shape.ToArray();
        Assert.Equal([50, 2], shape);
    }
}
