using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Operations;

namespace Hindsight.Inference;

/// <summary>
/// Forward-only execution of a recurrent layer (<see cref="Rnn"/>, <see cref="Lstm"/>, <see cref="Gru"/>; one direction,
/// any number of layers) with an optional <see cref="Linear"/> head, for serving a trained model: no tape, buffers sized
/// once per input shape (a call with a shape seen before allocates nothing), the recurrent weights transposed once,
/// and with <see cref="RecurrentReadout.LastStep"/> only the last step's state read (the top layer's output sequence
/// is never written). Starts from zero states or carries a state from call to call (generation one step at a time), and
/// takes per-row lengths (the layer's <c>lengths</c>). With <see cref="Hindsight.Tensors.Kernels.KernelThreads.Count"/> above one
/// a large enough batch runs as row ranges, each over the whole sequence on its own thread. The results are the bits of the layer's no-grad <c>Forward</c>
/// (with the same initial state and lengths) followed by the head (<c>head.Forward(h_n[top])</c>, or
/// <c>head.Forward(output)</c> on every step).
/// The recurrent weights are read at construction and by <see cref="Refresh"/>: call it after changing them.
/// One predictor serves one thread at a time.
/// </summary>
public sealed class RecurrentPredictor
{
    private readonly RecurrentBase _layer;
    private readonly Linear? _head;
    private readonly RecurrentBase.InferenceWeights _weights;
    private readonly RecurrentBase.InferenceBuffers _buffers;
    // (B,H) last state or (T*B,H) sequence feeding the head
    private float[] _headInput = [];

