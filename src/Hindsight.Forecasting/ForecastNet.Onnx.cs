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
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        var lengths = context.LengthsInput(x.Shape[0]);
        var children = NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        if (children.TryGetValue("mlp", out var mlp))
        {
            if (lengths is not null) throw context.Unsupported("mlp", mlp, "takes full windows only (no lengths)");
            context.Output("output", context.Layer((Layer)mlp, "mlp", x));
            return;
        }
        if (children.TryGetValue("stacks", out var stacks))
        {
            if (lengths is not null) throw context.Unsupported("stacks", stacks, "takes full windows only (no lengths)");
            context.Output("output", ((Networks.NBeatsNetwork)stacks).ExportOnnx(context, x, "stacks"));
            return;
        }
        var x3 = context.AsSteps(x, "input_steps");
        if (children.TryGetValue("jordan", out var jm))
        {
            var j = (Jordan)jm;
            if (lengths is not null) throw context.Unsupported("jordan", j, "has no lengths input in ONNX (Jordan exports full windows only)");
            var (_, last) = context.Jordan(j, "jordan", x3);
            context.Output("output", context.TopLayer(last, j.NumLayers, j.OutputSize, "jordan.top"));
            return;
        }
        var (rnnName, rnnModule) = NamedChildren().Single(c => c.Module is RecurrentBase);
        var r = (RecurrentBase)rnnModule;
        var (_, hn, _) = context.Recurrent(r, rnnName, x3, lengths);
        var top = context.TopLayer(hn, r.NumLayers * r.NumDirections, r.HiddenSize, rnnName + ".top");
        context.Output("output", context.Linear((Linear)children["head"], "head", top));
    }
}
