using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>Sum of all elements, as a scalar tensor of shape () (PyTorch's <c>x.sum()</c>).</summary>
    public static Tensor Sum(Tensor x) => ReduceAll(x, mean: false);

    /// <summary>Mean of all elements, as a scalar tensor of shape () (PyTorch's <c>x.mean()</c>).</summary>
    public static Tensor Mean(Tensor x) => ReduceAll(x, mean: true);

    /// <summary>Sum along <paramref name="dim"/> (PyTorch's <c>x.sum(dim, keepdim)</c>).</summary>
    public static Tensor Sum(Tensor x, int dim, bool keepDim = false) => ReduceDim(x, dim, keepDim, mean: false);

    /// <summary>Mean along <paramref name="dim"/> (PyTorch's <c>x.mean(dim, keepdim)</c>).</summary>
    public static Tensor Mean(Tensor x, int dim, bool keepDim = false) => ReduceDim(x, dim, keepDim, mean: true);

    private static Tensor ReduceAll(Tensor x, bool mean)
    {
        double s = 0;
        foreach (var v in x.Data) s += v;
        if (mean) s /= x.Length;
        var y = Tensor.Output(ReadOnlySpan<int>.Empty);
        y.Data[0] = (float)s;
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(ReduceAllBackward, y, x, i0: mean ? 1 : 0));
        return y;
    }

    private static void ReduceAllBackward(in TapeEntry e)
    {
        var g = e.A!.GradForAccumulate();
        float dy = e.Output.GradData![0];
        if (e.I0 == 1) dy /= g.Length;
        TensorPrimitives.Add(g, dy, g);
    }

    private static Tensor ReduceDim(Tensor x, int dim, bool keepDim, bool mean)
    {
        int d = Tensor.NormalizeDim(dim, x.Rank, mean ? "Mean" : "Sum");
        var (outer, size, inner) = AroundDim(x.Shape, d);
        Span<int> shape = stackalloc int[x.Rank];
        int rank = 0;
        for (int i = 0; i < x.Rank; i++)
            if (i != d) shape[rank++] = x.ShapeArray[i];
            else if (keepDim) shape[rank++] = 1;
        var y = Tensor.Output(shape[..rank]);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                double s = 0;
                for (int k = 0; k < size; k++) s += x.Data[(o * size + k) * inner + j];
                y.Data[o * inner + j] = (float)(mean ? s / size : s);
            }
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(ReduceDimBackward, y, x, i0: d, i1: mean ? 1 : 0));
        return y;
    }

    private static void ReduceDimBackward(in TapeEntry e)
    {
        var x = e.A!;
        var (outer, size, inner) = AroundDim(x.Shape, e.I0);
        var g = x.GradForAccumulate();
        var dy = e.Output.GradData!;
        float scale = e.I1 == 1 ? 1f / size : 1f;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < size; k++)
                for (int j = 0; j < inner; j++)
                    g[(o * size + k) * inner + j] += dy[o * inner + j] * scale;
    }
}
