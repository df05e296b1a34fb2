using Hindsight.Inference;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// Forward-only execution of an <see cref="NBeatsNetwork"/>: per block the max-pooling, the covariate inputs placed
/// beside the pooled window (NBEATSx, when the network reads them), the <c>fc</c> stack and <c>theta</c> (one
/// <see cref="SequentialPredictor"/>), the basis products, the residual and the forecast sum, on buffers sized once per
/// batch size (a call with a batch size seen before allocates nothing). The same operations on the same operands as
/// <see cref="NBeatsNetwork.Forward(Tensor, Tensor)"/>, so the same bits; the last block's backcast, which feeds nothing,
/// is not computed. The fc and theta weights are read when the predictor is made and by <see cref="Refresh"/>, the basis
/// matrices at every call. One predictor serves one thread at a time.
/// </summary>
public sealed class NBeatsPredictor
{
    private readonly Block[] _blocks;
    // (B, L) residual window; (B, ceil(L/k)) pooled; (B, ThetaSize) coefficients; (B, Pb), (B, Pf) their two parts;
    // (B, L) backcast; (B, H) one block's forecast; (B, ceil(L/k) + X) a block's input beside the covariate inputs
    private float[] _residual = [], _pooled = [], _theta = [], _backTheta = [], _foreTheta = [], _backcast = [], _blockForecast = [], _withExogenous = [];

    private sealed record Block(int Pool, int PooledLength, SequentialPredictor Layers, BlockBasis Basis);

    /// <summary>Plans <paramref name="network"/> (with or without covariate inputs, <see cref="ExogenousSize"/>).</summary>
    public NBeatsPredictor(NBeatsNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var first = network.Blocks[0].Basis;
        Lookback = first.BackcastMatrix?.Dim(1) ?? first.BackcastSize;
        OutputSize = first.ForecastMatrix?.Dim(1) ?? first.ForecastSize;
        _blocks = new Block[network.Blocks.Count];
        for (int i = 0; i < _blocks.Length; i++)
        {
            var block = network.Blocks[i];
            int pooled = NBeatsBlock.InputSize(Lookback, block.PoolKernel);
            if (block.Fc.Layers[0] is not Layers.Linear { } input || input.InFeatures < pooled || (i > 0 && input.InFeatures - pooled != ExogenousSize))
                throw new ArgumentException($"NBeatsPredictor: block {i} reads an input of a size the network's windows and covariates do not give.", nameof(network));
            ExogenousSize = input.InFeatures - pooled;
            _blocks[i] = new Block(block.PoolKernel, pooled, new SequentialPredictor([.. block.Fc.Layers, block.Theta]), block.Basis);
        }
    }

    /// <summary>Re-reads the fc and theta weights (after training or loading); blocks whose weights did not change are skipped.</summary>
    public void Refresh()
    {
        foreach (var block in _blocks) block.Layers.Refresh();
    }

    /// <summary>Values of an input window (L).</summary>
    public int Lookback { get; }

    /// <summary>Values of a forecast row (H: steps x outputs per step).</summary>
    public int OutputSize { get; }

    /// <summary>Covariate inputs every block reads beside its window (X; 0 for a network without covariates).</summary>
    public int ExogenousSize { get; }

    /// <summary>Runs the network on the windows <paramref name="input"/> (B, L) into <paramref name="output"/> (B, H).</summary>
    public void Run(ReadOnlySpan<float> input, int batch, Span<float> output) => Run(input, default, batch, output);

