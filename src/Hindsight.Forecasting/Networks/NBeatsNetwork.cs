using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// N-BEATS and N-HiTS: blocks in stacks with doubly residual stacking (Oreshkin et al. 2020, eq. 1): each block reads
/// the residual window left by the blocks before it and removes its backcast from it; the forecast is the sum of the
/// blocks' forecasts. x (B, L) to the forecast (B, H). The blocks are children <c>{stack}.blocks.{block}</c>, so inside
/// <see cref="ForecastNet"/> (child <c>stacks</c>) a parameter reads <c>stacks.0.blocks.0.fc.0.weight</c>.
/// <list type="bullet">
/// <item><see cref="NeuralKind.NBeats"/>: <c>stacks</c> x <c>blocks</c> generic blocks.</item>
/// <item><see cref="NeuralKind.NBeatsInterpretable"/>: a trend stack then a seasonality stack of <c>blocks</c> blocks each
/// (the paper's interpretable configuration; the stack count is fixed at 2).</item>
/// <item><see cref="NeuralKind.NHits"/>: <c>stacks</c> x <c>blocks</c> blocks; stack s of S pools its input by
/// min(2, d) and forecasts max(H / d, 1) knots, d = 2^(S-1-s): NeuralForecast's defaults <c>n_pool_kernel_size=[2,2,1]</c>,
/// <c>n_freq_downsample=[4,2,1]</c> for three stacks, the coarsest first.</item>
/// </list>
/// </summary>
public sealed class NBeatsNetwork : Module
{
    private readonly List<NBeatsBlock> _blocks = [];

    /// <summary>The blocks in the order they run.</summary>
    public IReadOnlyList<NBeatsBlock> Blocks => _blocks;

    /// <summary>One stack's blocks: their basis kind, input pooling kernel and N-HiTS downsampling (1: none).</summary>
    private readonly record struct StackPlan(string Basis, int Pool, int Downsample);

    /// <summary>Builds the network of <paramref name="kind"/>, PyTorch initialisation drawn from <paramref name="rng"/> block by block.</summary>
    public NBeatsNetwork(NeuralKind kind, int lookback, int horizon, int stacks, int blocks, int width, int layers, Rng rng) : this(kind, lookback, horizon, stacks, blocks, width, layers, rng, 0) { }

    /// <summary>As the constructor without <paramref name="exogenous"/>, every block also reading that many covariate inputs (NBEATSx).</summary>
    public NBeatsNetwork(NeuralKind kind, int lookback, int horizon, int stacks, int blocks, int width, int layers, Rng rng, int exogenous)
        : this(kind, lookback, horizon, stacks, blocks, width, layers, rng, exogenous, 1) { }

    /// <summary>
    /// As <see cref="NBeatsNetwork(NeuralKind, int, int, int, int, int, int, Rng, int)"/> for a head of <paramref name="outputs"/>
    /// values per step (W): <paramref name="horizon"/> is then the network's output count, steps x W, laid out (B, steps, W).
    /// The generic and interpolation bases forecast all of them as they forecast steps; the trend and seasonality bases
    /// (<see cref="NeuralKind.NBeatsInterpretable"/>) forecast each of the W outputs as its own combination of their
    /// polynomials or harmonics over the steps (<see cref="BlockBasis.PerOutput"/>), as NeuralForecast's NBEATS with
    /// a multi-output loss: a quantile head's quantiles, or a distribution's location and scale, are each a trend plus a
    /// seasonality.
    /// </summary>
    public NBeatsNetwork(NeuralKind kind, int lookback, int horizon, int stacks, int blocks, int width, int layers, Rng rng, int exogenous, int outputs)
    {
        CheckSizes(lookback, horizon, stacks, blocks);
        CheckOutputs(horizon, outputs);
        var plan = Plan(kind, stacks);
        for (int s = 0; s < plan.Length; s++)
        {
            var p = plan[s];
            for (int b = 0; b < blocks; b++)
                _blocks.Add(RegisterModule($"{s}.blocks.{b}", new NBeatsBlock(lookback, p.Pool, width, layers, Basis(p, lookback, horizon, outputs), rng, exogenous)));
        }
    }

    private static void CheckOutputs(long horizon, int outputs)
    {
        if (outputs < 1 || horizon % outputs != 0)
            throw new ArgumentOutOfRangeException(nameof(outputs), $"NBeatsNetwork: the {horizon} outputs must be whole steps of {outputs} outputs each.");
    }

    /// <summary>True for the kinds this network implements.</summary>
    public static bool Implements(NeuralKind kind) => kind is NeuralKind.NBeats or NeuralKind.NBeatsInterpretable or NeuralKind.NHits;

    private static void CheckSizes(int lookback, int horizon, int stacks, int blocks)
    {
        if (lookback < 1 || horizon < 1) throw new ArgumentOutOfRangeException(nameof(lookback), $"NBeatsNetwork: lookback and horizon must be positive, got {lookback} and {horizon}.");
        if (stacks < 1 || blocks < 1) throw new ArgumentOutOfRangeException(nameof(stacks), $"NBeatsNetwork: stacks and blocks must be positive, got {stacks} and {blocks}.");
    }

