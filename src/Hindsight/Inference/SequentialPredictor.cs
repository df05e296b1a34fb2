using Hindsight.Layers;
using Hindsight.Operations;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Inference;

/// <summary>
/// Forward-only execution of a <see cref="Sequential"/> of <see cref="Linear"/>, <see cref="ReLU"/>, <see cref="Tanh"/> and
/// <see cref="Sigmoid"/> layers on (B, in) rows: no tape, no tensors, two buffers sized once per batch size (a call with a
/// batch size seen before allocates nothing), activations applied in place. The results are the bits of the model's
/// no-grad <c>Forward</c>. Weights are read at every call. One predictor serves one thread at a time.
/// </summary>
public sealed class SequentialPredictor
{
    private readonly Layer[] _layers;
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
        // the last Linear writes straight into output when only activations-free layers follow it
        int lastLinear = Array.FindLastIndex(_layers, l => l is Linear);
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is Linear linear)
            {
                int n = batch * linear.OutFeatures;
                Span<float> y;
                if (i == lastLinear) y = output;
                else
                {
                    ref float[] buffer = ref useA ? ref _a : ref _b;
                    if (buffer.Length < n) buffer = new float[n];
                    y = buffer.AsSpan(0, n);
                    useA = !useA;
                }
                Ops.LinearForward(y, x, linear.Weight.Data, linear.Bias is { } b ? b.Data : default, batch, features, linear.OutFeatures);
                x = y; features = linear.OutFeatures;
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
