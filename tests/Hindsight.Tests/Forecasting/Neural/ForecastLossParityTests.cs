using Hindsight.Losses;
using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Neural;

/// <summary>
/// sMAPE and MASE-scaled losses against PyTorch (tests/fixtures/forecast_losses.safetensors, written by
/// tools/reference/forecast_loss_fixtures.py): the value and the gradients of prediction and target, with the 0/0 = 0
/// convention and a row of scale 0.
/// </summary>
public class ForecastLossParityTests(ITestOutputHelper output)
{
    private const string File = "forecast_losses";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        var r = name.EndsWith("_mean", StringComparison.Ordinal) ? Reduction.Mean : name.EndsWith("_sum", StringComparison.Ordinal) ? Reduction.Sum : Reduction.None;
        var input = f.Leaf($"{name}/input");
        var target = f.Leaf($"{name}/target");
        var y = name.StartsWith("smape", StringComparison.Ordinal)
            ? Ops.SmapeLoss(input, target, r)
            : Ops.MaseLoss(input, target, f.Get($"{name}/scale"), r);
        Compare.Close(f.Get($"{name}/y"), y, $"{name} value", output);
        if (r == Reduction.None) Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        else y.Backward();
        Compare.Close(f.Get($"{name}/dinput"), input.Grad!, $"{name} d input", output);
        Compare.Close(f.Get($"{name}/dtarget"), target.Grad!, $"{name} d target", output);
    }

    [Theory]
    [InlineData("mase_mean")]
    [InlineData("mase_zero_mean")]
    public void MaseScaleMatchesTheReference(string name)
    {
        var f = new ParityFixture(File);
        int period = int.Parse(f.Meta("period"), System.Globalization.CultureInfo.InvariantCulture);
        var insample = f.Get($"{name}/insample");
        int rows = insample.Dim(0), n = insample.Dim(1);
        var scale = new Tensor(rows);
        for (int r = 0; r < rows; r++) scale.Data[r] = Ops.MaseScale(insample.Data.AsSpan(r * n, n), period);
        Compare.Close(f.Get($"{name}/scale"), scale, $"{name} scale", output);
    }

    [Fact]
    public void ZeroOverZeroIsZeroWithAZeroGradient()
    {
        var p = new Tensor([0f, 1f], 2) { RequiresGrad = true };
        var t = new Tensor([0f, -1f], 2) { RequiresGrad = true };
        var y = Ops.SmapeLoss(p, t, Reduction.Sum);
        Assert.Equal(2f, y.Item()); // 0 + 2*2/2
        y.Backward();
        Assert.Equal(0f, p.Grad!.Data[0]);
        Assert.Equal(0f, t.Grad!.Data[0]);
    }

    [Fact]
    public void LossModulesMatchTheOps()
    {
        var f = new ParityFixture(File);
        Compare.Close(f.Get("smape_sum/y"), new SmapeLoss(Reduction.Sum).Forward(f.Get("smape_sum/input"), f.Get("smape_sum/target")), "SmapeLoss module", output);
        Compare.Close(f.Get("mase_none/y"), new MaseLoss(f.Get("mase_none/scale"), Reduction.None).Forward(f.Get("mase_none/input"), f.Get("mase_none/target")), "MaseLoss module", output);
    }
}
