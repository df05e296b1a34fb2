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
    private float[]? _a, _b;
    private readonly long _macsPerRow;

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
            {
                _macsPerRow += (long)linear.InFeatures * linear.OutFeatures;
                _weights[i] = new PrepackedWeights(linear.Weight.Data, BiasOf(linear), linear.OutFeatures, linear.InFeatures);
            }
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
        foreach (var w in _weights) w?.MatchWidth();   // packed for this thread's width (the parts on other threads use it too)
        if (AllPacked(batch)) RunBlocks(input, batch, output);
        else RunLayers(input, batch, batch, output, ref _a, ref _b, split: true);
    }

    /// <summary>
    /// Every layer on <paramref name="rows"/> rows of <paramref name="input"/> into <paramref name="output"/>, in the buffers
    /// <paramref name="a"/> and <paramref name="b"/>; each product takes the GEMM's path for <paramref name="batch"/> rows
    /// (the whole call's), and may split its rows over threads when <paramref name="split"/>.
    /// </summary>
    private void RunLayers(ReadOnlySpan<float> input, int rows, int batch, Span<float> output, ref float[]? a, ref float[]? b, bool split)
    {
        ReadOnlySpan<float> x = input;
        int features = InputSize;
        bool useA = true;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_weights[i] is { } w)
            {
                int n = rows * w.N;
                Span<float> y;
                // the last Linear writes straight into output (only activations follow it, applied there in place)
                if (i == _lastLinear) y = output;
                else
                {
                    ref float[]? buffer = ref useA ? ref a : ref b;
                    if (buffer is null || buffer.Length < n) buffer = new float[n];
                    y = buffer.AsSpan(0, n);
                    useA = !useA;
                }
                if (Packed(batch, w.N, features))
                {
                    // bias and a following ReLU in the product's store: that ReLU is done
                    bool relu = i + 1 < _layers.Length && _layers[i + 1] is ReLU;
                    GemmPrepacked.Run(x, rows, w, y, relu, split);
                    if (relu) i++;
                }
                else Ops.LinearForward(y, x, w.Weight, w.HasBias ? w.Bias : default, rows, features, w.N);
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

    /// <summary>Whether every product of a call with <paramref name="batch"/> rows takes the packed path.</summary>
    private bool AllPacked(int batch)
    {
        for (int i = 0; i < _weights.Length; i++)
            if (_weights[i] is { } w && !Packed(batch, w.N, w.K)) return false;
        return true;
    }

    // a block's two buffers on each thread that runs blocks
    [ThreadStatic] private static float[]? t_blockA, t_blockB;

    private unsafe struct BlockJob
    {
        public SequentialPredictor Predictor;
        public float* Input, Output;
        public int Batch, Block;
    }

    /// <summary>
    /// The whole model on blocks of rows (a multiple of the register tile's rows, so the one short tile is the call's last,
    /// as for the whole batch), so that a block's activations stay in cache between layers; the blocks split over
    /// <see cref="KernelThreads"/>. Each row's arithmetic is the same in any block, so are its bits.
    /// </summary>
    private unsafe void RunBlocks(ReadOnlySpan<float> input, int batch, Span<float> output)
    {
        int threads = KernelThreads.Count, mr = GemmMicroKernel.MR;
        // one thread: blocks of 64 rows; more: at least two blocks per thread, of 8 to 64 rows
        int block = threads == 1 ? BlockRows
            : Math.Clamp((batch + 2 * threads - 1) / (2 * threads) + mr - 1, mr, BlockRows) / mr * mr;
        int blocks = (batch + block - 1) / block;
        fixed (float* pin = input, pout = output)
        {
            var job = new BlockJob { Predictor = this, Input = pin, Output = pout, Batch = batch, Block = block };
            void* state = System.Runtime.CompilerServices.Unsafe.AsPointer(ref job);
            if (threads > 1 && blocks >= 2 && batch * _macsPerRow >= GemmPrepacked.ParallelThreshold && KernelThreads.TryBegin())
                KernelThreads.Execute(&RunBlock, state, blocks);
            else
                for (int q = 0; q < blocks; q++) RunBlock(state, q);
        }
    }

    private const int BlockRows = 64;

    private static unsafe void RunBlock(void* state, int q)
    {
        ref var j = ref System.Runtime.CompilerServices.Unsafe.AsRef<BlockJob>(state);
        var p = j.Predictor;
        int r0 = q * j.Block, rows = Math.Min(j.Block, j.Batch - r0);
        p.RunLayers(new ReadOnlySpan<float>(j.Input + (long)r0 * p.InputSize, rows * p.InputSize), rows, j.Batch,
            new Span<float>(j.Output + (long)r0 * p.OutputSize, rows * p.OutputSize), ref t_blockA, ref t_blockB, split: false);
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