    /// <summary>
    /// Plans <paramref name="layer"/> followed by <paramref name="head"/> (or none) read at the last step or at every step.
    /// </summary>
    public RecurrentPredictor(RecurrentBase layer, Linear? head = null, RecurrentReadout readout = RecurrentReadout.LastStep)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.SupportsInference)
            throw new ArgumentException("RecurrentPredictor: a bidirectional layer is not supported (one direction only).", nameof(layer));
        if (head is not null && head.InFeatures != layer.HiddenSize)
            throw new ArgumentException($"RecurrentPredictor: head has {head.InFeatures} input features; the layer gives {layer.HiddenSize}.", nameof(head));
        if (readout is not (RecurrentReadout.LastStep or RecurrentReadout.EveryStep))
            throw new ArgumentOutOfRangeException(nameof(readout), readout, "RecurrentPredictor: unknown readout.");
        _layer = layer; _head = head; Readout = readout;
        _weights = new RecurrentBase.InferenceWeights(layer);
        _buffers = new RecurrentBase.InferenceBuffers(layer);
    }

    /// <summary>Which steps the output holds.</summary>
    public RecurrentReadout Readout { get; }

    /// <summary>Features per step of the input.</summary>
    public int InputSize => _layer.InputSize;

    /// <summary>Features of the output per row (and step): the head's outputs, or the hidden size without a head.</summary>
    public int OutputSize => _head?.OutFeatures ?? _layer.HiddenSize;

    /// <summary>Elements of the output for <paramref name="batch"/> rows of <paramref name="steps"/> steps.</summary>
    public int OutputLength(int batch, int steps) => Readout == RecurrentReadout.EveryStep ? batch * steps * OutputSize : batch * OutputSize;

    /// <summary>Elements of a carried state (<c>hidden</c> or <c>cell</c> of <see cref="Run(ReadOnlySpan{float}, int, int, Span{float}, ReadOnlySpan{int}, Span{float}, Span{float})"/>) for <paramref name="batch"/> rows: layers x batch x hidden size.</summary>
    public int StateLength(int batch) => _layer.NumLayers * batch * _layer.HiddenSize;

    /// <summary>Calls that ran the batch as row ranges on the kernel threads (tests' evidence that the split ran).</summary>
    internal int SplitRuns => _buffers.Split?.Runs ?? 0;

    /// <summary>Re-reads the recurrent layer's weights (after training or loading).</summary>
    public void Refresh() => _weights.Refresh();

    /// <summary>
    /// Runs the model. <paramref name="input"/> is (B, T, I) when the layer is batch-first, else (T, B, I); <paramref name="output"/>
    /// receives (B, O) for <see cref="RecurrentReadout.LastStep"/>, or the layer's layout (B, T, O) / (T, B, O) for every step.
    /// <paramref name="lengths"/> (B; empty: every step valid): each row's valid leading steps, 1..T, as the layer's
    /// <c>lengths</c>: the last step's output is the state after the row's last valid step, every-step outputs past it are
    /// the head applied to zeros. <paramref name="hidden"/> (L, B, H) and <paramref name="cell"/> (L, B, H, an LSTM's cell
    /// state): when not empty, read as the initial state and overwritten with the final state (carry a state from call to
    /// call by passing the same spans; clear them to reset); empty: the call starts from zeros.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, int batch, int steps, Span<float> output, ReadOnlySpan<int> lengths = default,
        Span<float> hidden = default, Span<float> cell = default)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "RecurrentPredictor: batch must be positive.");
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "RecurrentPredictor: steps must be positive.");
        int B = batch, T = steps, H = _layer.HiddenSize;
        if (input.Length != T * B * InputSize)
            throw new ArgumentException($"RecurrentPredictor: input has {input.Length} values; batch {B} x steps {T} x {InputSize} features need {T * B * InputSize}.", nameof(input));
        int need = OutputLength(B, T);
        if (output.Length != need)
            throw new ArgumentException($"RecurrentPredictor: output has {output.Length} values; {need} expected.", nameof(output));
        if (!lengths.IsEmpty)
        {
            if (lengths.Length != B)
                throw new ArgumentException($"RecurrentPredictor: lengths has {lengths.Length} entries; batch is {B}.", nameof(lengths));
            foreach (int n in lengths)
                if (n < 1 || n > T) throw new ArgumentException($"RecurrentPredictor: a length of {n} is out of range 1..{T} (steps).", nameof(lengths));
        }
        int stateLength = StateLength(B);
        if (!hidden.IsEmpty && hidden.Length != stateLength)
            throw new ArgumentException($"RecurrentPredictor: hidden has {hidden.Length} values; layers x batch x hidden size is {stateLength}.", nameof(hidden));
        if (!cell.IsEmpty && (_layer.Kind != CellKind.Lstm || cell.Length != stateLength))
            throw new ArgumentException(_layer.Kind != CellKind.Lstm ? "RecurrentPredictor: only an Lstm has a cell state."
                : $"RecurrentPredictor: cell has {cell.Length} values; layers x batch x hidden size is {stateLength}.", nameof(cell));
        var state = new RecurrentBase.InferenceState(lengths, hidden, cell);
        bool everyStep = Readout == RecurrentReadout.EveryStep;
        if (_head is null)
        {
            if (everyStep) _layer.InferInLayout(_weights, _buffers, input, T, B, output, default, in state);
            else _layer.InferInLayout(_weights, _buffers, input, T, B, default, output, in state);
            return;
        }
        int rows = everyStep ? T * B : B;
        if (_headInput.Length < rows * H) _headInput = new float[rows * H];
        var headIn = _headInput.AsSpan(0, rows * H);
        if (everyStep) _layer.InferInLayout(_weights, _buffers, input, T, B, headIn, default, in state);
        else _layer.InferInLayout(_weights, _buffers, input, T, B, default, headIn, in state);
        Ops.LinearForward(output, headIn, _head.Weight.Data, _head.Bias is { } b ? b.Data : default, rows, H, _head.OutFeatures);
    }

    /// <summary>The same as <see cref="Run(ReadOnlySpan{float}, int, int, Span{float}, ReadOnlySpan{int}, Span{float}, Span{float})"/> on a rank-3 tensor (from zero states), into a new tensor.</summary>
    public Tensor Run(Tensor input, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Dim(2) != InputSize)
            throw new ArgumentException($"RecurrentPredictor: input must be ({(_layer.BatchFirst ? "batch, steps" : "steps, batch")}, {InputSize}), got {input.ShapeString}.", nameof(input));
        int B = _layer.BatchFirst ? input.Dim(0) : input.Dim(1), T = _layer.BatchFirst ? input.Dim(1) : input.Dim(0);
        var output = Readout == RecurrentReadout.LastStep ? new Tensor(B, OutputSize)
            : _layer.BatchFirst ? new Tensor(B, T, OutputSize) : new Tensor(T, B, OutputSize);
        Run(input.Data, B, T, output.Data, lengths);
        return output;
    }
}

/// <summary>Which steps of a recurrent layer a <see cref="RecurrentPredictor"/> reads.</summary>
public enum RecurrentReadout
{
    /// <summary>The top layer's state after the last step (a forecaster's or classifier's head): output (B, O).</summary>
    LastStep,
    /// <summary>Every step of the top layer's output sequence (a head on every step): output in the layer's layout.</summary>
    EveryStep,
}
