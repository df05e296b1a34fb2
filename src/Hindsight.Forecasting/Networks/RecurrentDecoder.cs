using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// The decoder of a recurrent forecaster with future or static covariates (NeuralForecast's RNN / LSTM / GRU: a context
/// adapter, then an MLP decoder shared across the horizon's steps). <c>context_adapter</c>, a Linear, maps the encoder's
/// top state and the head covariates [h (H), future covariates of every step (O x F), statics (S)] to one context vector
/// of <see cref="ContextSize"/> per step; <c>mlp</c> (Linear, ReLU, Linear) maps each step's [context_t (C), future
/// covariates of step t (F), statics (S)] to that step's <see cref="Width"/> raw outputs (a point, the quantiles or a
/// distribution's parameters), so the step's output can depend on products of a known-ahead covariate and a static one
/// (a promotion that raises one group and lowers another), which a linear head over the same inputs cannot form.
/// Parameters: <c>context_adapter.weight</c> (O x C, H + O x F + S), <c>context_adapter.bias</c>, <c>mlp.0.weight</c>
/// (D, C + F + S), <c>mlp.0.bias</c>, <c>mlp.2.weight</c> (W, D), <c>mlp.2.bias</c>.
/// </summary>
public sealed class RecurrentDecoder : Module
{
    /// <summary>Context values per forecast step (NeuralForecast's <c>context_size</c> default).</summary>
    public const int ContextSize = 10;

    private readonly Linear _adapter;
    private readonly Sequential _mlp;
    private readonly int _hidden, _steps, _future, _static;

    /// <summary>Raw outputs per step (the output head's width).</summary>
    public int Width { get; }

    /// <summary>Values of the encoder state it reads (H).</summary>
    internal int Hidden => _hidden;
    /// <summary>Forecast steps (O).</summary>
    internal int Steps => _steps;
    /// <summary>Future covariates per step (F).</summary>
    internal int Future => _future;
    /// <summary>Static inputs (S).</summary>
    internal int Statics => _static;
    /// <summary>The context adapter (H + O x F + S to O x C).</summary>
    internal Linear Adapter => _adapter;
    /// <summary>The per-step decoder (C + F + S to W).</summary>
    internal Sequential Mlp => _mlp;

    /// <summary>
    /// A decoder from a state of <paramref name="hidden"/> values to <paramref name="steps"/> steps of <paramref name="width"/>
    /// outputs, reading <paramref name="future"/> future covariates per step and <paramref name="statics"/> static inputs,
    /// with a hidden layer of <paramref name="decoderHidden"/> units (NeuralForecast's <c>decoder_hidden_size</c>); PyTorch
    /// initialisation drawn from <paramref name="rng"/>.
    /// </summary>
    public RecurrentDecoder(int hidden, int steps, int width, int future, int statics, int decoderHidden, Rng rng)
    {
        if (hidden < 1 || steps < 1 || width < 1 || decoderHidden < 1 || future < 0 || statics < 0)
            throw new ArgumentOutOfRangeException(nameof(hidden), $"RecurrentDecoder: sizes must be positive (covariates non-negative), got hidden {hidden}, steps {steps}, width {width}, decoder hidden {decoderHidden}, future {future}, statics {statics}.");
        _hidden = hidden; _steps = steps; _future = future; _static = statics; Width = width;
        _adapter = RegisterModule("context_adapter", new Linear(hidden + steps * future + statics, steps * ContextSize, rng: rng));
        _mlp = RegisterModule("mlp", new Sequential(new Linear(ContextSize + future + statics, decoderHidden, rng: rng), new ReLU(), new Linear(decoderHidden, width, rng: rng)));
    }

