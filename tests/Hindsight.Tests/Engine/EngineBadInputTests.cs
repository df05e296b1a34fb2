using Hindsight.Layers;
using Hindsight.Losses;
using Hindsight.Optimizers;

namespace Hindsight.Tests.Engine;

/// <summary>Bad input to the engine gives an ArgumentException/InvalidOperationException whose message names the op and the shapes or values.</summary>
public class EngineBadInputTests
{
    private static Tensor Leaf(params int[] shape) => new(shape) { RequiresGrad = true };

    private static void Throws<TException>(Action act, params string[] fragments) where TException : Exception
    {
        var ex = Assert.ThrowsAny<TException>(act);
        foreach (var f in fragments) Assert.Contains(f, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMulInnerMismatchNamesBothShapes() =>
        Throws<ArgumentException>(() => Ops.MatMul(new Tensor(2, 3), new Tensor(4, 5)), "MatMul", "(2, 3)", "(4, 5)");

    [Fact]
    public void MatMulTransposedMismatchNamesTheTranspose() =>
        Throws<ArgumentException>(() => Ops.MatMul(new Tensor(2, 3), new Tensor(2, 5), transposeB: true), "MatMul", "(2, 3)", "(2, 5)^T");

    [Fact]
    public void MatMulNeedsMatrices() =>
        Throws<ArgumentException>(() => Ops.MatMul(new Tensor(2, 3, 4), new Tensor(4, 5)), "MatMul", "rank 2", "(2, 3, 4)");

    [Fact]
    public void LinearFeatureMismatchNamesInputAndWeight() =>
        Throws<ArgumentException>(() => Ops.Linear(new Tensor(4, 6), new Tensor(3, 5)), "Linear", "(4, 6)", "(3, 5)");

    [Fact]
    public void LinearBiasMismatch() =>
        Throws<ArgumentException>(() => Ops.Linear(new Tensor(4, 5), new Tensor(3, 5), new Tensor(4)), "Linear", "bias", "(4)", "(3, 5)");

    [Fact]
    public void LinearLayerNamesShapes() =>
        Throws<ArgumentException>(() => new Linear(5, 3).Forward(new Tensor(2, 4)), "Linear", "(2, 4)", "(3, 5)");

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    public void BroadcastMismatchNamesOpAndBothShapes(string op)
    {
        Func<Tensor, Tensor, Tensor> f = op switch { "Add" => Ops.Add, "Sub" => Ops.Sub, _ => Ops.Mul };
        Throws<ArgumentException>(() => f(new Tensor(3, 4), new Tensor(2, 4)), op, "(3, 4)", "(2, 4)", "cannot be broadcast");
        Throws<ArgumentException>(() => f(new Tensor(3, 1, 4), new Tensor(2, 3)), op, "(3, 1, 4)", "(2, 3)");
    }

    [Fact]
    public void ConcatMismatchNamesShapes()
    {
        Throws<ArgumentException>(() => Ops.Concat(1, new Tensor(2, 3), new Tensor(3, 3)), "Concat", "(2, 3)", "(3, 3)");
        Throws<ArgumentException>(() => Ops.Concat(0, new Tensor(2, 3), new Tensor(3)), "Concat", "(2, 3)", "(3)", "rank");
        Throws<ArgumentException>(() => Ops.Concat(0), "Concat", "no tensors");
    }

    [Fact]
    public void PointwiseLossShapeMismatchNamesBothShapes()
    {
        Throws<ArgumentException>(() => Ops.MseLoss(new Tensor(3, 2), new Tensor(2, 3)), "MseLoss", "(3, 2)", "(2, 3)");
        Throws<ArgumentException>(() => Ops.L1Loss(new Tensor(4), new Tensor(4, 1)), "L1Loss", "(4)", "(4, 1)");
        Throws<ArgumentException>(() => new HuberLoss().Forward(new Tensor(2), new Tensor(3)), "HuberLoss", "(2)", "(3)");
    }

    [Fact]
    public void HuberDeltaMustBePositive() =>
        Throws<ArgumentException>(() => Ops.HuberLoss(new Tensor(2), new Tensor(2), delta: 0f), "HuberLoss", "delta", "0");

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void ClassIndexOutOfRangeNamesIndexPositionAndClassCount(int bad)
    {
        int[] targets = [0, bad, 2];
        Throws<ArgumentException>(() => Ops.CrossEntropyLoss(new Tensor(3, 4), targets), "CrossEntropyLoss", $"target {bad}", "position 1", "[0, 4)");
        Throws<ArgumentException>(() => Ops.NllLoss(new Tensor(3, 4), targets), "NllLoss", $"target {bad}", "position 1", "[0, 4)");
    }

    [Fact]
    public void ClassLossTargetCountAndRank()
    {
        Throws<ArgumentException>(() => Ops.CrossEntropyLoss(new Tensor(3, 4), [0, 1]), "CrossEntropyLoss", "2 targets", "(3, 4)");
        Throws<ArgumentException>(() => Ops.NllLoss(new Tensor(2, 3, 4), [0, 1]), "NllLoss", "(N, C)", "(2, 3, 4)");
    }

    [Fact]
    public void BackwardOnNonScalarIsRejected()
    {
        Tape.Clear();
        var y = Ops.Tanh(Leaf(2, 3));
        Throws<InvalidOperationException>(() => y.Backward(), "Backward", "one element", "(2, 3)");
        Tape.Clear();
    }

    [Fact]
    public void BackwardTwiceIsRejected()
    {
        Tape.Clear();
        var x = Leaf(2, 3);
        var loss = Ops.Sum(Ops.Tanh(x));
        loss.Backward();
        Throws<InvalidOperationException>(() => loss.Backward(), "Backward", "already used");
    }

    [Fact]
    public void BackwardTwiceIsRejectedEvenAfterAnotherForward()
    {
        Tape.Clear();
        var x = Leaf(2, 3);
        x.Data[0] = 0.5f;
        var first = Ops.Sum(Ops.Tanh(x));
        first.Backward();
        var gradAfterFirst = x.Grad!.Data.ToArray();
        var second = Ops.Sum(Ops.Sigmoid(x)); // recorded, not yet back-propagated
        Throws<InvalidOperationException>(() => first.Backward(), "Backward", "already used");
        Assert.Equal(gradAfterFirst, x.Grad!.Data);
        second.Backward(); // the second graph is still usable
        Assert.NotEqual(gradAfterFirst, x.Grad!.Data);
    }

    [Fact]
    public void BackwardWithoutGradientIsRejected()
    {
        Tape.Clear();
        Throws<InvalidOperationException>(() => Ops.Sum(new Tensor(2, 2)).Backward(), "Backward", "does not require gradients");
        var x = Leaf(2);
        using (Tape.NoGrad())
        {
            var y = Ops.Sum(x);
            Throws<InvalidOperationException>(() => y.Backward(), "Backward", "does not require gradients");
        }
    }

    [Fact]
    public void ReshapeImpossibleNamesBothShapes()
    {
        Throws<ArgumentException>(() => Ops.Reshape(new Tensor(2, 3), 4, 2), "Reshape", "(2, 3)", "(4, 2)", "6 elements");
        Throws<ArgumentException>(() => Ops.Reshape(new Tensor(2, 3), -1, 4), "Reshape", "(2, 3)", "(-1, 4)");
        Throws<ArgumentException>(() => Ops.Reshape(new Tensor(2, 3), -1, -1), "Reshape", "more than one -1");
        Throws<ArgumentException>(() => Ops.Reshape(new Tensor(2, 3), 3, -2), "Reshape", "(3, -2)");
    }

    [Fact]
    public void SliceOutOfRangeNamesRangeAndShape()
    {
        Throws<ArgumentException>(() => Ops.Slice(new Tensor(3, 5), 1, 3, 3), "Slice", "[3, 6)", "size 5", "(3, 5)");
        Throws<ArgumentException>(() => Ops.Slice(new Tensor(3, 5), 0, -1, 2), "Slice", "[-1, 1)", "size 3");
        Throws<ArgumentException>(() => Ops.Slice(new Tensor(3, 5), 0, -4, 1), "Slice", "[-4, -3)", "size 3");
        Throws<ArgumentException>(() => Ops.Slice(new Tensor(3, 5), 2, 0, 1), "Slice", "dimension 2", "rank 2");
    }

    [Fact]
    public void SelectOutOfRangeNamesSelect()
    {
        Throws<ArgumentException>(() => Ops.Select(new Tensor(3, 4), 1, 4), "Select", "index 4", "size 4", "(3, 4)");
        Throws<ArgumentException>(() => Ops.Select(new Tensor(3, 4), 0, -4), "Select", "index -4", "size 3", "-3..2");
    }

    [Fact]
    public void DimensionOutOfRangeNamesOp()
    {
        Throws<ArgumentException>(() => Ops.Softmax(new Tensor(2, 3), 2), "Softmax", "dimension 2", "rank 2");
        Throws<ArgumentException>(() => Ops.LogSoftmax(new Tensor(2, 3), -3), "LogSoftmax", "dimension -3", "rank 2");
        Throws<ArgumentException>(() => Ops.Sum(new Tensor(2, 3), 5), "Sum", "dimension 5");
        Throws<ArgumentException>(() => Ops.Mean(new Tensor(2, 3), -4, keepDim: true), "Mean", "dimension -4");
        Throws<ArgumentException>(() => Ops.Flatten(new Tensor(2, 3, 4), 2, 1), "Flatten", "(2, 3, 4)");
    }

    [Fact]
    public void LoadStateDictNamesTheTensor()
    {
        var model = new Sequential(new Linear(4, 3), new Tanh(), new Linear(3, 2));
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state["2.weight"] = new Tensor(2, 4);
        Throws<ArgumentException>(() => model.LoadStateDict(state), "2.weight", "(2, 4)", "(2, 3)");
        state.Remove("2.weight");
        Throws<KeyNotFoundException>(() => model.LoadStateDict(state), "2.weight");
        state["2.weight"] = new Tensor(2, 3);
        state["3.bias"] = new Tensor(2);
        Throws<ArgumentException>(() => model.LoadStateDict(state), "unexpected", "3.bias");
    }

    [Fact]
    public void OptimizerArgumentsAreChecked()
    {
        var p = new[] { Leaf(2) };
        Throws<ArgumentException>(() => new Sgd(p, 0.1f, nesterov: true), "Sgd", "Nesterov");
        Throws<ArgumentException>(() => new Sgd(p, -1f), "learning rate", "-1");
        Throws<ArgumentException>(() => new Adam(p, beta1: 1f), "Adam", "betas");
        Throws<ArgumentException>(() => new Sgd([], 0.1f), "empty");
    }

    [Fact]
    public void TensorDataShapeMismatch() =>
        Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3), "5 elements", "(2, 3)", "6");
}
