using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>
/// Settings shared by every model of a run (what the command line sets), and the factory of models by name. Each setting's
/// help, range and default are declared here once (<see cref="SettingAttribute"/>); <see cref="NeuralConfig"/> and the
/// <c>hindsight</c> options read them from here.
/// </summary>
public sealed record ForecastSettings
{
    /// <summary>Values to forecast.</summary>
    [Setting("Values to forecast", Min = 1, Max = SizeLimits.Length)]
    public int Horizon { get; init; } = 12;
    /// <summary>Input window of the neural models and lags of <c>ar</c>; the command line derives it from the data (<see cref="DefaultLookback"/>, 24 for the default season and horizon).</summary>
    [Setting("Input window of neural models and lags of ar", Min = 1, Max = SizeLimits.Length, DefaultText = "2 x max(season, horizon)")]
    public int Lookback { get; init; } = 24;
    /// <summary>Seasonal period m (seasonal naive, MASE); the command line takes it from the data's frequency (<see cref="Frequency.SeasonalPeriod"/>).</summary>
    [Setting("Seasonal period m of snaive and MASE", Min = 1, Max = SizeLimits.Length, DefaultText = "12 monthly, 4 quarterly, 7 daily, 52 weekly, else 1")]
    public int SeasonalPeriod { get; init; } = 12;
    /// <summary>Hidden units of the neural models.</summary>
    [Setting("Hidden units of neural models", Min = 1, Max = SizeLimits.Hidden)]
    public int Hidden { get; init; } = 32;
    /// <summary>Stacked recurrent layers of the recurrent models.</summary>
    [Setting("Stacked recurrent layers (rnn, lstm, gru, jordan)", Min = 1, Max = SizeLimits.Layers)]
    public int Layers { get; init; } = 1;
    /// <summary>Input window of nbeats, nbeatsi and nhits in horizons: their lookback is this x the horizon (NeuralForecast's input_size = 2..7 x h).</summary>
    [Setting("Input window of nbeats, nbeatsi and nhits in horizons (lookback = this x horizon)", Min = 1, Max = 20)]
    public int LookbackHorizons { get; init; } = 2;
    /// <summary>Units of each fully connected layer of the nbeats, nbeatsi and nhits blocks.</summary>
    [Setting("Units per fully connected layer of nbeats, nbeatsi and nhits blocks", Min = 1, Max = SizeLimits.Hidden)]
    public int BlockWidth { get; init; } = 256;
    /// <summary>Fully connected layers per block of nbeats, nbeatsi and nhits.</summary>
    [Setting("Fully connected layers per nbeats, nbeatsi and nhits block", Min = 1, Max = SizeLimits.Layers)]
    public int BlockLayers { get; init; } = 2;
    /// <summary>Stacks of nbeats and nhits (nbeatsi has two: trend, seasonality).</summary>
    [Setting("Stacks of nbeats and nhits (nbeatsi: trend and seasonality)", Min = 1, Max = 30)]
    public int Stacks { get; init; } = 3;
    /// <summary>Blocks per stack of nbeats, nbeatsi and nhits.</summary>
    [Setting("Blocks per stack of nbeats, nbeatsi and nhits", Min = 1, Max = 30)]
    public int StackBlocks { get; init; } = 1;
    /// <summary>Most epochs (passes over every training window) of the neural models; training ends at <see cref="Steps"/> or this, whichever comes first.</summary>
    [Setting("Most epochs of neural models (training ends at this or the steps limit, whichever comes first)", Min = 1, Max = SizeLimits.Epochs)]
    public int Epochs { get; init; } = 100;
    /// <summary>Most Adam steps per network of the neural models (NeuralForecast's <c>max_steps</c>).</summary>
    [Setting("Most Adam steps per network of neural models", Min = 1, Max = SizeLimits.Steps)]
    public int Steps { get; init; } = 1000;
    /// <summary>Halvings of the learning rate over the step limit (NeuralForecast's <c>num_lr_decays</c>: every <see cref="Steps"/> / this steps); 0 keeps it constant.</summary>
    [Setting("Halvings of the neural models' learning rate over the step limit (0: constant)", Min = 0, Max = 20)]
    public int LrDecays { get; init; } = 3;
    /// <summary>Validation tail of the neural models: the last this-many values of each series are kept out of the training targets and used for early stopping (0: none, every window trains).</summary>
    [Setting("Neural models: hold out the last N values of each series for early stopping (0: train on every window)", Min = 0, Max = SizeLimits.Length)]
    public int Validation { get; init; }
    /// <summary>Windows per Adam step.</summary>
    [Setting("Windows per Adam step", Min = 1, Max = SizeLimits.Batch)]
    public int BatchSize { get; init; } = 32;
    /// <summary>Adam learning rate.</summary>
    [Setting("Adam learning rate", Min = 0, MinExclusive = true)]
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Early-stopping patience in epochs (0: off).</summary>
    [Setting("Epochs without validation improvement before stopping, with a validation tail (0: off)", Min = 0, Max = SizeLimits.Epochs)]
    public int Patience { get; init; } = 10;
    /// <summary>Seed of the neural models.</summary>
    [Setting("Seed of weights and shuffling")]
    public ulong Seed { get; init; }
    /// <summary>Multi-step strategy of the neural models.</summary>
    [Setting("Neural multi-step: direct (all steps at once) or recursive (one step fed back)")]
    [System.Text.Json.Serialization.JsonIgnore] // model files keep storing Recursive (the format is unchanged)
    public ForecastStrategy Strategy { get; init; } = ForecastStrategy.Direct;
    /// <summary>Neural models predict one step and feed it back (true) instead of the whole horizon at once (<see cref="Strategy"/> is <see cref="ForecastStrategy.Recursive"/>).</summary>
    public bool Recursive
    {
        get => Strategy == ForecastStrategy.Recursive;
        init => Strategy = value ? ForecastStrategy.Recursive : ForecastStrategy.Direct;
    }
    /// <summary>Shortest history the recurrent models train on and forecast from (null: the lookback); see <see cref="NeuralConfig.MinInput"/>.</summary>
    [Setting("Recurrent models: train on and forecast from histories this short, passing lengths to the layer", Min = 1, Max = SizeLimits.Length, DefaultText = "the lookback")]
    public int? MinHistory { get; init; }
    /// <summary>Training loss of the neural models (<see cref="NeuralLosses.Parse"/>): one of mse, mae, smape, mase, or a comma list the ensemble members take in turn.</summary>
    [Setting("Neural training loss: mse, mae, smape or mase; a comma list gives ensemble members each loss in turn")]
    public string Loss { get; init; } = "mase,smape,mae";
    /// <summary>Networks per neural model: members over lookbacks x losses x seeds, the forecast their median (N-BEATS' recipe); 1: one network.</summary>
    [Setting("Networks per neural model (lookbacks x losses x seeds, median forecast; 1: a single network)", Min = 1, Max = SizeLimits.Seeds)]
    public int Ensemble { get; init; } = 10;