    /// <summary>
    /// Runs the network on the windows <paramref name="input"/> (B, L) and their covariate inputs <paramref name="exogenous"/>
    /// (B, X; empty when <see cref="ExogenousSize"/> is 0) into <paramref name="output"/> (B, H).
    /// </summary>
    public void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> exogenous, int batch, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "NBeatsPredictor: batch must be positive.");
        int B = batch, L = Lookback, H = OutputSize;
        if (input.Length != B * L)
            throw new ArgumentException($"NBeatsPredictor: input has {input.Length} values; batch {B} x lookback {L} need {B * L}.", nameof(input));
        if (output.Length != B * H)
            throw new ArgumentException($"NBeatsPredictor: output has {output.Length} values; {B * H} expected.", nameof(output));
        int X = ExogenousSize;
        if (exogenous.Length != B * X)
            throw new ArgumentException($"NBeatsPredictor: exogenous has {exogenous.Length} values; batch {B} x {X} covariate inputs need {B * X}.", nameof(exogenous));
        var residual = Buffer(ref _residual, B * L);
        var backcast = Buffer(ref _backcast, B * L);
        var blockForecast = Buffer(ref _blockForecast, B * H);
        ReadOnlySpan<float> window = input;
        for (int i = 0; i < _blocks.Length; i++)
        {
            var block = _blocks[i];
            var basis = block.Basis;
            bool last = i == _blocks.Length - 1;
            // fc and theta on the (pooled) window: (B, L) -> (B, ceil(L/k)) -> (B, ThetaSize)
            ReadOnlySpan<float> blockInput = window;
            if (block.Pool > 1)
            {
                var pooled = Buffer(ref _pooled, B * block.PooledLength);
                MaxPool(window, pooled, B, L, block.PooledLength, block.Pool);
                blockInput = pooled;
            }
            if (X > 0)
            {
                // (B, P) beside (B, X) -> (B, P + X), Ops.Concat's copy
                int p = block.PooledLength;
                var joined = Buffer(ref _withExogenous, B * (p + X));
                for (int b = 0; b < B; b++)
                {
                    blockInput.Slice(b * p, p).CopyTo(joined.Slice(b * (p + X), p));
                    exogenous.Slice(b * X, X).CopyTo(joined.Slice(b * (p + X) + p, X));
                }
                blockInput = joined;
            }
            var theta = Buffer(ref _theta, B * basis.ThetaSize);
            block.Layers.Run(blockInput, B, theta);
            // the forecast: the first block's straight into the output, the others added to it
            Expand(theta, B, basis.BackcastSize, basis.ForecastSize, basis.ForecastMatrix, H, i == 0 ? output : blockForecast, ref _foreTheta);
            if (i > 0) TensorPrimitives.Add(output, blockForecast, output);
            if (last) break;
            // residual = residual - backcast
            Expand(theta, B, 0, basis.BackcastSize, basis.BackcastMatrix, L, backcast, ref _backTheta);
            TensorPrimitives.Subtract(window, backcast, residual);
            window = residual;
        }
    }

    // The coefficients theta[:, from..from+count] (B, count) times the basis matrix (count, width), or themselves
    // without one, into y (B, width): Ops.Slice's contiguous copy, then MatMul's product.
    private static void Expand(ReadOnlySpan<float> theta, int B, int from, int count, Tensor? matrix, int width, Span<float> y, ref float[] part)
    {
        int thetaSize = theta.Length / B;
        var coefficients = matrix is null ? y : Buffer(ref part, B * count);
        for (int b = 0; b < B; b++) theta.Slice(b * thetaSize + from, count).CopyTo(coefficients.Slice(b * count, count));
        if (matrix is not null) Gemm.Run(false, false, B, width, count, coefficients, count, matrix.Data, width, y, width, accumulate: false);
    }

    // y (B, lout): the maximum of each window of `kernel` values of x (B, l), the last one shorter (ceil mode); a NaN in a
    // window is its maximum (Ops.MaxPool1d's rule).
    private static void MaxPool(ReadOnlySpan<float> x, Span<float> y, int B, int l, int lout, int kernel)
    {
        for (int b = 0; b < B; b++)
        {
            var row = x.Slice(b * l, l);
            for (int j = 0; j < lout; j++)
            {
                int from = j * kernel, to = Math.Min(from + kernel, l);
                float max = row[from];
                for (int i = from + 1; i < to && !float.IsNaN(max); i++)
                    if (row[i] > max || float.IsNaN(row[i])) max = row[i];
                y[b * lout + j] = max;
            }
        }
    }

    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
