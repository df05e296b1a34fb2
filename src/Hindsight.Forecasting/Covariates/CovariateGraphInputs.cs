using Hindsight.Onnx;

namespace Hindsight.Forecasting.Covariates;

/// <summary>
/// The covariate inputs of an exported forecaster graph, already encoded as <see cref="CovariateEncoder.Encode"/> does
/// (numeric columns standardised with the training statistics, categories one-hot over the training levels), laid out as a
/// NeuralForecast user passes them (<c>hist_exog</c>, <c>futr_exog</c> over the window and the horizon, <c>stat_exog</c>):
/// <c>past</c> (batch, L, P) over the window, <c>future</c> (batch, L + O, F) over the window then the O forecast steps,
/// <c>static</c> (batch, S). Each exists only when the model has covariates of that kind. Window steps sit where the
/// window's values sit in <c>input</c> (left-aligned with <c>lengths</c>; what follows a row's length is not read); the
/// forecast steps are always at L .. L + O - 1.
/// </summary>
/// <param name="Past">The <c>past</c> input, or null.</param>
/// <param name="Future">The <c>future</c> input, or null.</param>
/// <param name="Static">The <c>static</c> input, or null.</param>
/// <param name="Lookback">L, the graph's window length.</param>
/// <param name="Outputs">O, the forecast steps the network predicts.</param>
internal sealed record CovariateGraphInputs(OnnxValue? Past, OnnxValue? Future, OnnxValue? Static, int Lookback, int Outputs)
{
    /// <summary>Declares the inputs of the covariates <paramref name="encoder"/> encodes (null: none, returns null).</summary>
    public static CovariateGraphInputs? Declare(OnnxExportContext context, CovariateEncoder? encoder, OnnxDim batch, int lookback, int outputs)
    {
        if (encoder is null) return null;
        OnnxValue? Input(string name, params OnnxDim[] shape) => shape[^1].Value == 0 ? null : context.NamedInput(name, shape);
        return new CovariateGraphInputs(
            Input("past", batch, OnnxDim.Fixed(lookback), OnnxDim.Fixed(encoder.PastWidth)),
            Input("future", batch, OnnxDim.Fixed(lookback + outputs), OnnxDim.Fixed(encoder.FutureWidth)),
            Input("static", batch, OnnxDim.Fixed(encoder.StaticWidth)),
            lookback, outputs);
    }

    /// <summary>
    /// What a member with lookback <paramref name="lookback"/> reads (<see cref="CovariateBatch"/>'s layout): the step
    /// channels (B, l, P + F), past then future, of its window (the last l of the graph's window, or with
    /// <paramref name="indices"/> (B, l) the steps gathered as its input values are), or null without step covariates; and
    /// the head inputs (B, O x F + S), the future channels of each forecast step (step-major) then the statics, or null.
    /// </summary>
    public (OnnxValue? Steps, OnnxValue? Head) For(OnnxExportContext context, int lookback, OnnxValue? indices, string prefix)
    {
        ArgumentNullException.ThrowIfNull(context);
        var window = new List<OnnxValue>();
        if (Past is not null) window.Add(Past);
        if (Future is not null) window.Add(context.Slice(Future, 1, 0, Lookback, prefix + "future_window"));
        OnnxValue? steps = window.Count == 0 ? null : window.Count == 1 ? window[0] : context.Concat(window, 2, prefix + "step_covariates"); // (B, L, P+F)
        if (steps is not null && indices is not null) steps = context.GatherSteps(steps, indices, prefix + "step_covariates.gathered");
        else if (steps is not null && lookback < Lookback) steps = context.Slice(steps, 1, Lookback - lookback, lookback, prefix + "step_covariates.window");
        var head = new List<OnnxValue>();
        if (Future is not null)
        {
            var ahead = context.Slice(Future, 1, Lookback, Outputs, prefix + "future_ahead");                                        // (B, O, F)
            long f = Future.Shape[2].Value;
            head.Add(context.Reshape(ahead, [0, Outputs * f], [ahead.Shape[0], OnnxDim.Fixed(Outputs * f)], prefix + "future_ahead.flat"));
        }
        if (Static is not null) head.Add(Static);
        var headInputs = head.Count == 0 ? null : head.Count == 1 ? head[0] : context.Concat(head, 1, prefix + "head_covariates");         // (B, O*F + S)
        return (steps, headInputs);
    }
}
