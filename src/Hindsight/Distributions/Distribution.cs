using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// A batch of independent univariate distributions with one parameter value per element (PyTorch's
/// <c>torch.distributions.Distribution</c> with batch shape (...) and an empty event shape). The likelihood is
/// differentiable (a fused op on the tape); mean, quantiles and samples are plain values (no gradient), in float32 from
/// double arithmetic.
/// </summary>
public abstract class Distribution
{
    private readonly int[] _shape;

    /// <summary>Takes the batch shape from one of the parameters.</summary>
    protected Distribution(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        _shape = parameter.Shape.ToArray();
    }

    /// <summary>The batch shape (...): one distribution per element.</summary>
    public ReadOnlySpan<int> BatchShape => _shape;

    /// <summary>Number of distributions in the batch.</summary>
    public int Count => Tensor.CheckedLength(_shape);

    /// <summary>-log p(target), reduced as <paramref name="reduction"/> says (PyTorch's <c>-log_prob(target)</c>).</summary>
    /// <param name="target">Observations, shape (...) as <see cref="BatchShape"/>.</param>
    /// <param name="reduction">Mean over elements (default), sum, or one value per element.</param>
    public abstract Tensor NegativeLogLikelihood(Tensor target, Reduction reduction = Reduction.Mean);

    /// <summary>The means, shape (...).</summary>
    public Tensor Mean() => Map(MeanAt);

    /// <summary>The medians, shape (...).</summary>
    public Tensor Median() => Quantile(0.5f);

    /// <summary>The quantile at <paramref name="level"/> in (0, 1) of every distribution, shape (...).</summary>
    public Tensor Quantile(float level)
    {
        CheckLevel(level, nameof(level));
        return Map(i => QuantileAt(i, level));
    }

    /// <summary>Quantiles at several levels, shape (..., Q) with the levels fastest (the layout <see cref="Ops.PinballLoss"/> reads).</summary>
    public Tensor Quantiles(ReadOnlySpan<float> levels)
    {
        if (levels.Length == 0) throw new ArgumentException("Quantiles: no levels given.", nameof(levels));
        foreach (float level in levels) CheckLevel(level, nameof(levels));
        int n = Count, q = levels.Length;
        var result = new Tensor([.. _shape, q]);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < q; j++) result.Data[i * q + j] = (float)QuantileAt(i, levels[j]);
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> independent draws of every distribution, shape (count, ...) (PyTorch's <c>sample((count,))</c>),
    /// drawn in that order from <paramref name="rng"/>: the same seed gives the same samples.
    /// </summary>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int n = Count;
        var result = new Tensor([count, .. _shape]);
        for (int s = 0; s < count; s++)
            for (int i = 0; i < n; i++) result.Data[s * n + i] = (float)SampleAt(i, rng);
        return result;
    }

    /// <summary>The mean of element <paramref name="i"/>.</summary>
    protected abstract double MeanAt(int i);

    /// <summary>The quantile of element <paramref name="i"/> at <paramref name="level"/> in (0, 1).</summary>
    protected abstract double QuantileAt(int i, double level);

    /// <summary>One draw of element <paramref name="i"/>.</summary>
    protected abstract double SampleAt(int i, Rng rng);

    private Tensor Map(Func<int, double> f)
    {
        var result = new Tensor(_shape);
        for (int i = 0; i < result.Length; i++) result.Data[i] = (float)f(i);
        return result;
    }

    private static void CheckLevel(float level, string name)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(name, level, $"A quantile level must lie in (0, 1), got {level}.");
    }
}