    /// <summary>
    /// The top state <paramref name="state"/> (B, H) and the head covariates <paramref name="head"/> (B, O x F + S, laid out
    /// as <see cref="Covariates.CovariateBatch.Head"/>) to the raw outputs (B, O x W), the step's W values fastest.
    /// </summary>
    public Tensor Forward(Tensor state, Tensor head)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(head);
        int b = state.Dim(0), o = _steps, f = _future, s = _static;
        if (state.Rank != 2 || state.Dim(1) != _hidden || head.Rank != 2 || head.Dim(0) != b || head.Dim(1) != o * f + s)
            throw new ArgumentException($"RecurrentDecoder: expected state (B, {_hidden}) and head covariates (B, {o * f + s}), got {state.ShapeString} and {head.ShapeString}.", nameof(head));
        var context = Ops.Reshape(_adapter.Forward(Ops.Concat(1, state, head)), b, o, ContextSize);   // (B, H + OF + S) -> (B, O, C)
        var parts = new List<Tensor> { context };
        if (f > 0) parts.Add(Ops.Reshape(Ops.Slice(head, 1, 0, o * f), b, o, f));                   // (B, O, F)
        if (s > 0)
        {
            var statics = Ops.Reshape(Ops.Slice(head, 1, o * f, s), b, 1, s);                       // (B, 1, S)
            parts.Add(o == 1 ? statics : Ops.Concat(1, [.. Enumerable.Repeat(statics, o)]));        // (B, O, S)
        }
        var input = parts.Count == 1 ? context : Ops.Concat(2, [.. parts]);                          // (B, O, C + F + S)
        return Ops.Reshape(_mlp.Forward(input), b, o * Width);                                       // (B, O, W) -> (B, O*W)
    }

    /// <summary>The ONNX graph of <see cref="Forward"/>; <paramref name="path"/> is the decoder's name in the model.</summary>
    public OnnxValue ExportOnnx(OnnxExportContext context, OnnxValue state, OnnxValue head, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(head);
        var batch = state.Shape[0];
        int o = _steps, f = _future, s = _static;
        OnnxDim[] Steps(int width) => [batch, OnnxDim.Fixed(o), OnnxDim.Fixed(width)];
        var adapted = context.Linear(_adapter, path + ".context_adapter", context.Concat([state, head], 1, path + ".context_adapter.input"));
        var parts = new List<OnnxValue> { context.Reshape(adapted, [0, o, ContextSize], Steps(ContextSize), path + ".context") };         // (B, O, C)
        if (f > 0)
            parts.Add(context.Reshape(context.Slice(head, 1, 0, o * f, path + ".future.flat"), [0, o, f], Steps(f), path + ".future"));  // (B, O, F)
        if (s > 0)
        {
            var statics = context.Reshape(context.Slice(head, 1, o * f, s, path + ".statics.flat"), [0, 1, s],
                [batch, OnnxDim.Fixed(1), OnnxDim.Fixed(s)], path + ".statics.row");                                                      // (B, 1, S)
            parts.Add(o == 1 ? statics : context.Concat([.. Enumerable.Repeat(statics, o)], 1, path + ".statics"));                      // (B, O, S)
        }
        var input = parts.Count == 1 ? parts[0] : context.Concat(parts, 2, path + ".mlp.input");                                         // (B, O, C + F + S)
        var raw = context.Layer(_mlp, path + ".mlp", input);                                                                             // (B, O, W)
        return context.Reshape(raw, [0, o * Width], [batch, OnnxDim.Fixed(o * Width)], path + ".output");                                 // (B, O*W)
    }

    /// <summary>The names (under <paramref name="prefix"/>) and shapes of the decoder's parameters, in registration order.</summary>
    public static IEnumerable<(string Name, long[] Shape)> ParameterShapes(string prefix, long hidden, long steps, long width, long future, long statics, long decoderHidden)
    {
        yield return ($"{prefix}.context_adapter.weight", [steps * ContextSize, hidden + steps * future + statics]);
        yield return ($"{prefix}.context_adapter.bias", [steps * ContextSize]);
        yield return ($"{prefix}.mlp.0.weight", [decoderHidden, ContextSize + future + statics]);
        yield return ($"{prefix}.mlp.0.bias", [decoderHidden]);
        yield return ($"{prefix}.mlp.2.weight", [width, decoderHidden]);
        yield return ($"{prefix}.mlp.2.bias", [width]);
    }
}
