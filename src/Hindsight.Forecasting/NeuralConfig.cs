using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>The architecture of a <see cref="NeuralForecaster"/>.</summary>
public enum NeuralKind
{
    /// <summary>Multi-layer perceptron on the flattened window: Linear(L, H) ReLU Linear(H, H) ReLU Linear(H, horizon).</summary>
    Mlp,
    /// <summary>Elman RNN (<c>nn.RNN</c>, tanh) over the window; Linear head on the last hidden state (with future or static covariates: a <see cref="Networks.RecurrentDecoder"/>).</summary>
    Rnn,
    /// <summary>LSTM over the window; Linear head on the last hidden state (with future or static covariates: a <see cref="Networks.RecurrentDecoder"/>).</summary>
    Lstm,
    /// <summary>GRU over the window; Linear head on the last hidden state (with future or static covariates: a <see cref="Networks.RecurrentDecoder"/>).</summary>
    Gru,
    /// <summary>Jordan network with output size horizon: the last step's output is the forecast, fed back at every step.</summary>
    Jordan,
    /// <summary>N-BEATS, generic: stacks of fully connected blocks with linear-projection bases and doubly residual stacking (<see cref="Networks.NBeatsNetwork"/>).</summary>
    NBeats,
    /// <summary>N-BEATS, interpretable: a trend stack (polynomial basis) then a seasonality stack (Fourier basis).</summary>
    NBeatsInterpretable,
    /// <summary>N-HiTS: N-BEATS blocks with multi-rate input pooling and forecast knots interpolated to the horizon.</summary>
    NHits,
}

/// <summary>Names of the <see cref="NeuralKind"/> values.</summary>
public static class NeuralKinds
{
    /// <summary>The model name of <paramref name="kind"/> (<c>mlp</c>, ..., <c>nbeats</c>, <c>nbeatsi</c>, <c>nhits</c>).</summary>
    public static string ModelName(this NeuralKind kind) => kind == NeuralKind.NBeatsInterpretable ? "nbeatsi" : kind.ToString().ToLowerInvariant();

    /// <summary>True for the recurrent kinds (rnn, lstm, gru, jordan), which take shorter windows through lengths.</summary>
    public static bool IsRecurrent(this NeuralKind kind) => kind is NeuralKind.Rnn or NeuralKind.Lstm or NeuralKind.Gru or NeuralKind.Jordan;
}

/// <summary>Settings of a <see cref="NeuralForecaster"/> (stored in its model file).</summary>
public sealed record NeuralConfig
{
    // The defaults (and ranges) are ForecastSettings' own: one place per setting.
    private static readonly ForecastSettings Defaults = new();

    /// <summary>Architecture.</summary>
    public NeuralKind Kind { get; init; } = NeuralKind.Mlp;
    /// <summary>Input window length L (lookback).</summary>
    public int Lookback { get; init; } = Defaults.Lookback;
    /// <summary>Values predicted at once (direct multi-step head).</summary>
    public int Horizon { get; init; } = Defaults.Horizon;
    /// <summary>Hidden units.</summary>
    public int Hidden { get; init; } = Defaults.Hidden;
    /// <summary>Stacked recurrent layers (rnn, lstm, gru, jordan); the head reads the top layer's last state. The MLP always has two hidden layers.</summary>
    public int Layers { get; init; } = Defaults.Layers;
    /// <summary>Units of each fully connected layer of an N-BEATS / N-HiTS block.</summary>
    public int BlockWidth { get; init; } = Defaults.BlockWidth;
    /// <summary>Fully connected layers (Linear+ReLU) per N-BEATS / N-HiTS block.</summary>
    public int BlockLayers { get; init; } = Defaults.BlockLayers;
    /// <summary>Stacks of N-BEATS generic and N-HiTS (the interpretable N-BEATS has two: trend, seasonality).</summary>
    public int Stacks { get; init; } = Defaults.Stacks;
    /// <summary>Blocks per stack of N-BEATS and N-HiTS.</summary>
    public int StackBlocks { get; init; } = Defaults.StackBlocks;
    /// <summary>Most passes over every training window.</summary>
    public int Epochs { get; init; } = Defaults.Epochs;
    /// <summary>Most Adam steps (training ends at this or <see cref="Epochs"/>, whichever comes first).</summary>
    public int Steps { get; init; } = Defaults.Steps;
    /// <summary>Halvings of the learning rate over <see cref="Steps"/> (0: constant).</summary>
    public int LrDecays { get; init; } = Defaults.LrDecays;
    /// <summary>Windows per Adam step.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = Defaults.LearningRate;
    /// <summary>Stop after this many epochs without a better validation loss (best weights restored); 0 trains every epoch.</summary>
    public int Patience { get; init; } = Defaults.Patience;
    /// <summary>Validation tail: the last this-many values of each series are held out of the training targets for early stopping (0: none, every window trains).</summary>
    public int Validation { get; init; } = Defaults.Validation;
    /// <summary>Seed of the initial weights and the shuffling.</summary>
    public ulong Seed { get; init; }
    /// <summary>
    /// Recursive multi-step: the network predicts one step and each prediction is fed back as the next input, so any horizon
    /// can be asked for; false (default): direct, one output per step of <see cref="Horizon"/> at once.
    /// </summary>
    public bool Recursive { get; init; }

