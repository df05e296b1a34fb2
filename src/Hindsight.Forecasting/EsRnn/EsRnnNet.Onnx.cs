using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.EsRnn;

public sealed partial class EsRnnNet
{
    /// <summary>
    /// The network only: the normalised window <c>input</c> (batch, lookback), <c>log(y / (level x season))</c>, to the
    /// normalised forecast <c>output</c> (batch, horizon). <see cref="EsRnnGraph"/> wraps it in the normalisation and the
    /// re-leveling (<c>exp(output) x level x season</c>) for given level and seasonal indices, as <c>hindsight export</c> writes it.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        context.Output("output", EmitOnnx(context, x, ""));
    }

    /// <summary>The network's graph on the normalised window <paramref name="x"/> (B, L): the normalised forecast (B, H); weights named after <paramref name="prefix"/>.</summary>
    internal OnnxValue EmitOnnx(OnnxExportContext context, OnnxValue x, string prefix)
    {
        var (_, hn, _) = context.Recurrent(_rnn, prefix + "rnn", context.AsSteps(x, prefix + "input_steps"));
        var top = context.TopLayer(hn, _rnn.NumLayers, _rnn.HiddenSize, prefix + "rnn.top");
        var dense = context.Layer(new Tanh(), prefix + "dense.tanh", context.Linear(_dense, prefix + "dense", top));
        return context.Linear(_head, prefix + "head", dense);
    }
}
