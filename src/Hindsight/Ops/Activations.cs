using System.Numerics.Tensors;

namespace Hindsight;

public static partial class Ops
{
    /// <summary>Elementwise hyperbolic tangent (PyTorch's <c>torch.tanh</c>).</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Tensor.Output(x.ShapeArray);
        TensorPrimitives.Tanh(x.Data, y.Data);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(TanhBackward, y, x));
        return y;
    }

    // dx += dy * (1 - y^2)
    private static void TanhBackward(in TapeEntry e)
    {
        var dx = e.A!.GradForAccumulate();
        var y = e.Output.Data; var dy = e.Output.GradData!;
        for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary>Elementwise logistic sigmoid (PyTorch's <c>torch.sigmoid</c>).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Tensor.Output(x.ShapeArray);
        TensorPrimitives.Sigmoid(x.Data, y.Data);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(SigmoidBackward, y, x));
        return y;
    }

    // dx += dy * y * (1 - y)
    private static void SigmoidBackward(in TapeEntry e)
    {
        var dx = e.A!.GradForAccumulate();
        var y = e.Output.Data; var dy = e.Output.GradData!;
        for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * y[i] * (1f - y[i]);
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
        var y = e.Output.Data; var dy = e.Output.GradData!;
        for (int i = 0; i < dx.Length; i++) if (y[i] > 0f) dx[i] += dy[i];
    }
}
