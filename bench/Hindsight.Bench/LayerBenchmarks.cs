using BenchmarkDotNet.Attributes;
using Hindsight.Cli.Bench;

namespace Hindsight.Bench;

/// <summary>One full training step (forward, loss, backward, optimizer) of each workload of <c>hindsight bench</c>.</summary>
[MemoryDiagnoser]
public class LayerBenchmarks
{
    [Params("W1", "W2", "W3", "W4", "W5")]
    public string Workload { get; set; } = "W1";

    private Workload _workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = Hindsight.Cli.Bench.Workload.Create(Workload);
        _workload.Step();
    }

    [Benchmark]
    public float TrainingStep() => _workload.Step();
}
