using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// One N-BEATS block (Oreshkin et al. 2020, fig. 1), or an N-HiTS block when it pools its input: the window x (B, L),
/// max-pooled by <see cref="PoolKernel"/> (N-HiTS's multi-rate sampling, <c>MaxPool1d(k, stride=k, ceil_mode=True)</c>;
/// 1: no pooling) to (B, ceil(L/k)), runs through <c>fc</c>, a stack of Linear+ReLU layers of the same width, then
/// <c>theta</c>, a Linear to the basis coefficients (B, ThetaSize), which <see cref="Basis"/> expands into the backcast
/// (B, L) and the forecast (B, H). Parameters: <c>fc.0.weight</c>, <c>fc.0.bias</c>, <c>fc.2.weight</c>, ...,
/// <c>theta.weight</c>, <c>theta.bias</c>.
/// </summary>
public sealed class NBeatsBlock : Module
{
    private readonly Sequential _fc;
    private readonly Linear _theta;

    /// <summary>The Linear+ReLU stack <c>fc</c> (for <see cref="NBeatsPredictor"/>).</summary>
    internal Sequential Fc => _fc;
    /// <summary>The coefficient layer <c>theta</c> (for <see cref="NBeatsPredictor"/>).</summary>
    internal Linear Theta => _theta;

    /// <summary>Input pooling kernel (1: none).</summary>
    public int PoolKernel { get; }
    /// <summary>How the coefficients become the backcast and forecast.</summary>
    public BlockBasis Basis { get; }

    /// <summary>A block over windows of <paramref name="lookback"/> values, PyTorch initialisation drawn from <paramref name="rng"/>.</summary>
    public NBeatsBlock(int lookback, int poolKernel, int width, int layers, BlockBasis basis, Rng rng) : this(lookback, poolKernel, width, layers, basis, rng, 0) { }

    /// <summary>
    /// As <see cref="NBeatsBlock(int, int, int, int, BlockBasis, Rng)"/>, with <paramref name="exogenous"/> covariate inputs
    /// concatenated to the (pooled) window before the first layer (NBEATSx, NeuralForecast's NHITS with exogenous inputs).
    /// </summary>
    public NBeatsBlock(int lookback, int poolKernel, int width, int layers, BlockBasis basis, Rng rng, int exogenous)
    {
        ArgumentNullException.ThrowIfNull(basis);
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"NBeatsBlock: layers must be positive, got {layers}.");
        if (poolKernel < 1) throw new ArgumentOutOfRangeException(nameof(poolKernel), $"NBeatsBlock: pool kernel must be positive, got {poolKernel}.");
        PoolKernel = poolKernel; Basis = basis;
        var fc = new List<Layer>();
        for (int i = 0; i < layers; i++)
        {
            fc.Add(new Linear(i == 0 ? InputSize(lookback, poolKernel) + exogenous : width, width, rng: rng));
            fc.Add(new ReLU());
        }
        _fc = RegisterModule("fc", new Sequential([.. fc]));
        _theta = RegisterModule("theta", new Linear(width, basis.ThetaSize, rng: rng));
    }

    /// <summary>The fc stack's input size: the window length after pooling, ceil(L / kernel).</summary>
    public static int InputSize(int lookback, int poolKernel) => Ops.PooledLength(lookback, poolKernel, poolKernel, ceilMode: true);

    /// <summary>x (B, L) to backcast (B, L) and forecast (B, H).</summary>
    public (Tensor Backcast, Tensor Forecast) Forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, L) and the covariate inputs <paramref name="exogenous"/> (B, X) (null without) to backcast (B, L) and forecast (B, H).</summary>
    public (Tensor Backcast, Tensor Forecast) Forward(Tensor x, Tensor? exogenous)
    {
        var input = PoolKernel > 1 ? Ops.MaxPool1d(x, PoolKernel, ceilMode: true) : x;   // (B, ceil(L/k))
        if (exogenous is not null) input = Ops.Concat(1, input, exogenous);                // (B, ceil(L/k) + X)
        var theta = _theta.Forward(_fc.Forward(input));                                     // (B, width) -> (B, ThetaSize)
        return Basis.Expand(theta);
    }

    /// <summary>
    /// The ONNX graph of <see cref="Forward(Tensor, Tensor)"/>; <paramref name="path"/> is the block's name in the model,
    /// <paramref name="exogenous"/> (B, X) the covariate inputs (null without).
    /// </summary>
    public (OnnxValue Backcast, OnnxValue Forecast) ExportOnnx(OnnxExportContext context, OnnxValue x, string path, OnnxValue? exogenous = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = PoolKernel > 1 ? context.MaxPool1d(x, PoolKernel, ceilMode: true, path + ".pool") : x;       // (B, ceil(L/k))
        if (exogenous is not null) input = context.Concat([input, exogenous], 1, path + ".exogenous");          // (B, ceil(L/k) + X)
        var theta = context.Linear(_theta, path + ".theta", context.Layer(_fc, path + ".fc", input));
        return Basis.ExportOnnx(context, theta, path);
    }

    /// <summary>The names (under <paramref name="prefix"/>) and shapes of a block's parameters, in registration order.</summary>
    public static IEnumerable<(string Name, long[] Shape)> ParameterShapes(string prefix, long inputSize, long width, int layers, long thetaSize)
    {
        for (int i = 0; i < layers; i++)
        {
            yield return ($"{prefix}.fc.{2 * i}.weight", [width, i == 0 ? inputSize : width]);
            yield return ($"{prefix}.fc.{2 * i}.bias", [width]);
        }
        yield return ($"{prefix}.theta.weight", [thetaSize, width]);
        yield return ($"{prefix}.theta.bias", [thetaSize]);
    }
}
