using Hindsight.Layers;
using Hindsight.Operations;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Inference;

/// <summary>
/// Forward-only execution of a <see cref="Sequential"/> of <see cref="Linear"/>, <see cref="ReLU"/>, <see cref="Tanh"/> and
/// <see cref="Sigmoid"/> layers on (B, in) rows: no tape, no tensors, two buffers sized once per batch size (a call with a
/// batch size seen before allocates nothing), activations applied in place. The results are the bits of the model's
/// no-grad <c>Forward</c>. The weights are read, and packed as the GEMM packs them, when the predictor is made and by
/// <see cref="Refresh"/>: call it after changing them. A product the GEMM would run on its packed path runs on the
/// packed weights with the bias and a following ReLU applied as its tiles are stored (<see cref="GemmPrepacked"/>).
/// One predictor serves one thread at a time.
/// </summary>
public sealed class SequentialPredictor
{
    private readonly Layer[] _layers;
    // per layer: the Linear's weights as last read and packed (null for an activation)
    private readonly PrepackedWeights?[] _weights;
    private readonly int _lastLinear;
    private float[] _a = [], _b = [];

    /// <summary>Plans <paramref name="model"/>; any other layer type is an <see cref="ArgumentException"/>.</summary>
    public SequentialPredictor(Sequential model) : this((model ?? throw new ArgumentNullException(nameof(model))).Layers, nameof(model)) { }

    /// <summary>
    /// Plans <paramref name="layers"/> applied in order, as a <see cref="Sequential"/> of them would run (for a model whose
    /// layers sit in more than one module, such as a stack followed by its output layer).
    /// </summary>
    public SequentialPredictor(IReadOnlyList<Layer> layers) : this(layers, nameof(layers)) { }

    // paramName: the public constructor's parameter the errors name
    private SequentialPredictor(IReadOnlyList<Layer> layers, string paramName)
    {
        ArgumentNullException.ThrowIfNull(layers, paramName);
        _layers = [.. layers];
        if (_layers.Length == 0 || _layers[0] is not Linear)
            throw new ArgumentException("SequentialPredictor: the model must start with a Linear layer.", paramName);
        int features = -1;
        for (int i = 0; i < _layers.Length; i++)
        {
            switch (_layers[i])
            {
                case Linear linear:
                    if (features >= 0 && linear.InFeatures != features)
                        throw new ArgumentException($"SequentialPredictor: layer {i} takes {linear.InFeatures} features; the layer before gives {features}.", paramName);
                    if (features < 0) InputSize = linear.InFeatures;
                    features = linear.OutFeatures;
                    break;
                case ReLU or Tanh or Sigmoid: break;
                default:
                    throw new ArgumentException($"SequentialPredictor: layer {i} ({_layers[i].GetType().Name}) is not supported (Linear, ReLU, Tanh, Sigmoid).", paramName);
            }
        }
        if (features < 0) throw new ArgumentException("SequentialPredictor: the model has no Linear layer.", paramName);
        OutputSize = features;
        _lastLinear = Array.FindLastIndex(_layers, l => l is Linear);
        _weights = new PrepackedWeights?[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
            if (_layers[i] is Linear linear)
                _weights[i] = new PrepackedWeights(linear.Weight.Data, BiasOf(linear), linear.OutFeatures, linear.InFeatures);
    }

    private static ReadOnlySpan<float> BiasOf(Linear linear) => linear.Bias is { } b ? b.Data : default;

    /// <summary>Re-reads the weights of the Linear layers (after training or loading); layers whose weights did not change are skipped.</summary>
    public void Refresh()
    {
        for (int i = 0; i < _layers.Length; i++)
            if (_layers[i] is Linear linear) _weights[i]!.Update(linear.Weight.Data, BiasOf(linear));
    }

    /// <summary>Features of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Features of an output row.</summary>
    public int OutputSize { get; }

    /// <summary>Runs the model on <paramref name="input"/> (B, in) into <paramref name="output"/> (B, out).</summary>
    public void Run(ReadOnlySpan<float> input, int batch, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "SequentialPredictor: batch must be positive.");
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"SequentialPredictor: input has {input.Length} values; batch {batch} x {InputSize} features need {batch * InputSize}.", nameof(input));
        if (output.Length != batch * OutputSize)
            throw new ArgumentException($"SequentialPredictor: output has {output.Length} values; {batch * OutputSize} expected.", nameof(output));
        ReadOnlySpan<float> x = input;
        int features = InputSize;
        bool useA = true;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_weights[i] is { } w)
            {
                int n = batch * w.N;
                Span<float> y;
                // the last Linear writes straight into output (only activations follow it, applied there in place)
                if (i == _lastLinear) y = output;
                else
                {
                    ref float[] buffer = ref useA ? ref _a : ref _b;
                    if (buffer.Length < n) buffer = new float[n];
                    y = buffer.AsSpan(0, n);
                    useA = !useA;
                }
                if (Packed(batch, w.N, features))
                {
                    // bias and a following ReLU in the product's store: that ReLU is done
                    bool relu = i + 1 < _layers.Length && _layers[i + 1] is ReLU;
                    w.MatchWidth();
                    GemmPrepacked.Run(x, batch, w, y, relu);
                    if (relu) i++;
                }
                else Ops.LinearForward(y, x, w.Weight, w.HasBias ? w.Bias : default, batch, features, w.N);
                x = y; features = w.N;
                continue;
            }
            // activations in place on the current buffer (x is one of ours or the output by now)
            var v = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x), x.Length);
            switch (_layers[i])
            {
                case ReLU: TensorPrimitives.Max(v, 0f, v); break;
                case Tanh: Activation.Tanh(v, v); break;
                case Sigmoid: Activation.Sigmoid(v, v); break;
            }
        }
    }

    /// <summary>Whether <see cref="Gemm.Run(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/> runs <c>x W^T</c> (m, n, k) on its packed path (else its direct loops, kept as they are).</summary>
    private static bool Packed(int m, int n, int k) => (long)m * n * k >= Gemm.PackedThreshold && m >= 4 && n >= 8;

    /// <summary>The same as <see cref="Run(ReadOnlySpan{float}, int, Span{float})"/> on a (B, in) tensor, into a new tensor.</summary>
    public Tensor Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Dim(1) != InputSize)
            throw new ArgumentException($"SequentialPredictor: input must be (batch, {InputSize}), got {input.ShapeString}.", nameof(input));
        var output = new Tensor(input.Dim(0), OutputSize);
        Run(input.Data, input.Dim(0), output.Data);
        return output;
    }
}
