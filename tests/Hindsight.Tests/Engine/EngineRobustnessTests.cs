using Hindsight.Layers;
using Hindsight.Serialization;

namespace Hindsight.Tests.Engine;

public class EngineRobustnessTests
{
    [Fact]
    public void GradientsAccumulateOverBackwardCallsUntilZeroed()
    {
        var w = Tensor.FromArray([1f, 2f, 3f]);
        w.RequiresGrad = true;
        var x = Tensor.FromArray([0.5f, -1f, 2f]);
        Ops.Sum(Ops.Mul(w, x)).Backward();
        Assert.Equal(x.Data, w.Grad!.Data);
        Ops.Sum(Ops.Mul(w, x)).Backward();
        Assert.Equal([1f, -2f, 4f], w.Grad!.Data);
        w.ZeroGrad();
        Assert.Equal([0f, 0f, 0f], w.Grad!.Data);
    }

    [Fact]
    public void NoGradScopeDisposedTwiceDoesNotDisableAutograd()
    {
        var scope = Tape.NoGrad();
        Assert.False(Tape.IsRecording);
        scope.Dispose();
        scope.Dispose();
        Assert.True(Tape.IsRecording);
        var w = Tensor.FromArray([2f]);
        w.RequiresGrad = true;
        Ops.Sum(Ops.Mul(w, w)).Backward();
        Assert.Equal(4f, w.Grad!.Data[0]);
    }

    [Fact]
    public void FailedLoadStateDictChangesNothing()
    {
        var model = new Sequential(new Linear(3, 4, rng: new Rng(1)), new Tanh(), new Linear(4, 2, rng: new Rng(2)));
        var before = model.Parameters().Select(p => (float[])p.Data.Clone()).ToList();
        var state = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.Ones(4, 3), ["0.bias"] = Tensor.Ones(4),
            ["2.weight"] = Tensor.Ones(3, 3), ["2.bias"] = Tensor.Ones(2),
        };
        var ex = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("'2.weight' has shape (3, 3), expected (2, 4)", ex.Message);
        var after = model.Parameters().Select(p => p.Data).ToList();
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void MissingStateTensorNamesItsShape()
    {
        var model = new Linear(3, 4);
        var ex = Assert.Throws<KeyNotFoundException>(() => model.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.Ones(4, 3) }));
        Assert.Contains("bias (4)", ex.Message);
    }

    [Fact]
    public void SafeTensorsWriterRejectsNamesItsReaderWouldRefuse()
    {
        var t = Tensor.Ones(2);
        Assert.Throws<ArgumentException>(() => SafeTensors.Write([new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write([new("__metadata__", t)]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write([new("", t)]));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Write([new("a", null!)]));
    }

    [Fact]
    public void NullArgumentsAreNamedNotNullReferences()
    {
        var t = Tensor.Ones(2, 2);
        Assert.Throws<ArgumentNullException>(() => t.CopyFrom(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.FromArray(null!));
        Assert.Throws<ArgumentNullException>(() => t[null!]);
        Assert.Throws<ArgumentNullException>(() => new Linear(2, 2).Forward(null!));
        Assert.Throws<ArgumentNullException>(() => new Hindsight.Optimizers.Sgd([t, null!], 0.1f));
        Assert.Throws<ArgumentNullException>(() => Hindsight.Optimizers.GradClip.ClipGradNorm([null!], 1f));
    }
}
