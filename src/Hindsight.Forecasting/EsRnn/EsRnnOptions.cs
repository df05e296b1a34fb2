using Hindsight.Settings;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>Settings of the <c>esrnn</c> model only (the shared ones, such as hidden units and epochs, are <see cref="ForecastSettings"/>').</summary>
public sealed record EsRnnOptions
{
    /// <summary>Quantile tau of the pinball training loss on the normalised log values: 0.5 is the absolute error; Smyl used 0.48-0.49 against the upward bias of forecasting in logs.</summary>
    [Setting("esrnn: quantile tau of the pinball training loss (0.5: absolute error; Smyl used 0.48-0.49)", Min = 0, MinExclusive = true, Max = 1, MaxExclusive = true)]
    public float Quantile { get; init; } = 0.5f;

    /// <summary>Weight of Smyl's level wiggliness penalty (mean squared second difference of the log level); 0 turns it off.</summary>
    [Setting("esrnn: weight of the level wiggliness penalty (squared second differences of the log level; 0: off)", Min = 0, Max = 1e6)]
    public float LevelPenalty { get; init; }

    /// <summary>The per-series smoothing parameters learn this many times faster than the network (Smyl's per-series learning-rate multiplier): each gets gradients only from its own series' windows.</summary>
    [Setting("esrnn: learning rate of the per-series smoothing parameters, as a multiple of the network's", Min = 0, MinExclusive = true, Max = 1e4)]
    public float SeriesLearningRate { get; init; } = 10f;


    /// <summary>Recurrent cell of the network.</summary>
    [Setting("esrnn: recurrent cell (lstm or gru)")]
    public EsRnnCell Cell { get; init; } = EsRnnCell.Lstm;
}
