using Hindsight.Settings;

namespace Hindsight.Cli.Bench;

/// <summary>What <c>hindsight bench</c> times (help, range and default of each setting declared here once).</summary>
internal sealed record BenchOptions
{
    /// <summary>Timed steps per workload (null: the workload's own count).</summary>
    [Setting("Timed steps per workload", Min = 1, Max = 10_000_000, DefaultText = "20000 for W1-W3, 200 for W4, 5 for W5, 500 for nbeats")]
    public int? Steps { get; init; }

    /// <summary>Threads for the matrix products (null: one per processor). Results do not depend on it.</summary>
    [Setting("Threads for the matrix products (results do not depend on it)", Min = 1, Max = 1024, DefaultText = "the processor count")]
    public int? Threads { get; init; }

    /// <summary>Also run the PyTorch script of each workload in the same run, alternating rounds, and print the ratios.</summary>
    [Setting("Also time the same step in PyTorch (tools/reference/, /usr/bin/python3) in alternating rounds and print PyTorch / Hindsight")]
    public bool Compare { get; init; }

    /// <summary>Rounds of each engine with <see cref="Compare"/> (the best round counts; the spread shows the noise).</summary>
    [Setting("Rounds of each engine with --compare, alternating", Min = 1, Max = 100)]
    public int Rounds { get; init; } = 3;

    /// <summary>Directory with OpenBLAS's <c>libblas.so.3</c> that PyTorch also runs on with <see cref="Compare"/> (<c>tools/reference/openblas.sh</c> prints it).</summary>
    [Setting("Directory with OpenBLAS's libblas.so.3 for PyTorch with --compare (bash tools/reference/openblas.sh fetches it there)")]
    public string OpenBlas { get; init; } = DefaultOpenBlas;

    /// <summary>Where <c>tools/reference/openblas.sh</c> unpacks Debian's OpenBLAS.</summary>
    public const string DefaultOpenBlas = "/tmp/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread";

    /// <summary>Network kind of the <c>forecast-epoch</c> workload (<see cref="ForecastEpochKind.All"/>: rnn, gru and lstm in turn).</summary>
    [Setting("forecast-epoch: the recurrent forecaster to train")]
    public ForecastEpochKind Kind { get; init; } = ForecastEpochKind.All;

    /// <summary>Synthetic series of the <c>forecast-epoch</c> workload (each gives length - 36 windows at the default lookback and horizon).</summary>
    [Setting("forecast-epoch: synthetic series trained on", Min = 1, Max = 10_000)]
    public int Series { get; init; } = 32;

    /// <summary>Values per synthetic series of the <c>forecast-epoch</c> workload.</summary>
    [Setting("forecast-epoch: values per synthetic series (at least lookback 24 + horizon 12)", Min = 36, Max = 10_000)]
    public int Length { get; init; } = 144;

    /// <summary>The thread count in use.</summary>
    public int EffectiveThreads => Threads ?? Environment.ProcessorCount;
}

/// <summary>Which recurrent forecasters <c>hindsight bench forecast-epoch</c> trains.</summary>
internal enum ForecastEpochKind
{
    /// <summary>rnn, gru and lstm in turn.</summary>
    All,
    /// <summary>Elman RNN (tanh).</summary>
    Rnn,
    /// <summary>GRU.</summary>
    Gru,
    /// <summary>LSTM.</summary>
    Lstm,
}
