using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// Normal(loc, scale) per element (PyTorch's <c>torch.distributions.Normal</c>). Quantiles are analytic,
/// <c>loc + scale Phi^-1(level)</c>; samples are <c>loc + scale N(0, 1)</c>.
/// </summary>
public sealed class Gaussian : Distribution
{
    /// <summary>Means, shape (...).</summary>
    public Tensor Loc { get; }
    /// <summary>Standard deviations, positive, shape (...).</summary>
    public Tensor Scale { get; }

    /// <summary>A batch of normals; <paramref name="loc"/> and <paramref name="scale"/> share a shape.</summary>
    public Gaussian(Tensor loc, Tensor scale) : base(loc)
    {
        ArgumentNullException.ThrowIfNull(scale);
        if (!loc.SameShape(scale)) throw new ArgumentException($"Gaussian: scale shape {scale.ShapeString} differs from loc shape {loc.ShapeString}.", nameof(scale));
        Loc = loc; Scale = scale;
    }

    /// <inheritdoc/>
    public override Tensor NegativeLogLikelihood(Tensor target, Reduction reduction = Reduction.Mean) => Ops.GaussianNll(Loc, Scale, target, reduction);

    /// <inheritdoc/>
    protected override double MeanAt(int i) => Loc.Data[i];

    /// <inheritdoc/>
    protected override double QuantileAt(int i, double level) => Loc.Data[i] + (double)Scale.Data[i] * StandardQuantiles.Normal(level);

    /// <inheritdoc/>
    protected override double SampleAt(int i, Rng rng) => Loc.Data[i] + (double)Scale.Data[i] * rng.NextGaussian();
}
