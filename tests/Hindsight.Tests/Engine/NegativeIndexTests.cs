namespace Hindsight.Tests.Engine;

/// <summary>
/// <see cref="Ops.Select"/> and <see cref="Ops.Slice"/> count negative dimensions and indices from the end, as PyTorch's
/// <c>x.select(-1, -1)</c> and <c>x.narrow(1, -3, 2)</c>: same values and same gradients as the positive spelling.
/// (The finite-difference checks of the negative forms are in <see cref="GradientCheckTests"/>.)
/// </summary>
public class NegativeIndexTests
{
    private static Tensor Input() => Tensor.Randn(new Rng(11), 3, 4, 5);

    public static TheoryData<int, int, int, int> SelectPairs => new()
    {
        // (dim, index) negative, then the positive spelling of the same entry
        { -1, -1, 2, 4 },
        { -3, -3, 0, 0 },
        { 1, -2, 1, 2 },
        { -2, 0, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(SelectPairs))]
    public void SelectNegativeEqualsPositive(int dim, int index, int posDim, int posIndex)
    {
        var (a, ga) = RunWithGrad(x => Ops.Select(x, dim, index));
        var (b, gb) = RunWithGrad(x => Ops.Select(x, posDim, posIndex));
        Assert.Equal(b.ShapeArray, a.ShapeArray);
        Assert.Equal(b.Data, a.Data);
        Assert.Equal(gb, ga);
        Assert.Contains(ga, v => v != 0f);   // the selected entries get their gradient, the rest zero
        Assert.Contains(ga, v => v == 0f);
    }

    public static TheoryData<int, int, int, int, int> SlicePairs => new()
    {
        // (dim, start, length) negative, then the positive (dim, start)
        { -1, -3, 3, 2, 2 },
        { 1, -4, 2, 1, 0 },
        { -2, -1, 1, 1, 3 },
        { 0, -3, 3, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(SlicePairs))]
    public void SliceNegativeEqualsPositive(int dim, int start, int length, int posDim, int posStart)
    {
        var (a, ga) = RunWithGrad(x => Ops.Slice(x, dim, start, length));
        var (b, gb) = RunWithGrad(x => Ops.Slice(x, posDim, posStart, length));
        Assert.Equal(b.ShapeArray, a.ShapeArray);
        Assert.Equal(b.Data, a.Data);
        Assert.Equal(gb, ga);
    }

    [Fact]
    public void LastTimeStepOfABatchFirstSequence()
    {
        // the everyday use: y[:, -1, :] of a (B, T, H) output
        var y = Input();
        var last = Ops.Select(y, 1, -1);
        Assert.Equal([3, 5], last.ShapeArray);
        for (int b = 0; b < 3; b++)
            for (int h = 0; h < 5; h++) Assert.Equal(y.Data[(b * 4 + 3) * 5 + h], last.Data[b * 5 + h]);
    }

    [Fact]
    public void OutOfRangeNegativeIndicesThrow()
    {
        var x = Input();
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Select(x, 1, -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Select(x, -4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Slice(x, 2, -6, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Slice(x, 2, -2, 3));
    }

    /// <summary>f(x) and the gradient of sum(f(x) * w) for a fixed random w.</summary>
    private static (Tensor Y, float[] Grad) RunWithGrad(Func<Tensor, Tensor> f)
    {
        var x = Input();
        x.RequiresGrad = true;
        var y = f(x);
        var w = Tensor.Randn(new Rng(5), y.ShapeArray);
        Ops.Sum(Ops.Mul(y, w)).Backward();
        return (y, (float[])x.GradData!.Clone());
    }
}
