using Hindsight.Losses;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// Every loss with every reduction against PyTorch (tests/fixtures/engine_losses.safetensors): the value and the
/// gradient of the input (and of the target for the regression losses). Mean/sum losses back-propagate from the
/// loss itself; reduction none from sum(loss * g) with a random g.
/// </summary>
public class LossParityTests(ITestOutputHelper output)
{
    private const string File = "engine_losses";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    private static Reduction ReductionOf(string name) =>
        name.EndsWith("_mean", StringComparison.Ordinal) ? Reduction.Mean
        : name.EndsWith("_sum", StringComparison.Ordinal) ? Reduction.Sum
        : name.EndsWith("_none", StringComparison.Ordinal) ? Reduction.None
        : throw new ArgumentException($"case '{name}' names no reduction");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        var r = ReductionOf(name);
        var input = f.Leaf($"{name}/input");
        bool regression = f.Has($"{name}/dtarget");
        var target = regression ? f.Leaf($"{name}/target") : null;
        var classes = regression ? null : f.Indices($"{name}/target");

        Tensor y = name[..name.LastIndexOf('_')] switch
        {
            "mse" => Ops.MseLoss(input, target!, r),
            "l1" => Ops.L1Loss(input, target!, r),
            "huber_delta1" => Ops.HuberLoss(input, target!, r, delta: 1f),
            "huber_delta0p5" => Ops.HuberLoss(input, target!, r, delta: 0.5f),
            "cross_entropy" => Ops.CrossEntropyLoss(input, classes!, r),
            "nll" => Ops.NllLoss(input, classes!, r),
            var other => throw new ArgumentException($"fixture case '{name}' has no C# counterpart (loss '{other}')"),
        };
        Compare.Close(f.Get($"{name}/y"), y, $"{name} value", output);

        if (r == Reduction.None) Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        else y.Backward();
        Compare.Close(f.Get($"{name}/dinput"), input.Grad!, $"{name} d input", output);
        if (regression) Compare.Close(f.Get($"{name}/dtarget"), target!.Grad!, $"{name} d target", output);
    }

    [Fact]
    public void LossModulesMatchTheOps()
    {
        var f = new ParityFixture(File);
        var p = f.Get("huber_delta0p5_sum/input");
        var t = f.Get("huber_delta0p5_sum/target");
        Compare.Close(f.Get("huber_delta0p5_sum/y"), new HuberLoss(Reduction.Sum, 0.5f).Forward(p, t), "HuberLoss module", output);
        Compare.Close(f.Get("mse_mean/y"), new MseLoss().Forward(f.Get("mse_mean/input"), f.Get("mse_mean/target")), "MseLoss module", output);
        Compare.Close(f.Get("l1_none/y"), new L1Loss(Reduction.None).Forward(f.Get("l1_none/input"), f.Get("l1_none/target")), "L1Loss module", output);
        Compare.Close(f.Get("cross_entropy_mean/y"),
            new CrossEntropyLoss().Forward(f.Get("cross_entropy_mean/input"), f.Indices("cross_entropy_mean/target")), "CrossEntropyLoss module", output);
        Compare.Close(f.Get("nll_sum/y"), new NllLoss(Reduction.Sum).Forward(f.Get("nll_sum/input"), f.Indices("nll_sum/target")), "NllLoss module", output);
    }
}
