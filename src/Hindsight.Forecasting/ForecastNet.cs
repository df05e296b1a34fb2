using Hindsight.Forecasting.Networks;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Forecasting;

/// <summary>
/// The network inside a <see cref="NeuralForecaster"/>: a window x (B, L) to a direct multi-step forecast (B, O), O the
/// horizon (or 1 for a recursive model, <see cref="NeuralConfig.OutputSteps"/>).
/// Parameter names follow PyTorch (<c>mlp.0.weight</c>, <c>rnn.weight_ih_l0</c>, <c>head.weight</c>, <c>jordan.weight_yh_l0</c>,
/// <c>stacks.0.blocks.0.fc.0.weight</c> for N-BEATS and N-HiTS, <c>decoder.context_adapter.weight</c> and
/// <c>decoder.mlp.0.weight</c> for a recurrent kind's <see cref="Networks.RecurrentDecoder"/>, ...).
/// </summary>
public sealed partial class ForecastNet : Module, IOnnxExportable
{
    private readonly NeuralKind _kind;
    private readonly Sequential? _mlp;
    private readonly Rnn? _rnn;
    private readonly Lstm? _lstm;
    private readonly Gru? _gru;
    private readonly Jordan? _jordan;
    private readonly Linear? _head;
    private readonly Networks.RecurrentDecoder? _decoder;
    private readonly NBeatsNetwork? _stacks;
    private readonly int _hidden, _horizon, _layers;
    private readonly int _stepCovariates, _headCovariates;

    /// <summary>Builds the network for <paramref name="config"/> with PyTorch initialisation drawn from <paramref name="rng"/>.</summary>
    public ForecastNet(NeuralConfig config, Rng rng) : this(config, rng, null) { }

