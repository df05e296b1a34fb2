using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;
using Hindsight.Operations;

namespace Hindsight.Bench;

/// <summary>
/// A batch-first recurrent layer whose top layer's last state feeds a Linear head: x (B, T, I) to (B, O), the shape of a
/// forecaster or classifier. Exports as the recurrent node(s), the top of h_n, and a Gemm.
/// </summary>
internal sealed class LastStepModel : Module, IOnnxExportable
{
    public LastStepModel(RecurrentBase recurrent, Linear head)
    {
        Recurrent = RegisterModule("rnn", recurrent);
        Head = RegisterModule("head", head);
    }

    public RecurrentBase Recurrent { get; }
    public Linear Head { get; }

    /// <summary>The layers' own forward: x (B,T,I) to (B,O).</summary>
    public Tensor Forward(Tensor x)
    {
        var hn = Recurrent.Forward(x).Hidden;                                        // (L,B,H)
        int b = hn.Dim(1), h = hn.Dim(2);
        var top = Recurrent.NumLayers == 1 ? Ops.Reshape(hn, b, h) : Ops.Select(hn, 0, Recurrent.NumLayers - 1);
        return Head.Forward(top);
    }

    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(batch, sequence, features)", "batch", "sequence", "features");
        var (_, hn, _) = context.Recurrent(Recurrent, "rnn", x);
        var top = context.TopLayer(hn, Recurrent.NumLayers, Recurrent.HiddenSize, "rnn.top");
        context.Output("output", context.Linear(Head, "head", top));
    }
}

/// <summary>A batch-first recurrent layer with a Linear head on every step (the seed's SimpleRNN): x (B,T,I) to (B,T,O).</summary>
internal sealed class EveryStepModel : Module, IOnnxExportable
{
    public EveryStepModel(RecurrentBase recurrent, Linear head)
    {
        Recurrent = RegisterModule("rnn", recurrent);
        Head = RegisterModule("head", head);
    }

    public RecurrentBase Recurrent { get; }
    public Linear Head { get; }

    public Tensor Forward(Tensor x) => Head.Forward(Recurrent.Forward(x).Output);

    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(batch, sequence, features)", "batch", "sequence", "features");
        var (y, _, _) = context.Recurrent(Recurrent, "rnn", x);
        context.Output("output", context.Linear(Head, "head", y));
    }
}
