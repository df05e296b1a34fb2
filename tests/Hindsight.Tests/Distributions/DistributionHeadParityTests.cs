using Hindsight.Distributions;
using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Distributions;

/// <summary>
/// The heads end to end (Linear projection, links, likelihood; or Linear, monotone cumulative softplus, pinball loss)
/// against the PyTorch definitions in tools/reference/distribution_fixtures.py, with the fixture's weights loaded by
/// state-dict name: loss and the gradients of weight, bias and features.
/// </summary>
public class DistributionHeadParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Families => new(DistributionFixture.Families);

    public static TheoryData<string> MonotoneCases => ParityFixture.CaseNames(DistributionFixture.File, "monotone.cases");

    [Theory]
    [MemberData(nameof(Families))]
    public void DistributionHeadMatchesPyTorch(string family)
    {
        var f = new ParityFixture(DistributionFixture.File);
        string key = $"{family}/head";
        Tape.Clear();
        var head = DistributionFixture.Head(family, 5);
        head.LoadStateDict(new Dictionary<string, Tensor> { ["proj.weight"] = f.Get($"{key}/proj.weight"), ["proj.bias"] = f.Get($"{key}/proj.bias") });
        head.ZeroGrad();
        var features = f.Leaf($"{key}/features");
        var loss = head.Loss(features, f.Get($"{key}/target"));
        Compare.Close(f.Get($"{key}/loss"), loss, $"{key} loss", output, Tolerance);
        loss.Backward();
        Compare.Close(f.Get($"{key}/dweight"), head.Projection.Weight.Grad!, $"{key} d weight", output, Tolerance);
        Compare.Close(f.Get($"{key}/dbias"), head.Projection.Bias!.Grad!, $"{key} d bias", output, Tolerance);
        Compare.Close(f.Get($"{key}/dfeatures"), features.Grad!, $"{key} d features", output, Tolerance);
    }

    [Theory]
    [MemberData(nameof(MonotoneCases))]
    public void MonotoneQuantileHeadMatchesPyTorch(string name)
    {
        var f = new ParityFixture(DistributionFixture.File);
        string key = $"monotone/{name}";
        var levels = f.Meta($"{key}.levels").Split(',').Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Tape.Clear();
        var head = new MonotoneQuantileHead(5, levels, new Rng(1));
        head.LoadStateDict(new Dictionary<string, Tensor> { ["proj.weight"] = f.Get($"{key}/proj.weight"), ["proj.bias"] = f.Get($"{key}/proj.bias") });
        head.ZeroGrad();
        var features = f.Leaf($"{key}/features");
        var quantiles = head.Forward(features);
        Compare.Close(f.Get($"{key}/output"), quantiles, $"{key} output", output, 1e-6);
        AssertNonDecreasing(quantiles);
        var loss = head.Loss(features, f.Get($"{key}/target"));
        Compare.Close(f.Get($"{key}/loss"), loss, $"{key} loss", output, Tolerance);
        loss.Backward();
        Compare.Close(f.Get($"{key}/dweight"), head.Projection.Weight.Grad!, $"{key} d weight", output, Tolerance);
        Compare.Close(f.Get($"{key}/dbias"), head.Projection.Bias!.Grad!, $"{key} d bias", output, Tolerance);
        Compare.Close(f.Get($"{key}/dfeatures"), features.Grad!, $"{key} d features", output, Tolerance);
    }

    [Fact]
    public void MonotoneQuantilesNeverCrossEvenForExtremeWeights()
    {
        var rng = new Rng(7);
        var head = new MonotoneQuantileHead(6, [0.02f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 0.98f], rng);
        head.Projection.Weight.CopyFrom(Tensor.Randn(rng, 7, 6).Apply(v => v * 40));
        using (Tape.NoGrad())
        {
            var q = head.Forward(Tensor.Randn(rng, 200, 6).Apply(v => v * 10));
            AssertNonDecreasing(q);
            int ties = 0, k = 7;
            for (int i = 0; i < q.Length; i++) if (i % k != 0 && q.Data[i] == q.Data[i - 1]) ties++;
            Assert.True(ties > 0, "the extreme weights should drive some gaps to zero in float32 (else this test checks nothing hard)");
        }
    }

    private static void AssertNonDecreasing(Tensor q)
    {
        int k = q.Dim(-1);
        for (int i = 0; i < q.Length; i++)
            if (i % k != 0) Assert.True(q.Data[i] >= q.Data[i - 1], $"quantile {i % k} ({q.Data[i]}) below quantile {i % k - 1} ({q.Data[i - 1]}) in row {i / k}");
    }
}

internal static class TensorTestExtensions
{
    /// <summary>A copy with <paramref name="f"/> applied to every element.</summary>
    public static Tensor Apply(this Tensor t, Func<float, float> f) => new(t.Data.Select(f).ToArray(), t.Shape.ToArray());
}