    /// <summary>
    /// As <see cref="ForecastNet(NeuralConfig, Rng)"/>, taking the covariates of <paramref name="covariates"/> (null: none):
    /// the mlp and N-BEATS/N-HiTS blocks read them concatenated to the window, recurrent kinds read the step channels beside
    /// each input value and, with future or static covariates, decode the top state with the forecast steps' future and
    /// static inputs through a <see cref="Networks.RecurrentDecoder"/> in place of the linear head
    /// (<see cref="Covariates.CovariateBatch"/>). Without covariates (or with past ones only) rnn, lstm and gru keep the
    /// linear head on the top state.
    /// </summary>
    public ForecastNet(NeuralConfig config, Rng rng, Covariates.CovariateEncoder? covariates)
    {
        ArgumentNullException.ThrowIfNull(config);
        _kind = config.Kind; _hidden = config.Hidden; _horizon = config.NetworkOutputs; _layers = config.Layers;
        int l = config.Lookback, h = config.Hidden, o = config.NetworkOutputs; // O steps x the head's width (1 for a point forecast)
        if (covariates is not null)
        {
            if (_kind is not (NeuralKind.Mlp or NeuralKind.Rnn or NeuralKind.Lstm or NeuralKind.Gru or NeuralKind.NBeats or NeuralKind.NBeatsInterpretable or NeuralKind.NHits))
                throw new ArgumentException($"ForecastNet: the {_kind.ModelName()} network takes no covariates.", nameof(covariates));
            _stepCovariates = Covariates.CovariateBatch.StepWidth(covariates);
            _headCovariates = Covariates.CovariateBatch.HeadWidth(covariates, config.OutputSteps);
        }
        int exogenous = l * _stepCovariates + _headCovariates; // the flattened covariates beside a window
        int sc = _stepCovariates, hc = _headCovariates;
        switch (_kind)
        {
            case NeuralKind.Mlp:
                _mlp = RegisterModule("mlp", new Sequential(new Linear(l + exogenous, h, rng: rng), new ReLU(), new Linear(h, h, rng: rng), new ReLU(), new Linear(h, o, rng: rng)));
                break;
            case NeuralKind.Rnn: _rnn = RegisterModule("rnn", new Rnn(1 + sc, h, _layers, batchFirst: true, rng: rng)); break;
            case NeuralKind.Lstm: _lstm = RegisterModule("lstm", new Lstm(1 + sc, h, _layers, batchFirst: true, rng: rng)); break;
            case NeuralKind.Gru: _gru = RegisterModule("gru", new Gru(1 + sc, h, _layers, batchFirst: true, rng: rng)); break;
            case NeuralKind.Jordan: _jordan = RegisterModule("jordan", new Jordan(1, h, o, _layers, batchFirst: true, rng: rng)); break;
            case NeuralKind.NBeats or NeuralKind.NBeatsInterpretable or NeuralKind.NHits:
                _stacks = RegisterModule("stacks", new NBeatsNetwork(_kind, l, o, config.Stacks, config.StackBlocks, config.BlockWidth, config.BlockLayers, rng, exogenous, config.Head.Width));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(config), config.Kind, "Unknown network kind.");
        }
        if (_kind is NeuralKind.Rnn or NeuralKind.Lstm or NeuralKind.Gru)
        {
            if (hc == 0) _head = RegisterModule("head", new Linear(h, o, rng: rng));
            else _decoder = RegisterModule("decoder", new Networks.RecurrentDecoder(h, config.OutputSteps, config.Head.Width,
                covariates!.FutureWidth, covariates.StaticWidth, DecoderHidden(config), rng));
        }
    }

    /// <summary>
    /// x (B, L) to the forecast (B, O). <paramref name="lengths"/> (recurrent kinds only): the valid leading steps of each
    /// row; the recurrent state after the last valid step is used, so what follows it in the row does not matter.
    /// </summary>
    public Tensor Forward(Tensor x, int[]? lengths = null) => Forward(x, lengths, null);

    /// <summary>Whether the network was built to take covariates (then <see cref="Forward(Tensor, int[], Covariates.CovariateBatch)"/> needs them).</summary>
    public bool TakesCovariates => _stepCovariates + _headCovariates > 0;

    /// <summary>Covariate channels beside each input value (S of <see cref="Covariates.CovariateBatch.Steps"/>; 0 without).</summary>
    internal int StepCovariates => _stepCovariates;

    /// <summary>Head covariates per window (E of <see cref="Covariates.CovariateBatch.Head"/>; 0 without).</summary>
    internal int HeadCovariates => _headCovariates;

    /// <summary>
    /// As <see cref="Forward(Tensor, int[])"/> with the windows' covariates <paramref name="covariates"/> (required when
    /// the network was built with covariates, else null).
    /// </summary>
    public Tensor Forward(Tensor x, int[]? lengths, Covariates.CovariateBatch? covariates)
    {
        ArgumentNullException.ThrowIfNull(x);
        int b = x.Dim(0), t = x.Dim(1);
        if (TakesCovariates != covariates is not null)
            throw new ArgumentException(TakesCovariates ? "ForecastNet: the network was built with covariates; give them." : "ForecastNet: the network was built without covariates.", nameof(covariates));
        if (_mlp is not null || _stacks is not null)
        {
            if (lengths is not null) throw new ArgumentException($"ForecastNet: the {_kind.ModelName()} network takes full windows only (no lengths).");
            var exogenous = covariates is null ? null : Ops.Concat(1, Ops.Reshape(covariates.Steps, b, t * _stepCovariates), covariates.Head); // (B, L*S + E)
            return _mlp is not null
                ? _mlp.Forward(exogenous is null ? x : Ops.Concat(1, x, exogenous))     // (B,L[+X]) -> (B,O)
                : _stacks!.Forward(x, exogenous);                                       // (B,L) and (B,X) -> (B,O)
        }
        var seq = Ops.Reshape(x, b, t, 1);                                               // (B,L,1)
        if (covariates is not null) seq = Ops.Concat(2, seq, covariates.Steps);          // (B,L,1+S)
        RecurrentLayer recurrent = (RecurrentLayer?)_jordan ?? (RecurrentLayer?)_rnn ?? (RecurrentLayer?)_lstm ?? _gru!;
        var last = recurrent.Forward(seq, null, lengths).Hidden;                       // (layers,B,F), state after each row's last valid step
        if (_jordan is not null) return Top(last);                                       // Jordan's state is its output: (B,O)
        var top = Top(last);                                                             // (B,H)
        return _decoder is not null
            ? _decoder.Forward(top, covariates!.Head)                                    // (B,H) and (B,E) -> (B,O)
            : _head!.Forward(top);                                                       // (B,H) -> (B,O)
    }

    /// <summary>Hidden units of a recurrent kind's <see cref="Networks.RecurrentDecoder"/>: the encoder's (NeuralForecast's default <c>decoder_hidden_size</c> equals its <c>encoder_hidden_size</c>).</summary>
    internal static int DecoderHidden(NeuralConfig config) => config.Hidden;

    // The top layer of a (layers, B, F) state as (B, F).
    private Tensor Top(Tensor state)
    {
        int b = state.Dim(1), f = state.Dim(2);
        return _layers == 1 ? Ops.Reshape(state, b, f) : Ops.Select(state, 0, _layers - 1);
    }
}