    /// <summary>Training and validation losses: a single network uses the first; ensemble members take them in turn.</summary>
    public IReadOnlyList<NeuralLoss> Losses { get; init; } = NeuralLosses.Parse(Defaults.Loss);
    /// <summary>The loss of this network (the first of <see cref="Losses"/>).</summary>
    public NeuralLoss Loss => Losses[0];
    /// <summary>Networks in the ensemble (1: one network); see <see cref="NeuralEnsemble"/>.</summary>
    public int Ensemble { get; init; } = Defaults.Ensemble;
    /// <summary>Seasonal period m of the data: the MASE loss's scale and the shortest lookback (m + 1) chosen for short data.</summary>
    public int SeasonalPeriod { get; init; } = Defaults.SeasonalPeriod;

    /// <summary>
    /// Shortest input window, for the recurrent kinds: windows from the start of a series with fewer than
    /// <see cref="Lookback"/> values (down to this many) are trained on, and histories that short can be forecast, by
    /// passing each sequence's length to the recurrent layer (the padded steps leave its state unchanged). Null: every
    /// window has <see cref="Lookback"/> values. Not available for the MLP, N-BEATS and N-HiTS (their input size is fixed).
    /// </summary>
    public int? MinInput { get; init; }

    /// <summary>What the network predicts per step: a point, monotone quantiles or a distribution (<see cref="Probabilistic.OutputHead"/>).</summary>
    public Probabilistic.OutputHead Head { get; init; } = Probabilistic.OutputHead.Point;
    /// <summary>Sample paths per forecast of a recursive model with a probabilistic head.</summary>
    public int Samples { get; init; } = 200;

    /// <summary>Raw values the network outputs per window: <see cref="OutputSteps"/> x the head's width.</summary>
    public int NetworkOutputs => OutputSteps * Head.Width;

    /// <summary>The shortest input in use (<see cref="MinInput"/> or the lookback).</summary>
    public int ShortestInput => MinInput ?? Lookback;

    /// <summary>Values the network outputs per window: 1 when recursive, else the horizon.</summary>
    public int OutputSteps => Recursive ? 1 : Horizon;


    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value out of range; <see cref="ArgumentException.ParamName"/> names the setting (ranges are declared on <see cref="ForecastSettings"/>).</exception>
    public void Validate()
    {
        Check(nameof(Lookback), Lookback);
        Check(nameof(Horizon), Horizon);
        Check(nameof(Hidden), Hidden);
        Check(nameof(Layers), Layers);
        Check(nameof(BlockWidth), BlockWidth);
        Check(nameof(BlockLayers), BlockLayers);
        Check(nameof(Stacks), Stacks);
        Check(nameof(StackBlocks), StackBlocks);
        Check(nameof(Epochs), Epochs);
        Check(nameof(Steps), Steps);
        Check(nameof(LrDecays), LrDecays);
        Check(nameof(BatchSize), BatchSize);
        Check(nameof(LearningRate), LearningRate);
        Check(nameof(Patience), Patience);
        Check(nameof(Ensemble), Ensemble);
        Check(nameof(SeasonalPeriod), SeasonalPeriod);
        if (Losses is null || Losses.Count == 0) throw new ArgumentException("loss: no loss given.", "loss");
        Check(nameof(Validation), Validation);
        if (Head is null) throw new ArgumentException("quantiles: no output head given.", "quantiles");
        if (MinInput is int m && (m < 1 || m > Lookback)) throw new ArgumentException($"minHistory must be between 1 and the lookback {Lookback}, got {m}.", "minHistory");
        if (MinInput < Lookback && !Kind.IsRecurrent()) throw new ArgumentException($"minHistory: the {Kind.ModelName()} has a fixed input size; shorter histories need a recurrent model (rnn, lstm, gru, jordan).", "minHistory");
    }

    /// <summary>Checks a value against the range declared once on <see cref="ForecastSettings"/>.</summary>
    private static void Check(string property, object value) => SettingTable.Of<ForecastSettings>(property).Check(value);
}