    /// <summary>Order of the <c>arima</c> model: "auto" (R's auto.arima), "p,d,q" or "p,d,q,P,D,Q" (optionally ",c"/",n": with/without constant).</summary>
    [Setting("Order of arima: auto (auto.arima), p,d,q or p,d,q,P,D,Q (append ,c or ,n for with/without constant)")]
    public string ArimaOrder { get; init; } = "auto";

    /// <summary>Model of <c>ets</c> as R's <c>ets(model=)</c>: error/trend/season letters, Z automatic (<c>ZZZ</c>: chosen by AICc), e.g. <c>ANN</c>, <c>AAdN</c>, <c>MAM</c>.</summary>
    [Setting("ets model: error/trend/season letters (N/A/M, Z automatic; d after the trend damps it), e.g. ZZZ, AAdN, MAM")]
    public string EtsModel { get; init; } = "ZZZ";

    /// <summary>Probabilistic outputs of the neural models: quantiles, a distribution, sample paths.</summary>
    public Probabilistic.ProbabilisticOptions Probabilistic { get; init; } = new();

    /// <summary>Settings of the <c>esrnn</c> model (pinball quantile, level penalty, cell).</summary>
    public EsRnn.EsRnnOptions EsRnn { get; init; } = new();

    /// <summary>How <c>auto</c> chooses (candidates, selection or combination); not stored in model files.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AutoOptions Auto { get; init; } = new();

    /// <summary>The lookback used when none is given for data of seasonal period <paramref name="season"/>: two seasons, at least two horizons.</summary>
    public static int DefaultLookback(int season, int horizon) => 2 * Math.Max(season, horizon);

    /// <summary>Every model name <see cref="Create"/> accepts.</summary>
    public static readonly IReadOnlyList<string> ModelNames = ["naive", "snaive", "drift", "ar", "ets", "theta", "otm", "dotm", "arima", "mlp", "rnn", "lstm", "gru", "jordan", "nbeats", "nbeatsi", "nhits", "esrnn", "auto"];

