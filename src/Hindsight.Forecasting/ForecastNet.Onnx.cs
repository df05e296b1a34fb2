using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Forecasting;

public sealed partial class ForecastNet
{
    /// <summary>
    /// Window of changes from the last value x (B, L) to forecast changes (B, outputs): the MLP, N-BEATS / N-HiTS stacks, or a batch-first
    /// recurrent layer / Jordan over (B, L, 1) whose top layer's last state feeds the head. Optional input
    /// <c>lengths</c> for the recurrent layers.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        var lengths = context.LengthsInput(x.Shape[0]);
        context.Output("output", EmitOnnx(context, x, lengths, ""));
    }

    /// <summary>
    /// The network's graph on <paramref name="x"/> (B, L) (and <paramref name="lengths"/>, recurrent kinds): the forecast changes
    /// (B, outputs). <paramref name="prefix"/> goes before every weight's name (<c>members.2.</c> in an ensemble).
    /// </summary>
    internal OnnxValue EmitOnnx(OnnxExportContext context, OnnxValue x, OnnxValue? lengths, string prefix)
    {
        if (TakesCovariates) throw context.Unsupported(prefix.TrimEnd('.'), this, "takes covariates, which the ONNX export does not carry yet");
        var children = NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        if (children.TryGetValue("mlp", out var mlp))
        {
            if (lengths is not null) throw context.Unsupported(prefix + "mlp", mlp, "takes full windows only (no lengths)");
            return context.Layer((Layer)mlp, prefix + "mlp", x);
        }
        if (children.TryGetValue("stacks", out var stacks))
        {
            if (lengths is not null) throw context.Unsupported(prefix + "stacks", stacks, "takes full windows only (no lengths)");
            return ((Networks.NBeatsNetwork)stacks).ExportOnnx(context, x, prefix + "stacks");
        }
        var x3 = context.AsSteps(x, prefix + "input_steps");
        if (children.TryGetValue("jordan", out var jm))
        {
            var j = (Jordan)jm;
            if (lengths is not null) throw context.Unsupported(prefix + "jordan", j, "has no lengths input in ONNX (Jordan exports full windows only)");
            var (_, last) = context.Jordan(j, prefix + "jordan", x3);
            return context.TopLayer(last, j.NumLayers, j.OutputSize, prefix + "jordan.top");
        }
        var (rnnName, rnnModule) = NamedChildren().Single(c => c.Module is RecurrentBase);
        var r = (RecurrentBase)rnnModule;
        var (_, hn, _) = context.Recurrent(r, prefix + rnnName, x3, lengths);
        var top = context.TopLayer(hn, r.NumLayers * r.NumDirections, r.HiddenSize, prefix + rnnName + ".top");
        return context.Linear((Linear)children["head"], prefix + "head", top);
    }
}
