namespace Hindsight.Cli.Bench;

/// <summary>
/// One benchmark workload: a model, its data and optimizer, and <see cref="Step"/> = one full training step
/// (forward, loss, backward, optimizer step). The definitions mirror <c>tools/reference/torch_workloads.py</c>
/// (W1-W5) and <c>tools/reference/nbeats_step.py</c> (nbeats) so both engines run the same computation. Steps run inside a <see cref="TensorArena"/> step scope, so a
/// warmed-up step allocates nothing (for layers that draw their outputs from the engine).
/// </summary>
public abstract class Workload
{
    private readonly TensorArena _arena = new();

    /// <summary>Short name, <c>W1</c>..<c>W5</c> or <c>nbeats</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the workload trains, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>Floating-point operations of the matrix products in one step (forward and backward), or 0 where not meaningful.</summary>
    public virtual double FlopsPerStep => 0;

    /// <summary>Steps the bench runs by default (large models run fewer).</summary>
    public virtual int DefaultSteps => 20000;

    /// <summary>Runs one training step and returns its loss.</summary>
    public float Step()
    {
        using var scope = _arena.Step();
        return TrainStep();
    }

    /// <summary>The step itself: forward, loss, zero_grad, backward, optimizer step; returns the loss value.</summary>
    protected abstract float TrainStep();

    /// <summary>Every workload name in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["W1", "W2", "W3", "W4", "W5", "nbeats"];

    /// <summary>The workload name <paramref name="name"/> stands for (case-insensitive), or null.</summary>
    public static string? Find(string name) => Names.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates workload <paramref name="name"/> (case-insensitive) with weights and data drawn from <paramref name="seed"/>.</summary>
    public static Workload Create(string name, ulong seed = 0) => name.ToUpperInvariant() switch
    {
        "W1" => new SimpleRnnWorkload(seed),
        "W2" => new FullyConnectedWorkload(seed),
        "W3" => new RnnCellWorkload(seed),
        "W4" => new LstmWorkload("W4", inputSize: 1, hiddenSize: 64, layers: 1, length: 48, batch: 64, seed, defaultSteps: 200),
        "W5" => new LstmWorkload("W5", inputSize: 8, hiddenSize: 256, layers: 2, length: 100, batch: 128, seed, defaultSteps: 5),
        "NBEATS" => new NBeatsWorkload(seed),
        _ => throw new ArgumentException($"Unknown workload '{name}'; expected one of {string.Join(", ", Names)}."),
    };
}
