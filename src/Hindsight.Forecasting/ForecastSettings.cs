namespace Hindsight.Forecasting;

/// <summary>Settings shared by every model of a run (what the command line sets), and the factory of models by name.</summary>
public sealed record ForecastSettings
{
    /// <summary>Values to forecast.</summary>
    public int Horizon { get; init; } = ForecastDefaults.Horizon;
    /// <summary>Input window of the neural models and lags of <c>ar</c>; default: 2 seasons (at least 2 x horizon), capped by the data.</summary>
    public int Lookback { get; init; } = ForecastDefaults.Lookback;
    /// <summary>Seasonal period m (seasonal naive, MASE).</summary>
    public int SeasonalPeriod { get; init; } = ForecastDefaults.SeasonalPeriod;
    /// <summary>Hidden units of the neural models.</summary>
    public int Hidden { get; init; } = ForecastDefaults.Hidden;
    /// <summary>Stacked recurrent layers of the recurrent models.</summary>
    public int Layers { get; init; } = ForecastDefaults.Layers;
    /// <summary>Most epochs of the neural models.</summary>
    public int Epochs { get; init; } = ForecastDefaults.Epochs;
    /// <summary>Windows per Adam step.</summary>
    public int BatchSize { get; init; } = ForecastDefaults.BatchSize;
    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = ForecastDefaults.LearningRate;
    /// <summary>Early-stopping patience in epochs (0: off).</summary>
    public int Patience { get; init; } = ForecastDefaults.Patience;
    /// <summary>Seed of the neural models.</summary>
    public ulong Seed { get; init; }
    /// <summary>Neural models predict one step and feed it back (true) instead of the whole horizon at once.</summary>
    public bool Recursive { get; init; }
    /// <summary>Shortest history the recurrent models train on and forecast from (null: the lookback); see <see cref="NeuralConfig.MinInput"/>.</summary>
    public int? MinHistory { get; init; }

    /// <summary>Every model name <see cref="Create"/> accepts.</summary>
    public static readonly IReadOnlyList<string> ModelNames = ["naive", "snaive", "drift", "ar", "mlp", "rnn", "lstm", "gru", "jordan", "auto"];

    /// <summary>The neural configuration for <paramref name="kind"/>.</summary>
    public NeuralConfig Neural(NeuralKind kind) => new()
    {
        Kind = kind, Lookback = Lookback, Horizon = Horizon, Hidden = Hidden, Layers = Layers, Epochs = Epochs, BatchSize = BatchSize,
        LearningRate = LearningRate, Patience = Patience, Seed = Seed, Recursive = Recursive, MinInput = kind == NeuralKind.Mlp ? null : MinHistory,
    };

    /// <summary>A new, unfitted model named <paramref name="name"/> (see <see cref="ModelNames"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name or bad settings.</exception>
    public Forecaster Create(string name) => name.Trim().ToLowerInvariant() switch
    {
        "naive" => new NaiveForecaster(),
        "snaive" or "seasonal-naive" => new SeasonalNaiveForecaster(SeasonalPeriod),
        "drift" => new DriftForecaster(),
        "ar" or "linear-ar" => new LinearArForecaster(Lookback),
        "mlp" => new NeuralForecaster(Neural(NeuralKind.Mlp)),
        "rnn" => new NeuralForecaster(Neural(NeuralKind.Rnn)),
        "lstm" => new NeuralForecaster(Neural(NeuralKind.Lstm)),
        "gru" => new NeuralForecaster(Neural(NeuralKind.Gru)),
        "jordan" => new NeuralForecaster(Neural(NeuralKind.Jordan)),
        "auto" => new AutoForecaster(this, ["snaive", "drift", "ar", "mlp", "gru"]),
        _ => throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", ModelNames)}."),
    };

    /// <summary>Checks the values (messages name the command-line options).</summary>
    public void Validate()
    {
        if (Horizon < 1) throw new ArgumentException($"--horizon must be at least 1, got {Horizon}.");
        if (Lookback < 1) throw new ArgumentException($"--lookback must be at least 1, got {Lookback}.");
        if (SeasonalPeriod < 1) throw new ArgumentException($"--season must be at least 1, got {SeasonalPeriod}.");
        Neural(NeuralKind.Gru).Validate();
    }
}
