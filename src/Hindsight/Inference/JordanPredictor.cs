using Hindsight.Layers.Recurrent;
using Hindsight.Operations;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Inference;

/// <summary>
/// Forward-only execution of a <see cref="Jordan"/> network (any number of layers, either layout), for serving a trained
/// model: no tape and no workspace for a backward, buffers sized once per input shape (a call with a shape seen before
/// allocates nothing). Per layer the input projection of every step at once, then step by step the fed-back term, the
/// hidden activation and the output, as the layer's <c>Forward</c> runs them, so the results are its bits (from zero
/// initial outputs, with the same lengths); only the fed-back state of each layer is kept (not the step-by-step
/// activations a backward reads), and with <see cref="RecurrentReadout.LastStep"/> the top layer's output sequence is
/// never written. Weights are read at every call. One predictor serves one thread at a time.
/// </summary>
public sealed class JordanPredictor
{
    private readonly Jordan _layer;
    // (T, B, I) time-first input; (T, B, H) a layer's hidden units; (T, B, O) two layers' output sequences (one read, one
    // written); (B, O) the fed-back state; (B, O) one step's outputs
    private float[] _inputTimeFirst = [], _hidden = [], _outA = [], _outB = [], _state = [], _step = [];

    /// <summary>Plans <paramref name="layer"/>, read at the last step or at every step.</summary>
    public JordanPredictor(Jordan layer, RecurrentReadout readout = RecurrentReadout.LastStep)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (readout is not (RecurrentReadout.LastStep or RecurrentReadout.EveryStep))
            throw new ArgumentOutOfRangeException(nameof(readout), readout, "JordanPredictor: unknown readout.");
        _layer = layer; Readout = readout;
    }

    /// <summary>Which steps the output holds.</summary>
    public RecurrentReadout Readout { get; }

    /// <summary>Features per step of the input (I).</summary>
    public int InputSize => _layer.InputSize;

    /// <summary>Outputs per row and step (O).</summary>
    public int OutputSize => _layer.OutputSize;

    /// <summary>Elements of the output for <paramref name="batch"/> rows of <paramref name="steps"/> steps.</summary>
    public int OutputLength(int batch, int steps) => Readout == RecurrentReadout.EveryStep ? batch * steps * OutputSize : batch * OutputSize;

    /// <summary>
    /// Runs the network from zero initial outputs. <paramref name="input"/> is (B, T, I) when the layer is batch-first, else
    /// (T, B, I); <paramref name="output"/> receives (B, O) for <see cref="RecurrentReadout.LastStep"/>: the top layer's
    /// output after each row's last valid step (the top layer's part of the layer's returned state), or for every step the
    /// layer's output in its layout (zeros past a row's length). <paramref name="lengths"/> (B; empty: every step valid):
    /// each row's valid leading steps, 1..T, as the layer's <c>lengths</c>.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, int batch, int steps, Span<float> output, ReadOnlySpan<int> lengths = default)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "JordanPredictor: batch must be positive.");
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "JordanPredictor: steps must be positive.");
        int B = batch, T = steps, H = _layer.HiddenSize, O = _layer.OutputSize, L = _layer.NumLayers;
        if (input.Length != T * B * InputSize)
            throw new ArgumentException($"JordanPredictor: input has {input.Length} values; batch {B} x steps {T} x {InputSize} features need {T * B * InputSize}.", nameof(input));
        if (output.Length != OutputLength(B, T))
            throw new ArgumentException($"JordanPredictor: output has {output.Length} values; {OutputLength(B, T)} expected.", nameof(output));
        if (!lengths.IsEmpty)
        {
            if (lengths.Length != B)
                throw new ArgumentException($"JordanPredictor: lengths has {lengths.Length} entries; batch is {B}.", nameof(lengths));
            foreach (int n in lengths)
                if (n < 1 || n > T) throw new ArgumentException($"JordanPredictor: a length of {n} is out of range 1..{T} (steps).", nameof(lengths));
        }
        bool everyStep = Readout == RecurrentReadout.EveryStep;
        // (B, T, I) -> (T, B, I); with one row the two layouts are the same values
        ReadOnlySpan<float> x = input;
        if (_layer.BatchFirst && B > 1)
        {
            var swapped = Buffer(ref _inputTimeFirst, T * B * InputSize);
            RecurrentLayer.SwapTimeBatch(input, swapped, B, T, InputSize, accumulate: false);
            x = swapped;
        }
        var hidden = Buffer(ref _hidden, T * B * H);
        var state = Buffer(ref _state, B * O);
        var step = Buffer(ref _step, B * O);
        bool writeA = true;
        for (int l = 0; l < L; l++)
        {
            var w = _layer.Layers[l];
            bool top = l == L - 1;
            // the layer's output sequence (T, B, O): read by the layer above, or by every-step readout at the top (straight
            // into the output when it is time-first); not written for the top layer read at its last step
            Span<float> sequence = default;
            if (!top || everyStep)
            {
                ref float[] buffer = ref writeA ? ref _outA : ref _outB;
                sequence = top && (!_layer.BatchFirst || B == 1) ? output : Buffer(ref buffer, T * B * O);
                writeA = !writeA;
            }
            state.Clear();
            // a = x W_ih^T + b_h for every step at once; the fed-back term is added step by step
            Ops.LinearForward(hidden, x, w.WeightIh.Data, w.BiasH.Data, T * B, w.In, H);
            for (int t = 0; t < T; t++)
            {
                var ht = hidden.Slice(t * B * H, B * H);
                // h_t = act_h(a_t + y_{t-1} W_yh^T); y_t = act_y(h_t W_ho^T + b_o)
                Gemm.Run(false, true, B, H, O, state, O, w.WeightYh.Data, O, ht, H, accumulate: true);
                JordanActivationMath.Apply(_layer.HiddenActivation, ht);
                var yt = sequence.IsEmpty ? step : sequence.Slice(t * B * O, B * O);
                Ops.LinearForward(yt, ht, w.WeightHo.Data, w.BiasO.Data, B, H, O);
                JordanActivationMath.Apply(_layer.OutputActivation, yt);
                if (lengths.IsEmpty)
                {
                    yt.CopyTo(state);
                    continue;
                }
                // a row past its length keeps its state and outputs zeros
                for (int b = 0; b < B; b++)
                {
                    if (t < lengths[b]) yt.Slice(b * O, O).CopyTo(state.Slice(b * O, O));
                    else if (!sequence.IsEmpty) yt.Slice(b * O, O).Clear();
                }
            }
            if (top && !everyStep) state.CopyTo(output);
            x = sequence;
        }
        if (everyStep && _layer.BatchFirst && B > 1)
            RecurrentLayer.SwapTimeBatch(x, output, T, B, O, accumulate: false);
    }

    /// <summary>The same as <see cref="Run(ReadOnlySpan{float}, int, int, Span{float}, ReadOnlySpan{int})"/> on a rank-3 tensor, into a new tensor.</summary>
    public Tensor Run(Tensor input, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Dim(2) != InputSize)
            throw new ArgumentException($"JordanPredictor: input must be ({(_layer.BatchFirst ? "batch, steps" : "steps, batch")}, {InputSize}), got {input.ShapeString}.", nameof(input));
        int B = _layer.BatchFirst ? input.Dim(0) : input.Dim(1), T = _layer.BatchFirst ? input.Dim(1) : input.Dim(0);
        var output = Readout == RecurrentReadout.LastStep ? new Tensor(B, OutputSize)
            : _layer.BatchFirst ? new Tensor(B, T, OutputSize) : new Tensor(T, B, OutputSize);
        Run(input.Data, B, T, output.Data, lengths);
        return output;
    }

    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
