namespace Hindsight.Layers.Recurrent;

/// <summary>
/// Jordan network (the seed's section 4; PyTorch has no such layer): the recurrence runs through the output,
/// <code>
/// h_t = act_h(W_ih x_t + b_h + W_yh y_{t-1})    // (B, H)
/// y_t = act_y(W_ho h_t + b_o)                   // (B, O), also the state passed to step t+1
/// </code>
/// Parameters per layer k (suffix <c>_l{k}</c> as <c>nn.RNN</c>): <c>weight_ih_lk</c> (H, I_k), <c>weight_yh_lk</c> (H, O),
/// <c>bias_h_lk</c> (H), <c>weight_ho_lk</c> (O, H), <c>bias_o_lk</c> (O). All drawn from U(-1/sqrt(H), 1/sqrt(H)) as
/// <c>nn.RNN</c> initialises its weights, in that order per layer.
/// <para>
/// Layers: with <c>numLayers</c> &gt; 1, layer k &gt; 0 reads the outputs y of layer k-1 (so I_k = O), and every layer
/// feeds back its own output; the initial outputs <c>y0</c> (the state's H) and the final ones (the returned state's H) are (numLayers, B, O), as <c>h0</c>/<c>h_n</c>
/// of <c>nn.RNN</c>. Variable lengths: the same rule as <see cref="Rnn"/> (each 1..T; a step t &gt;= lengths[b]
/// leaves sequence b's state unchanged and outputs zeros).
/// </para>
/// <para>
/// The call is the one of every recurrent layer, <see cref="RecurrentLayer.Forward(Tensor, HiddenState?, int[])"/>:
/// the state's <see cref="HiddenState.H"/> is the fed-back output, y0 on input and every layer's last valid output
/// on return; <see cref="HiddenState.C"/> is not used. Forward and backward through time are fused (one tape entry
/// per call); the activations the backward needs live in workspaces kept by the layer under the same rule as
/// <see cref="RecurrentBase"/> (reused once no pending tape entry needs them). For serving a trained network,
/// <see cref="Inference.JordanPredictor"/> gives the same bits without a tape or those workspaces.
/// </para>
/// </summary>
public sealed partial class Jordan : RecurrentLayer
{
    /// <summary>Input features I.</summary>
    public override int InputSize { get; }
    /// <summary>Hidden units H.</summary>
    public int HiddenSize { get; }
    /// <summary>Output features O (also the fed-back state).</summary>
    public override int OutputSize { get; }
    /// <summary>Number of stacked layers.</summary>
    public override int NumLayers { get; }
    /// <summary>Activation of the hidden units (<c>act_h</c>, tanh by default).</summary>
    public JordanActivation HiddenActivation { get; }
    /// <summary>Activation of the outputs (<c>act_y</c>, identity by default).</summary>
    public JordanActivation OutputActivation { get; }
    /// <summary>Whether input and output are (B, T, F) instead of (T, B, F).</summary>
    public override bool BatchFirst { get; }

    private readonly LayerWeights[] _layers;

    internal sealed record LayerWeights(Tensor WeightIh, Tensor WeightYh, Tensor BiasH, Tensor WeightHo, Tensor BiasO)
    {
        public int In => WeightIh.Dim(1);
    }

    internal IReadOnlyList<LayerWeights> Layers => _layers;

