using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.EsRnn;

public sealed partial class EsRnnNet
{
    /// <summary>
    /// The network only: the normalised window <c>input</c> (batch, lookback), <c>log(y / (level x season))</c>, to the
    /// normalised forecast <c>output</c> (batch, horizon). The per-series smoothing that makes the input and turns the
    /// output back into data units (<c>exp(output) x level x season</c>) is a recursion over each history and is not in the graph.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        var (_, hn, _) = context.Recurrent(_rnn, "rnn", context.AsSteps(x, "input_steps"));
        var top = context.TopLayer(hn, _rnn.NumLayers, _rnn.HiddenSize, "rnn.top");
        var dense = context.Layer(new Tanh(), "dense.tanh", context.Linear(_dense, "dense", top));
        context.Output("output", context.Linear(_head, "head", dense));
    }
}
