using Hindsight.Onnx;

namespace Hindsight.Text;

public sealed partial class CharLanguageModel
{
    /// <summary>
    /// One-hot letters (T,B,A) -> time-first recurrent layer -> <c>out</c> on every step -> <c>logits</c> (T,B,A), with
    /// <c>h_n</c> and <c>c_n</c>; inputs <c>h0</c>, <c>c0</c> when the options ask for an initial state.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(sequence, batch, alphabet)", "sequence", "batch", "letters");
        var (h0, c0) = context.StateInputs(Rnn, x.Shape[1]);
        var (y, hn, cn) = context.Recurrent(Rnn, "rnn", x, h0: h0, c0: c0);
        context.Output("logits", context.Linear(Out, "out", y));
        context.Output("h_n", hn);
        if (cn is not null) context.Output("c_n", cn);
    }
}

public sealed partial class RecurrentWordClassifier
{
    /// <summary>
    /// Letters (T,B,A) and int32 <c>lengths</c> (B) -> recurrent layer -> h_n at each word's last letter -> <c>out</c>
    /// -> <c>logits</c> (B, languages) and <c>log_probs</c>.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(sequence, batch, alphabet)", "sequence", "batch", "letters");
        var lengths = context.RequiredLengthsInput(x.Shape[1]);
        var (_, hn, _) = context.Recurrent(Rnn, "rnn", x, lengths);
        var h = context.Reshape(hn, [-1, Rnn.HiddenSize], [x.Shape[1], OnnxDim.Fixed(Rnn.HiddenSize)], "rnn.h_last");
        var logits = context.Linear(Out, "out", h);
        context.Output("logits", logits);
        context.Output("log_probs", context.LogSoftmax(logits, 1, "log_probs"));
    }
}
