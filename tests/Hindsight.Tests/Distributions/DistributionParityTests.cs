using Hindsight.Distributions;
using Hindsight.Losses;
using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Distributions;

/// <summary>
/// The likelihood ops, the heads' links, means and quantiles against tools/reference/distribution_fixtures.py:
/// torch.distributions' Normal, StudentT and NegativeBinomial(total_count = 1/alpha, logits = ln(alpha mu)) in float64,
/// scipy's t.ppf and nbinom.ppf, and 50-digit mpmath gradients where float64 cancellation limits torch itself.
/// Cases include tiny scales, df near 2 with outliers, df up to 1e6, zero counts, counts near 1e5 and alpha near 1e-5.
/// </summary>
public class DistributionParityTests(ITestOutputHelper output)
{
    /// <summary>Relative to each tensor's largest magnitude (<see cref="Compare.Close(Tensor, Tensor, string, ITestOutputHelper?, double)"/>).</summary>
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Cases => DistributionFixture.Cases();

    private static (ParityFixture F, string Family, string[] Names) Open(string key) =>
        (new ParityFixture(DistributionFixture.File), key.Split('/')[0], DistributionFixture.ParameterNames(key.Split('/')[0]));

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossAndGradientsMatchPyTorch(string key)
    {
        var (f, family, names) = Open(key);
        Tape.Clear();
        var p = names.Select(n => f.Leaf($"{key}/{n}")).ToArray();
        var loss = DistributionFixture.Nll(family, p, f.Get($"{key}/target"), Reduction.Mean);
        Compare.Close(f.Get($"{key}/loss"), loss, $"{key} loss", output, Tolerance);
        loss.Backward();
        for (int j = 0; j < names.Length; j++)
        {
            // torch's float64 gradient and the 50-digit one (where the fixture has it): both must match.
            Compare.Close(f.Get($"{key}/d_{names[j]}"), p[j].Grad!, $"{key} d {names[j]} (torch)", output, Tolerance);
            if (f.Has($"{key}/mp_d_{names[j]}"))
                Compare.Close(f.Get($"{key}/mp_d_{names[j]}"), p[j].Grad!, $"{key} d {names[j]} (mpmath)", output, Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnreducedLossAndGradientsMatchPyTorch(string key)
    {
        var (f, family, names) = Open(key);
        Tape.Clear();
        var p = names.Select(n => f.Leaf($"{key}/{n}")).ToArray();
        var loss = DistributionFixture.Nll(family, p, f.Get($"{key}/target"), Reduction.None);
        Compare.Close(f.Get($"{key}/loss_none"), loss, $"{key} loss (none)", output, Tolerance);
        Ops.Sum(Ops.Mul(loss, f.Get($"{key}/g"))).Backward();
        for (int j = 0; j < names.Length; j++)
            Compare.Close(f.Get($"{key}/dnone_{names[j]}"), p[j].Grad!, $"{key} d {names[j]} (none)", output, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LinksThenLossMatchPyTorchFromRawOutputs(string key)
    {
        var (f, family, names) = Open(key);
        Tape.Clear();
        var raw = f.Leaf($"{key}/raw");
        var links = DistributionFixture.Head(family, 1).Links.ToArray();
        var p = Ops.SplitWithLinks(raw, links);
        for (int j = 0; j < names.Length; j++)
            Compare.Close(f.Get($"{key}/{names[j]}"), p[j], $"{key} {names[j]} = link(raw)", output, 1e-7);
        DistributionFixture.Nll(family, p, f.Get($"{key}/target"), Reduction.Mean).Backward();
        Compare.Close(f.Get($"{key}/draw"), raw.Grad!, $"{key} d raw", output, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MeansAndQuantilesMatchTheReference(string key)
    {
        var (f, family, names) = Open(key);
        var d = DistributionFixture.Create(family, names.Select(n => f.Get($"{key}/{n}")).ToArray());
        Compare.Close(f.Get($"{key}/mean"), d.Mean(), $"{key} mean", output, 1e-7);
        var expected = f.Get($"{key}/quantiles");
        var actual = d.Quantiles(DistributionFixture.Levels(f));
        if (family == "negbin")
            Assert.Equal(expected.Data, actual.Data); // counts: scipy's nbinom.ppf exactly
        else
            Compare.Close(expected, actual, $"{key} quantiles", output, 1e-6);
        Compare.Close(new Tensor(expected.Data.Where((_, i) => i % 5 == 2).ToArray(), expected.Shape[0]), d.Median(), $"{key} median", output, 1e-6);
    }
}
