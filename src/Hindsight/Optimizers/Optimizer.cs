namespace Hindsight.Optimizers;

/// <summary>
/// Base of the optimizers (PyTorch's <c>torch.optim.Optimizer</c>) over one parameter group.
/// Parameters without a gradient are skipped by <see cref="Step"/>, as in PyTorch.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The optimised parameters, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate; may be changed between steps (a scheduler does).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of completed <see cref="Step"/> calls.</summary>
    public int StepCount { get; private set; }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new ArgumentException("Optimizer: the parameter list is empty.");
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i] is null) throw new ArgumentNullException(nameof(parameters), $"Optimizer: parameter {i} is null.");
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Optimizer: invalid learning rate {learningRate}.");
        LearningRate = learningRate;
    }

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();
    }

    /// <summary>Applies one update from the current gradients.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.GradData is null) continue;
            Update(i, p.Data, p.GradData);
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update(int index, Span<float> param, ReadOnlySpan<float> grad);

    /// <summary>Per-parameter state buffer (created zero-filled on first use).</summary>
    protected static float[] State(ref float[]?[] buffers, int index, int length)
    {
        return buffers[index] ??= new float[length];
    }
}