    /// <summary>The neural configuration for <paramref name="kind"/>.</summary>
    public NeuralConfig Neural(NeuralKind kind) => new()
    {
        Kind = kind, Lookback = Networks.NBeatsNetwork.Implements(kind) ? LookbackHorizons * Horizon : Lookback, Horizon = Horizon, Hidden = Hidden, Layers = Layers, Epochs = Epochs, Steps = Steps, LrDecays = LrDecays, Validation = Validation, BatchSize = BatchSize,
        LearningRate = LearningRate, Patience = Patience, Seed = Seed, Recursive = Recursive, MinInput = kind.IsRecurrent() ? MinHistory : null,
        BlockWidth = BlockWidth, BlockLayers = BlockLayers, Stacks = Stacks, StackBlocks = StackBlocks,
        Losses = NeuralLosses.Parse(Loss), Ensemble = Ensemble, SeasonalPeriod = SeasonalPeriod,
        Head = Probabilistic.Head(Probabilistic.IntervalLevels), Samples = Probabilistic.Samples,
    };

    /// <summary>A new, unfitted model named <paramref name="name"/> (see <see cref="ModelNames"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name or bad settings.</exception>
    public Forecaster Create(string name) => name.Trim().ToLowerInvariant() switch
    {
        "naive" => new NaiveForecaster(),
        "snaive" or "seasonal-naive" => new SeasonalNaiveForecaster(SeasonalPeriod),
        "drift" => new DriftForecaster(),
        "ar" or "linear-ar" => new LinearArForecaster(Lookback),
        "theta" => new Classical.Theta.ThetaForecaster(SeasonalPeriod),
        "otm" => new Classical.Theta.OptimizedThetaForecaster(SeasonalPeriod),
        "dotm" => new Classical.Theta.OptimizedThetaForecaster(SeasonalPeriod, dynamic: true),
        "mlp" => new NeuralForecaster(Neural(NeuralKind.Mlp)),
        "rnn" => new NeuralForecaster(Neural(NeuralKind.Rnn)),
        "lstm" => new NeuralForecaster(Neural(NeuralKind.Lstm)),
        "gru" => new NeuralForecaster(Neural(NeuralKind.Gru)),
        "jordan" => new NeuralForecaster(Neural(NeuralKind.Jordan)),
        "nbeats" => new NeuralForecaster(Neural(NeuralKind.NBeats)),
        "nbeatsi" => new NeuralForecaster(Neural(NeuralKind.NBeatsInterpretable)),
        "nhits" => new NeuralForecaster(Neural(NeuralKind.NHits)),
        "arima" => new Classical.Arima.ArimaForecaster(SeasonalPeriod, ArimaOrder),
        "ets" => new Classical.Ets.EtsForecaster(SeasonalPeriod, EtsModel),
        "esrnn" => new EsRnn.EsRnnForecaster(this),
        "auto" => new AutoForecaster(this, Auto),
        _ => throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", ModelNames)}."),
    };

    /// <summary>Checks every value against its declared range.</summary>
    /// <exception cref="ArgumentException">A value out of range; <see cref="ArgumentException.ParamName"/> is the setting's name (<c>learningRate</c>).</exception>
    public void Validate()
    {
        SettingTable.Check(this);
        SettingTable.Check(Auto);
        SettingTable.Check(EsRnn);
        SettingTable.Check(Probabilistic);
        Probabilistic.Head();
        CheckText("loss", "loss: ", () => NeuralLosses.Parse(Loss));
        Neural(NeuralKind.Gru).Validate();
        CheckText("etsModel", "ets: ", () => new Classical.Ets.EtsForecaster(SeasonalPeriod, EtsModel));
        CheckText("arimaOrder", "arima: ", () => Classical.Arima.ArimaForecaster.ParseOrder(ArimaOrder, SeasonalPeriod));
    }

    // A model option that does not parse is an error naming the setting (the CLI prints its flag), not a model failure.
    private static void CheckText(string parameter, string prefix, Action parse)
    {
        try { parse(); }
        catch (ArgumentException ex) when (ex.ParamName != parameter)
        {
            throw new ArgumentException($"{parameter}: {(ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message)}", parameter, ex);
        }
    }
}

/// <summary>How a neural forecaster predicts more than one step.</summary>
public enum ForecastStrategy
{
    /// <summary>One output per step of the horizon, all at once.</summary>
    Direct,
    /// <summary>One step predicted and fed back as the next input, as often as the horizon asks.</summary>
    Recursive,
}
