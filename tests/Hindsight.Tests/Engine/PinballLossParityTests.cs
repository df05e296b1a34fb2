using System.Globalization;
using Hindsight.Losses;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// The fused pinball loss against its PyTorch definition (tests/fixtures/pinball_loss.safetensors, written by
/// tools/reference/pinball_fixtures.py): one and several quantiles, (B, H, Q) and (B, H*Q) layouts with one target per
/// Q predictions, every reduction, ties (the gradient at d = 0) included; the value and both gradients.
/// </summary>
public class PinballLossParityTests(ITestOutputHelper output)
{
    private const string File = "pinball_loss";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        var quantiles = f.Meta($"{name}.quantiles").Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var r = name.EndsWith("_mean", StringComparison.Ordinal) ? Reduction.Mean : name.EndsWith("_sum", StringComparison.Ordinal) ? Reduction.Sum : Reduction.None;
        var input = f.Leaf($"{name}/input");
        var target = f.Leaf($"{name}/target");
        var y = Ops.PinballLoss(input, target, quantiles, r);
        Compare.Close(f.Get($"{name}/y"), y, $"{name} value", output);
        if (r == Reduction.None) Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        else y.Backward();
        Compare.Close(f.Get($"{name}/dinput"), input.Grad!, $"{name} d input", output);
        Compare.Close(f.Get($"{name}/dtarget"), target.Grad!, $"{name} d target", output);
    }

    [Fact]
    public void ModuleMatchesTheOp()
    {
        var f = new ParityFixture(File);
        var loss = new PinballLoss([0.1f, 0.5f, 0.9f], Reduction.Sum).Forward(f.Get("three_bhq_sum/input"), f.Get("three_bhq_sum/target"));
        Compare.Close(f.Get("three_bhq_sum/y"), loss, "PinballLoss module", output);
    }

    [Fact]
    public void RejectsBadQuantilesAndShapes()
    {
        var p = new Tensor(2, 6);
        Assert.Throws<ArgumentException>(() => Ops.PinballLoss(p, new Tensor(2, 6), ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.PinballLoss(p, new Tensor(2, 6), [1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.PinballLoss(p, new Tensor(2, 6), [0f]));
        Assert.Throws<ArgumentException>(() => Ops.PinballLoss(p, new Tensor(2, 5), [0.5f]));
        Assert.Throws<ArgumentException>(() => Ops.PinballLoss(p, new Tensor(2, 6), [0.1f, 0.5f, 0.9f, 0.95f]));
    }
}