    private static StackPlan[] Plan(NeuralKind kind, int stacks) => kind switch
    {
        NeuralKind.NBeats => [.. Enumerable.Repeat(new StackPlan("generic", 1, 1), stacks)],
        NeuralKind.NBeatsInterpretable => [new("trend", 1, 1), new("seasonality", 1, 1)],
        NeuralKind.NHits => [.. Enumerable.Range(0, stacks).Select(s => { int d = 1 << Math.Min(stacks - 1 - s, 20); return new StackPlan("interpolation", Math.Min(2, d), d); })],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "NBeatsNetwork: not an N-BEATS or N-HiTS kind."),
    };

    // The basis of a block of the stack; horizon counts the network's outputs (steps x outputs per step).
    private static BlockBasis Basis(StackPlan p, int lookback, int horizon, int outputs) => p.Basis switch
    {
        "generic" => BlockBasis.Generic(lookback, horizon),
        "trend" => TrendBasis.Create(lookback, horizon / outputs, TrendBasis.DefaultDegree, outputs),
        "seasonality" => SeasonalityBasis.Create(lookback, horizon / outputs, outputs),
        _ => InterpolationBasis.Create(lookback, horizon, p.Downsample),
    };

    // The basis's coefficient count, from the sizes alone (no matrices built).
    private static long ThetaSize(StackPlan p, long lookback, long horizon, int outputs) => p.Basis switch
    {
        "generic" => lookback + horizon,
        "trend" => (TrendBasis.DefaultDegree + 1L) * (1 + outputs),
        "seasonality" => 2L * (1 + Math.Max(horizon / outputs - 2, 0)) * (1 + outputs),
        _ => lookback + Math.Max(horizon / p.Downsample, 1),
    };

    /// <summary>x (B, L) to the forecast (B, H): the residual window passes block to block, the forecasts add up.</summary>
    public Tensor Forward(Tensor x) => Forward(x, null);

    /// <summary>x (B, L) and covariate inputs (B, X) (null without; the same for every block) to the forecast (B, H).</summary>
    public Tensor Forward(Tensor x, Tensor? exogenous)
    {
        var residual = x;
        Tensor? forecast = null;
        for (int i = 0; i < _blocks.Count; i++)
        {
            var (backcast, blockForecast) = _blocks[i].Forward(residual, exogenous);     // (B, L), (B, H)
            forecast = forecast is null ? blockForecast : Ops.Add(forecast, blockForecast);
            if (i < _blocks.Count - 1) residual = Ops.Sub(residual, backcast);          // the last backcast feeds nothing
        }
        return forecast!;
    }

    /// <summary>
    /// The ONNX graph of <see cref="Forward(Tensor, Tensor)"/>; <paramref name="path"/> is the network's name in the model,
    /// <paramref name="exogenous"/> (B, X) the covariate inputs every block reads (null without).
    /// </summary>
    public OnnxValue ExportOnnx(OnnxExportContext context, OnnxValue x, string path, OnnxValue? exogenous = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var residual = x;
        OnnxValue? forecast = null;
        var names = NamedChildren().Select(c => c.Name).ToArray();
        for (int i = 0; i < _blocks.Count; i++)
        {
            string name = $"{path}.{names[i]}";
            var (backcast, blockForecast) = _blocks[i].ExportOnnx(context, residual, name, exogenous);
            forecast = forecast is null ? blockForecast : context.Add(forecast, blockForecast, name + ".forecast_sum");
            if (i < _blocks.Count - 1) residual = context.Sub(residual, backcast, name + ".residual");
        }
        return forecast!;
    }

    /// <summary>
    /// The names (under <paramref name="prefix"/>) and shapes of the parameters the network of these sizes registers, in
    /// order, computed from the sizes alone (for checking a model file before anything is built); lazily, block by block.
    /// </summary>
    /// <remarks><paramref name="exogenous"/>: covariate inputs each block reads beside its window (0: none);
    /// <paramref name="outputs"/>: values per step of the head (<paramref name="horizon"/> counts steps x outputs).</remarks>
    public static IEnumerable<(string Name, long[] Shape)> ParameterShapes(string prefix, NeuralKind kind, int lookback, int horizon, int stacks, int blocks, int width, int layers, long exogenous = 0, int outputs = 1)
    {
        CheckSizes(lookback, horizon, stacks, blocks);
        CheckOutputs(horizon, outputs);
        var plan = Plan(kind, stacks);
        for (int s = 0; s < plan.Length; s++)
            for (int b = 0; b < blocks; b++)
                foreach (var t in NBeatsBlock.ParameterShapes($"{prefix}.{s}.blocks.{b}", NBeatsBlock.InputSize(lookback, plan[s].Pool) + exogenous, width, layers, ThetaSize(plan[s], lookback, horizon, outputs)))
                    yield return t;
    }
}
