using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>Softmax along <paramref name="dim"/> (PyTorch's <c>torch.softmax(x, dim)</c>).</summary>
    public static Tensor Softmax(Tensor x, int dim = -1) => SoftmaxCore(x, dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/> (PyTorch's <c>torch.log_softmax(x, dim)</c>), computed stably.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim = -1) => SoftmaxCore(x, dim, log: true);

    /// <summary>Splits a shape around <paramref name="dim"/> into (outer, size, inner).</summary>
    internal static (int Outer, int Size, int Inner) AroundDim(ReadOnlySpan<int> shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    private static Tensor SoftmaxCore(Tensor x, int dim, bool log)
    {
        int d = Tensor.NormalizeDim(dim, x.Rank, log ? "LogSoftmax" : "Softmax");
        var (outer, size, inner) = AroundDim(x.Shape, d);
        var y = Tensor.Output(x.ShapeArray);
        float[] xs = x.Data, ys = y.Data;
        if (inner == 1)
        {
            // Rows are contiguous: each row through TensorPrimitives.
            for (int o = 0; o < outer; o++)
            {
                ReadOnlySpan<float> row = xs.AsSpan(o * size, size);
                var outRow = ys.AsSpan(o * size, size);
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, outRow);
                TensorPrimitives.Exp(outRow, outRow);
                float sum = TensorPrimitives.Sum(outRow);
                if (log) TensorPrimitives.Subtract(row, max + MathF.Log(sum), outRow);
                else TensorPrimitives.Multiply(outRow, 1f / sum, outRow);
            }
            if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(SoftmaxBackward, y, x, i0: d, i1: log ? 1 : 0));
            return y;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int baseIndex = o * size * inner + j;
                float max = float.NegativeInfinity;
                for (int s = 0; s < size; s++) max = MathF.Max(max, xs[baseIndex + s * inner]);
                double sum = 0;
                for (int s = 0; s < size; s++) sum += MathF.Exp(xs[baseIndex + s * inner] - max);
                if (log)
                {
                    float logSum = (float)Math.Log(sum);
                    for (int s = 0; s < size; s++) ys[baseIndex + s * inner] = xs[baseIndex + s * inner] - max - logSum;
                }
                else
                {
                    float inv = (float)(1.0 / sum);
                    for (int s = 0; s < size; s++) ys[baseIndex + s * inner] = MathF.Exp(xs[baseIndex + s * inner] - max) * inv;
                }
            }
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(SoftmaxBackward, y, x, i0: d, i1: log ? 1 : 0));
        return y;
    }

    // softmax:     dx = y * (dy - sum(dy * y))
    // log-softmax: dx = dy - exp(y) * sum(dy)
    private static void SoftmaxBackward(in TapeEntry e)
    {
        Tensor x = e.A!, y = e.Output;
        bool log = e.I1 == 1;
        var (outer, size, inner) = AroundDim(x.Shape, e.I0);
        var dx = x.GradForAccumulate();
        float[] ys = y.Data, dy = y.GradData!;
        if (inner == 1)
        {
            Span<float> tmp = size <= 1024 ? stackalloc float[size] : new float[size];
            for (int o = 0; o < outer; o++)
            {
                ReadOnlySpan<float> yr = ys.AsSpan(o * size, size), dyr = dy.AsSpan(o * size, size);
                var dxr = dx.Slice(o * size, size);
                if (log)
                {
                    // dx += dy - exp(y) * sum(dy)
                    float sum = TensorPrimitives.Sum(dyr);
                    TensorPrimitives.Exp(yr, tmp);
                    TensorPrimitives.MultiplyAdd(tmp, -sum, dyr, tmp);
                }
                else
                {
                    // dx += y * (dy - dot(dy, y))
                    float dot = TensorPrimitives.Dot(dyr, yr);
                    TensorPrimitives.Subtract(dyr, dot, tmp);
                    TensorPrimitives.Multiply(yr, tmp, tmp);
                }
                TensorPrimitives.Add(dxr, tmp, dxr);
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int baseIndex = o * size * inner + j;
                double dot = 0;
                for (int s = 0; s < size; s++)
                {
                    int i = baseIndex + s * inner;
                    dot += log ? dy[i] : dy[i] * ys[i];
                }
                float sum = (float)dot;
                for (int s = 0; s < size; s++)
                {
                    int i = baseIndex + s * inner;
                    dx[i] += log ? dy[i] - MathF.Exp(ys[i]) * sum : ys[i] * (dy[i] - sum);
                }
            }
    }
}
