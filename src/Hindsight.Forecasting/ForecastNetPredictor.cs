using Hindsight.Forecasting.Networks;
using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;

namespace Hindsight.Forecasting;

/// <summary>
/// Forward-only execution of a <see cref="ForecastNet"/>, for forecasting: the mlp through a
/// <see cref="SequentialPredictor"/>, rnn, lstm and gru through a <see cref="RecurrentPredictor"/> with the head on the
/// last step (and per-row lengths for short windows), or with future or static covariates the top state through a
/// <see cref="RecurrentDecoderPredictor"/>; jordan through a <see cref="JordanPredictor"/>; N-BEATS and N-HiTS through an
/// <see cref="NBeatsPredictor"/>. Covariates are laid beside the inputs as <see cref="ForecastNet.Forward(Tensor, int[], Covariates.CovariateBatch)"/>
/// lays them (the mlp's and N-BEATS' flattened after the window, the recurrent kinds' beside each input value). No
/// tape; buffers sized once per batch size and window length (a call with a shape seen before allocates nothing). The
/// results are the bits of <see cref="ForecastNet.Forward(Tensor, int[], Covariates.CovariateBatch)"/> under
/// <c>Tape.NoGrad()</c> in evaluation mode. The weights are read when the predictor is made and by
/// <see cref="Refresh"/>. One predictor serves one thread at a time.
/// </summary>
public sealed class ForecastNetPredictor
{
    private readonly SequentialPredictor? _mlp;
    private readonly RecurrentPredictor? _recurrent;
    private readonly RecurrentDecoderPredictor? _decoder;
    private readonly JordanPredictor? _jordan;
    private readonly NBeatsPredictor? _stacks;
    // (B, L + L x S + E) the mlp's rows; (B, L x S + E) N-BEATS' covariate inputs; (B, L, 1 + S) the recurrent input;
    // (B, H) the top state the decoder reads
    private float[] _rows = [], _exogenous = [], _sequence = [], _state = [];

    private ForecastNetPredictor(ForecastNet net, int outputs, SequentialPredictor? mlp = null, RecurrentPredictor? recurrent = null,
        RecurrentDecoderPredictor? decoder = null, JordanPredictor? jordan = null, NBeatsPredictor? stacks = null)
    {
        _mlp = mlp; _recurrent = recurrent; _decoder = decoder; _jordan = jordan; _stacks = stacks; OutputSize = outputs;
        StepCovariates = net.StepCovariates; HeadCovariates = net.HeadCovariates;
    }

