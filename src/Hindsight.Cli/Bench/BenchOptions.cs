using Hindsight.Settings;

namespace Hindsight.Cli.Bench;

/// <summary>What <c>hindsight bench</c> times (help, range and default of each setting declared here once).</summary>
internal sealed record BenchOptions
{
    /// <summary>Timed steps per workload (null: the workload's own count).</summary>
    [Setting("Timed steps per workload", Min = 1, Max = 10_000_000, DefaultText = "20000 for W1-W3, 200 for W4, 5 for W5")]
    public int? Steps { get; init; }

    /// <summary>Threads for the matrix products (null: one per processor). Results do not depend on it.</summary>
    [Setting("Threads for the matrix products (results do not depend on it)", Min = 1, Max = 1024, DefaultText = "the processor count")]
    public int? Threads { get; init; }

    /// <summary>The thread count in use.</summary>
    public int EffectiveThreads => Threads ?? Environment.ProcessorCount;
}