    /// <summary>Creates the network; <paramref name="rng"/> defaults to the thread's <see cref="Rng.Default"/>.</summary>
    public Jordan(int inputSize, int hiddenSize, int outputSize, int numLayers = 1,
        JordanActivation hiddenActivation = JordanActivation.Tanh, JordanActivation outputActivation = JordanActivation.Identity,
        bool batchFirst = false, Rng? rng = null)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || outputSize <= 0 || numLayers <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize),
                $"Jordan: sizes must be positive, got input={inputSize}, hidden={hiddenSize}, output={outputSize}, layers={numLayers}.");
        InputSize = inputSize; HiddenSize = hiddenSize; OutputSize = outputSize; NumLayers = numLayers;
        HiddenActivation = hiddenActivation; OutputActivation = outputActivation; BatchFirst = batchFirst;
        float k = 1f / MathF.Sqrt(hiddenSize);
        _layers = new LayerWeights[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            int inF = l == 0 ? inputSize : outputSize;
            _layers[l] = new LayerWeights(
                RegisterParameter($"weight_ih_l{l}", Tensor.Uniform(-k, k, rng, hiddenSize, inF)),
                RegisterParameter($"weight_yh_l{l}", Tensor.Uniform(-k, k, rng, hiddenSize, outputSize)),
                RegisterParameter($"bias_h_l{l}", Tensor.Uniform(-k, k, rng, hiddenSize)),
                RegisterParameter($"weight_ho_l{l}", Tensor.Uniform(-k, k, rng, outputSize, hiddenSize)),
                RegisterParameter($"bias_o_l{l}", Tensor.Uniform(-k, k, rng, outputSize)));
        }
    }

    /// <summary>
    /// Runs the network: <paramref name="input"/> (T, B, I) or (B, T, I) with batch-first; the state's H the outputs
    /// fed back at step 0, (numLayers, B, O), zeros when null; <paramref name="lengths"/> as for every recurrent layer.
    /// Returns the top layer's outputs (T, B, O) / (B, T, O) (zeros past a sequence's length) and, as the state's H,
    /// every layer's last valid output (numLayers, B, O).
    /// </summary>
    private protected override RecurrentOutput ForwardSequence(Tensor input, HiddenState? state, int[]? lengths)
    {
        string layout = BatchFirst ? "(batch, seq_len, input_size)" : "(seq_len, batch, input_size)";
        if (input.Rank != 3)
            throw new ArgumentException($"Jordan: input must have rank 3 {layout}, got shape {input.ShapeString}.", nameof(input));
        if (input.Dim(2) != InputSize)
            throw new ArgumentException($"Jordan: input shape {input.ShapeString} {layout} has {input.Dim(2)} features; expected input_size {InputSize}.", nameof(input));
        int T = BatchFirst ? input.Dim(1) : input.Dim(0), B = BatchFirst ? input.Dim(0) : input.Dim(1);
        if (T == 0 || B == 0)
            throw new ArgumentException($"Jordan: input shape {input.ShapeString} {layout} is empty; seq_len and batch must be at least 1.", nameof(input));
        if (state?.C is { } c)
            throw new ArgumentException($"Jordan: the initial state has a cell state c0 {c.ShapeString}; only an Lstm has one.", nameof(state));
        var y0 = state?.H;
        if (y0 is not null && !y0.HasShape(NumLayers, B, OutputSize))
            throw new ArgumentException($"Jordan: y0 (the state's H) has shape {y0.ShapeString}, expected ({NumLayers}, {B}, {OutputSize}) (num_layers, batch, output_size).", nameof(state));
        ValidateLengths("Jordan", lengths, T, B, input);
        var output = Tensor.Output(BatchFirst ? [B, T, OutputSize] : [T, B, OutputSize]);
        var last = Tensor.Output(NumLayers, B, OutputSize);
        bool record = Tape.ShouldRecord(input, y0) || (Tape.IsRecording && Array.Exists(_layers, w =>
            w.WeightIh.RequiresGrad || w.WeightYh.RequiresGrad || w.BiasH.RequiresGrad || w.WeightHo.RequiresGrad || w.BiasO.RequiresGrad));
        var ws = AcquireWorkspace(T, B, record);
        ws.Lengths = lengths is null ? null : (int[])lengths.Clone();
        ForwardFused(ws, input, y0, output, last);
        if (record)
            Tape.Record(new TapeEntry(BackwardEntry, output, input, y0, context: ws, output2: last));
        return new RecurrentOutput(output, new HiddenState(last));
    }

    private static void BackwardEntry(in TapeEntry e)
    {
        var ws = (Workspace)e.Context!;
        ws.Owner.BackwardFused(ws, e.A!, e.B, e.Output, e.Output2!);
    }
}
