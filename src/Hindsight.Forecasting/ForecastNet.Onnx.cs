using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Forecasting;

public sealed partial class ForecastNet
{
    /// <summary>
    /// Window of changes from the last value x (B, L) to forecast changes (B, outputs): the MLP, N-BEATS / N-HiTS stacks, or a batch-first
    /// recurrent layer / Jordan over (B, L, 1) whose top layer's last state feeds the head. Optional input
    /// <c>lengths</c> for the recurrent layers. With a quantile or distribution head the output is the raw (B, O x W)
    /// values; a network with covariates is refused: <see cref="NeuralEnsembleGraph"/> (given the forecaster's members and
    /// covariate encoder) exports the covariate inputs and the head's outputs.
    /// </summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        var lengths = context.LengthsInput(x.Shape[0]);
        context.Output("output", EmitOnnx(context, x, lengths, ""));
    }

    /// <summary>
    /// The network's graph on <paramref name="x"/> (B, L) (and <paramref name="lengths"/>, recurrent kinds): the raw outputs
    /// (B, outputs), forecast changes for a point head. <paramref name="prefix"/> goes before every weight's name
    /// (<c>members.2.</c> in an ensemble). <paramref name="steps"/> (B, L, P + F) and <paramref name="head"/> (B, O x F + S):
    /// the covariates as <see cref="Covariates.CovariateBatch"/> lays them out (null when the network has none of that part).
    /// </summary>
    internal OnnxValue EmitOnnx(OnnxExportContext context, OnnxValue x, OnnxValue? lengths, string prefix, OnnxValue? steps = null, OnnxValue? head = null)
    {
        if (TakesCovariates && steps is null && head is null)
            throw context.Unsupported(prefix.TrimEnd('.'), this, "takes covariates; export the forecaster (NeuralEnsembleGraph with its covariate encoder), which declares their inputs");
        var children = NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        var batch = x.Shape[0];
        // the mlp and N-BEATS/N-HiTS blocks read the covariates flattened beside the window: (B, L*S + E)
        OnnxValue? Exogenous()
        {
            var parts = new List<OnnxValue>();
            if (steps is not null)
            {
                long width = steps.Shape[1].Value * steps.Shape[2].Value;
                parts.Add(context.Reshape(steps, [0, width], [batch, OnnxDim.Fixed(width)], prefix + "step_covariates.flat"));
            }
            if (head is not null) parts.Add(head);
            return parts.Count == 0 ? null : parts.Count == 1 ? parts[0] : context.Concat(parts, 1, prefix + "exogenous");
        }
        if (children.TryGetValue("mlp", out var mlp))
        {
            if (lengths is not null) throw context.Unsupported(prefix + "mlp", mlp, "takes full windows only (no lengths)");
            var exogenous = Exogenous();
            return context.Layer((Layer)mlp, prefix + "mlp", exogenous is null ? x : context.Concat([x, exogenous], 1, prefix + "mlp.input"));
        }
        if (children.TryGetValue("stacks", out var stacks))
        {
            if (lengths is not null) throw context.Unsupported(prefix + "stacks", stacks, "takes full windows only (no lengths)");
            return ((Networks.NBeatsNetwork)stacks).ExportOnnx(context, x, prefix + "stacks", Exogenous());
        }
        var x3 = context.AsSteps(x, prefix + "input_steps");                                                   // (B, L, 1)
        if (steps is not null) x3 = context.Concat([x3, steps], 2, prefix + "input_steps.covariates");          // (B, L, 1 + S)
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
        var top = context.TopLayer(hn, r.NumLayers * r.NumDirections, r.HiddenSize, prefix + rnnName + ".top");   // (B, H)
        if (children.TryGetValue("decoder", out var decoder))                                                     // (B, H) and (B, E) -> (B, O)
            return ((Networks.RecurrentDecoder)decoder).ExportOnnx(context, top, head!, prefix + "decoder");
        return context.Linear((Linear)children["head"], prefix + "head", top);                                    // (B, H) -> (B, O)
    }
}
