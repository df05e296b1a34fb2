using Hindsight.Distributions;
using Hindsight.Losses;
using Xunit.Abstractions;

namespace Hindsight.Tests.Distributions;

/// <summary>
/// The hand-written backward passes against central differences of their own forward (independent of the fixture):
/// each likelihood op per parameter, the links, and the monotone cumulative softplus; plus the special functions at
/// known values and the large-df series where it takes over from digamma.
/// </summary>
public class DistributionGradientCheckTests(ITestOutputHelper output)
{
    /// <summary>Central differences in float32 with step 1e-2 x |value| carry about 1e-5 of rounding and 1e-4 of truncation.</summary>
    private const double Tolerance = 2e-3;

    public static TheoryData<string> Families => new(DistributionFixture.Families);

    [Theory]
    [MemberData(nameof(Families))]
    public void LikelihoodGradientsMatchCentralDifferences(string family)
    {
        var rng = new Rng(11);
        const int n = 16;
        var names = DistributionFixture.ParameterNames(family);
        // Moderate parameters (the fixture covers the extremes): positive ones in [0.5, 3.5], df in [2.5, 8.5], means in [1, 9].
        var p = names.Select(name => new Tensor(Enumerable.Range(0, n).Select(_ => name switch
        {
            "loc" => (float)rng.NextGaussian(),
            "df" => 2.5f + 6 * rng.NextFloat(),
            "mu" => 1 + 8 * rng.NextFloat(),
            _ => 0.5f + 3 * rng.NextFloat(),
        }).ToArray(), n)
        { RequiresGrad = true }).ToArray();
        var target = new Tensor(Enumerable.Range(0, n).Select(_ => family == "negbin" ? rng.NextInt(12) : (float)(2 * rng.NextGaussian())).ToArray(), n);
        Tape.Clear();
        DistributionFixture.Nll(family, p, target, Reduction.Sum).Backward();
        for (int j = 0; j < p.Length; j++)
            for (int i = 0; i < n; i++)
            {
                float saved = p[j].Data[i], h = 1e-2f * Math.Max(1f, Math.Abs(saved));
                double Loss(float v)
                {
                    p[j].Data[i] = v;
                    using var _ = Tape.NoGrad();
                    double value = DistributionFixture.Nll(family, p, target, Reduction.Sum).Item();
                    p[j].Data[i] = saved;
                    return value;
                }
                double numeric = (Loss(saved + h) - Loss(saved - h)) / (2 * h);
                double analytic = p[j].Grad!.Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= Tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"{family} d {names[j]}[{i}]: analytic {analytic}, central difference {numeric}");
            }
        output.WriteLine($"{family}: {p.Length * n} gradients within {Tolerance} of central differences");
    }

    [Fact]
    public void LinkAndMonotoneCumsumGradientsMatchCentralDifferences()
    {
        var rng = new Rng(5);
        var x = new Tensor(Enumerable.Range(0, 24).Select(_ => (float)(3 * rng.NextGaussian())).ToArray(), 4, 2, 3) { RequiresGrad = true };
        var weights = Tensor.Randn(rng, 4, 2, 3);
        var linkWeights = Enumerable.Range(0, 3).Select(_ => Tensor.Randn(rng, 4, 2)).ToArray();
        ParameterLink[] links = [ParameterLink.Softplus(2f), ParameterLink.Identity, ParameterLink.Softplus()];
        Tensor Objective(Tensor input)
        {
            var parts = Ops.SplitWithLinks(input, links);
            var total = Ops.Sum(Ops.Mul(Ops.MonotoneCumsum(input), weights));
            for (int j = 0; j < 3; j++) total = Ops.Add(total, Ops.Sum(Ops.Mul(parts[j], linkWeights[j])));
            return total;
        }
        Tape.Clear();
        Objective(x).Backward();
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x.Data[i], h = 1e-2f;
            double Value(float v) { x.Data[i] = v; using var _ = Tape.NoGrad(); double r = Objective(x).Item(); x.Data[i] = saved; return r; }
            double numeric = (Value(saved + h) - Value(saved - h)) / (2 * h);
            Assert.True(Math.Abs(numeric - x.Grad!.Data[i]) <= Tolerance * Math.Max(1, Math.Abs(numeric)),
                $"x[{i}]: analytic {x.Grad!.Data[i]}, central difference {numeric}");
        }
    }

    [Fact]
    public void SpecialFunctionsHitKnownValues()
    {
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 14);
        Assert.Equal(0, SpecialFunctions.LogGamma(1), 14);
        Assert.Equal(Math.Log(362880), SpecialFunctions.LogGamma(10), 13);
        Assert.Equal(857.93366982585743, SpecialFunctions.LogGamma(200), 10); // ln(199!)
        Assert.Equal(-0.57721566490153286, SpecialFunctions.Digamma(1), 14); // -Euler's gamma
        Assert.Equal(-0.57721566490153286 - 2 * Math.Log(2), SpecialFunctions.Digamma(0.5), 14);
        Assert.Equal(4.302652729911275, StandardQuantiles.StudentT(0.975, 2), 9);
        Assert.Equal(2.228138851986274, StandardQuantiles.StudentT(0.975, 10), 9);
        Assert.InRange(StandardQuantiles.Normal(0.975) - 1.959963984540054, -3e-9, 3e-9); // Acklam: 1.2e-9 relative
        Assert.InRange(StandardQuantiles.Normal(1e-6) + 4.753424308822899, -1e-8, 1e-8);
    }

    [Fact]
    public void LargeDfSeriesContinuesTheDigammaFormula()
    {
        // At df = 40 the series takes over; just below it the digamma difference is still accurate to ~1e-14 absolute.
        foreach (double df in new[] { 39.999, 40.0, 40.001 })
        {
            double direct = 0.5 / df + 0.5 * (SpecialFunctions.Digamma(df / 2) - SpecialFunctions.Digamma(df / 2 + 0.5));
            double used = Ops.StudentTDfConstant(df);
            Assert.True(Math.Abs(direct - used) <= 1e-9 * Math.Abs(direct), $"df {df}: digamma form {direct}, used {used}");
        }
    }
}
