using System.Numerics;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>Elementwise hyperbolic tangent (PyTorch's <c>torch.tanh</c>).</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Tensor.Output(x.ShapeArray);
        Activation.Tanh(x.Data, y.Data);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(TanhBackward, y, x));
        return y;
    }

    // dx += dy * (1 - y^2)
    private static void TanhBackward(in TapeEntry e)
    {
        var dx = e.A!.GradForAccumulate();
        ReadOnlySpan<float> y = e.Output.Data, dy = e.Output.GradData!;
        Span<float> tmp = stackalloc float[Chunk];
        for (int i = 0; i < dx.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, dx.Length - i);
            var t = tmp[..n]; var yi = y.Slice(i, n); var dxi = dx.Slice(i, n);
            TensorPrimitives.Multiply(yi, yi, t);
            TensorPrimitives.Subtract(1f, t, t);
            TensorPrimitives.FusedMultiplyAdd(dy.Slice(i, n), t, dxi, dxi);
        }
    }

    /// <summary>Elements per stack-allocated chunk in elementwise backward passes.</summary>
    private const int Chunk = 512;

    /// <summary>Elementwise logistic sigmoid (PyTorch's <c>torch.sigmoid</c>).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Tensor.Output(x.ShapeArray);
        Activation.Sigmoid(x.Data, y.Data);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(SigmoidBackward, y, x));
        return y;
    }

    // dx += dy * y * (1 - y)
    private static void SigmoidBackward(in TapeEntry e)
    {
        var dx = e.A!.GradForAccumulate();
        ReadOnlySpan<float> y = e.Output.Data, dy = e.Output.GradData!;
        Span<float> tmp = stackalloc float[Chunk];
        for (int i = 0; i < dx.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, dx.Length - i);
            var t = tmp[..n]; var yi = y.Slice(i, n); var dxi = dx.Slice(i, n);
            TensorPrimitives.Subtract(1f, yi, t);
            TensorPrimitives.Multiply(yi, t, t);
            TensorPrimitives.FusedMultiplyAdd(dy.Slice(i, n), t, dxi, dxi);
        }
    }

    /// <summary>Elementwise <c>max(x, 0)</c> (PyTorch's <c>torch.relu</c>).</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = Tensor.Output(x.ShapeArray);
        TensorPrimitives.Max(x.Data, 0f, y.Data);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(ReluBackward, y, x));
        return y;
    }

    // dx += dy where y > 0 (PyTorch's threshold_backward on the result)
    private static void ReluBackward(in TapeEntry e)
    {
        var dx = e.A!.GradForAccumulate();
        ReadOnlySpan<float> y = e.Output.Data, dy = e.Output.GradData!;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dx.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var mask = Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero);
                var add = Vector.ConditionalSelect(mask, new Vector<float>(dy[i..]), Vector<float>.Zero);
                (new Vector<float>(dx[i..]) + add).CopyTo(dx[i..]);
            }
        for (; i < dx.Length; i++) if (y[i] > 0f) dx[i] += dy[i];
    }
}