    /// <summary>A predictor for <paramref name="net"/>, or null when it has no inference path (call its <c>Forward</c> then).</summary>
    public static ForecastNetPredictor? TryCreate(ForecastNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var children = net.NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        int steps = net.StepCovariates;
        if (children.TryGetValue("mlp", out var mlp) && mlp is Sequential sequential)
        {
            var p = new SequentialPredictor(sequential);
            return new ForecastNetPredictor(net, p.OutputSize, mlp: p);
        }
        if (children.TryGetValue("stacks", out var stacks) && stacks is NBeatsNetwork network)
        {
            var p = new NBeatsPredictor(network);
            return new ForecastNetPredictor(net, p.OutputSize, stacks: p);
        }
        if (children.TryGetValue("jordan", out var jordan) && jordan is Jordan { InputSize: 1, BatchFirst: true } layer && steps == 0)
            return new ForecastNetPredictor(net, layer.OutputSize, jordan: new JordanPredictor(layer, RecurrentReadout.LastStep));
        var recurrent = children.Values.OfType<RecurrentBase>().FirstOrDefault();
        if (recurrent is not { Bidirectional: false, BatchFirst: true } || recurrent.InputSize != 1 + steps) return null;
        if (children.TryGetValue("head", out var head) && head is Linear linear && linear.InFeatures == recurrent.HiddenSize)
        {
            var p = new RecurrentPredictor(recurrent, linear, RecurrentReadout.LastStep);
            return new ForecastNetPredictor(net, p.OutputSize, recurrent: p);
        }
        if (children.TryGetValue("decoder", out var decoder) && decoder is RecurrentDecoder d && d.Hidden == recurrent.HiddenSize)
        {
            var p = new RecurrentDecoderPredictor(d);
            return new ForecastNetPredictor(net, p.OutputSize, recurrent: new RecurrentPredictor(recurrent, null, RecurrentReadout.LastStep), decoder: p);
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
        _decoder?.Refresh();
        _stacks?.Refresh();
    }

    /// <summary>Values of a forecast row (the network's outputs).</summary>
    public int OutputSize { get; }

    /// <summary>Covariate channels beside each input value (S; 0 for a network without covariates).</summary>
    public int StepCovariates { get; }

    /// <summary>Head covariates per window (E: future covariates of the forecast steps, then statics; 0 without).</summary>
    public int HeadCovariates { get; }

    /// <summary>Whether the network reads windows shorter than its lookback through per-row lengths (the recurrent kinds).</summary>
    public bool TakesLengths => _recurrent is not null || _jordan is not null;

    /// <summary>
    /// Runs the network on the windows <paramref name="x"/> (B, L) into <paramref name="output"/> (B, O).
    /// <paramref name="lengths"/> (B; recurrent kinds only, empty: full windows): the valid leading values of each row.
    /// </summary>
    public void Run(ReadOnlySpan<float> x, int batch, int lookback, ReadOnlySpan<int> lengths, Span<float> output) =>
        Run(x, batch, lookback, lengths, default, default, output);

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, int, int, ReadOnlySpan{int}, Span{float})"/> with the windows' covariates:
    /// <paramref name="steps"/> (B, L, S) and <paramref name="head"/> (B, E), laid out as <see cref="Covariates.CovariateBatch"/>
    /// (both empty for a network without covariates).
    /// </summary>
    public void Run(ReadOnlySpan<float> x, int batch, int lookback, ReadOnlySpan<int> lengths, ReadOnlySpan<float> steps, ReadOnlySpan<float> head, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "ForecastNetPredictor: batch must be positive.");
        if (!lengths.IsEmpty && !TakesLengths)
            throw new ArgumentException("ForecastNetPredictor: the network takes full windows only (no lengths).", nameof(lengths));
        int B = batch, L = lookback, S = StepCovariates, E = HeadCovariates;
        if (x.Length != B * L)
            throw new ArgumentException($"ForecastNetPredictor: x has {x.Length} values; batch {B} x lookback {L} need {B * L}.", nameof(x));
        if (steps.Length != B * L * S)
            throw new ArgumentException($"ForecastNetPredictor: steps has {steps.Length} values; batch {B} x lookback {L} x {S} step covariates need {B * L * S}.", nameof(steps));
        if (head.Length != B * E)
            throw new ArgumentException($"ForecastNetPredictor: head has {head.Length} values; batch {B} x {E} head covariates need {B * E}.", nameof(head));
        if (_jordan is not null) _jordan.Run(x, B, L, output, lengths);                    // (B, L, 1) -> the top outputs (B, O)
        else if (_recurrent is not null) RunRecurrent(x, B, L, lengths, steps, head, output);
        else if (_mlp is not null)
        {
            // [x, steps, head] (B, L + L x S + E) -> (B, O)
            _mlp.Run(S + E == 0 ? x : Beside(ref _rows, x, L, steps, L * S, head, E, B), B, output);
        }
        else
        {
            // (B, L) and [steps, head] (B, L x S + E) -> (B, O)
            _stacks!.Run(x, S + E == 0 ? default : Beside(ref _exogenous, default, 0, steps, L * S, head, E, B), B, output);
        }
    }

    // The recurrent kinds: the input (B, L, 1 + S) to the head's (B, O), or the top state (B, H) through the decoder.
    private void RunRecurrent(ReadOnlySpan<float> x, int B, int L, ReadOnlySpan<int> lengths, ReadOnlySpan<float> steps, ReadOnlySpan<float> head, Span<float> output)
    {
        int S = StepCovariates;
        ReadOnlySpan<float> sequence = x;                                                  // (B, L, 1)
        if (S > 0)
        {
            // each input value beside its step's covariates, Ops.Concat's copy along the features: (B, L, 1 + S)
            var seq = Buffer(ref _sequence, B * L * (1 + S));
            for (int i = 0; i < B * L; i++)
            {
                seq[i * (1 + S)] = x[i];
                steps.Slice(i * S, S).CopyTo(seq.Slice(i * (1 + S) + 1, S));
            }
            sequence = seq;
        }
        if (_decoder is null)
        {
            _recurrent!.Run(sequence, B, L, output, lengths);                              // (B, L, 1 + S) -> (B, O)
            return;
        }
        var state = Buffer(ref _state, B * _decoder.StateSize);
        _recurrent!.Run(sequence, B, L, state, lengths);                                   // (B, L, 1 + S) -> (B, H)
        _decoder.Run(state, head, B, output);                                              // (B, H) and (B, E) -> (B, O)
    }

    // Per row [a (n), b (m), c (k)] into buffer (B, n + m + k).
    private static Span<float> Beside(ref float[] buffer, ReadOnlySpan<float> a, int n, ReadOnlySpan<float> b, int m, ReadOnlySpan<float> c, int k, int rows)
    {
        int w = n + m + k;
        var y = Buffer(ref buffer, rows * w);
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * w, w);
            a.Slice(r * n, n).CopyTo(row);
            b.Slice(r * m, m).CopyTo(row[n..]);
            c.Slice(r * k, k).CopyTo(row[(n + m)..]);
        }
        return y;
    }

    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
