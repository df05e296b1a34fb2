using Hindsight.Forecasting.Networks;
using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;

namespace Hindsight.Forecasting;

/// <summary>
/// Forward-only execution of a <see cref="ForecastNet"/> without covariates, for forecasting: the mlp through a
/// <see cref="SequentialPredictor"/>, rnn, lstm and gru through a <see cref="RecurrentPredictor"/> with the head on the
/// last step (and per-row lengths for short windows), N-BEATS and N-HiTS through an <see cref="NBeatsPredictor"/>. No
/// tape; buffers sized once per batch size and window length (a call with a shape seen before allocates nothing). The
/// results are the bits of <see cref="ForecastNet.Forward(Tensor, int[])"/> under <c>Tape.NoGrad()</c> in evaluation
/// mode. The weights are read when the predictor is made and by <see cref="Refresh"/>.
/// One predictor serves one thread at a time.
/// </summary>
public sealed class ForecastNetPredictor
{
    private readonly SequentialPredictor? _mlp;
    private readonly RecurrentPredictor? _recurrent;
    private readonly NBeatsPredictor? _stacks;

    private ForecastNetPredictor(SequentialPredictor? mlp, RecurrentPredictor? recurrent, NBeatsPredictor? stacks, int outputs)
    {
        _mlp = mlp; _recurrent = recurrent; _stacks = stacks; OutputSize = outputs;
    }

    /// <summary>
    /// A predictor for <paramref name="net"/>, or null when it has no inference path (a network built with covariates,
    /// Jordan): call its <c>Forward</c> then.
    /// </summary>
    public static ForecastNetPredictor? TryCreate(ForecastNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (net.TakesCovariates) return null;
        var children = net.NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        if (children.TryGetValue("mlp", out var mlp) && mlp is Sequential sequential)
        {
            var p = new SequentialPredictor(sequential);
            return new ForecastNetPredictor(p, null, null, p.OutputSize);
        }
        if (children.TryGetValue("stacks", out var stacks) && stacks is NBeatsNetwork network)
        {
            var p = new NBeatsPredictor(network);
            return new ForecastNetPredictor(null, null, p, p.OutputSize);
        }
        var recurrent = children.Values.OfType<RecurrentBase>().FirstOrDefault();
        if (recurrent is { Bidirectional: false, InputSize: 1, BatchFirst: true } && children.TryGetValue("head", out var head)
            && head is Linear linear && linear.InFeatures == recurrent.HiddenSize)
        {
            var p = new RecurrentPredictor(recurrent, linear, RecurrentReadout.LastStep);
            return new ForecastNetPredictor(null, p, null, p.OutputSize);
        }
        return null;
    }

    /// <summary>The predictors kept between prediction calls, one per network (refreshed when rented).</summary>
    internal static PredictorCache<ForecastNet, ForecastNetPredictor> Kept { get; } = new(TryCreate, p => p.Refresh());

    /// <summary>Re-reads the weights (after training or loading).</summary>
    public void Refresh()
    {
        _mlp?.Refresh();
        _recurrent?.Refresh();
        _stacks?.Refresh();
    }

    /// <summary>Values of a forecast row (the network's outputs).</summary>
    public int OutputSize { get; }

    /// <summary>Whether the network reads windows shorter than its lookback through per-row lengths (the recurrent kinds).</summary>
    public bool TakesLengths => _recurrent is not null;

    /// <summary>
    /// Runs the network on the windows <paramref name="x"/> (B, L) into <paramref name="output"/> (B, O).
    /// <paramref name="lengths"/> (B; recurrent kinds only, empty: full windows): the valid leading values of each row.
    /// </summary>
    public void Run(ReadOnlySpan<float> x, int batch, int lookback, ReadOnlySpan<int> lengths, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "ForecastNetPredictor: batch must be positive.");
        if (!lengths.IsEmpty && !TakesLengths)
            throw new ArgumentException("ForecastNetPredictor: the network takes full windows only (no lengths).", nameof(lengths));
        if (x.Length != batch * lookback)
            throw new ArgumentException($"ForecastNetPredictor: x has {x.Length} values; batch {batch} x lookback {lookback} need {batch * lookback}.", nameof(x));
        if (_recurrent is not null) _recurrent.Run(x, batch, lookback, output, lengths);   // (B, L, 1) batch-first -> (B, O)
        else if (_mlp is not null) _mlp.Run(x, batch, output);                             // (B, L) -> (B, O)
        else _stacks!.Run(x, batch, output);                                              // (B, L) -> (B, O)
    }
}
