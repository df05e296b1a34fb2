using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// Student-t with df degrees of freedom, location and scale per element (PyTorch's <c>torch.distributions.StudentT</c>).
/// The mean is loc where df &gt; 1 (else NaN, as PyTorch). Quantiles are <c>loc + scale t_df^-1(level)</c>, the standard
/// quantile solved by Newton's method on the regularized incomplete beta tail to about 1e-13 relative (scipy's
/// <c>t.ppf</c>); samples are <c>loc + scale Z / sqrt(V / df)</c> with Z normal and V = 2 Gamma(df/2) chi-squared.
/// </summary>
public sealed class StudentT : Distribution
{
    /// <summary>Degrees of freedom, positive, shape (...).</summary>
    public Tensor Df { get; }
    /// <summary>Locations, shape (...).</summary>
    public Tensor Loc { get; }
    /// <summary>Scales, positive, shape (...).</summary>
    public Tensor Scale { get; }

    /// <summary>A batch of Student-t distributions; the three parameters share a shape.</summary>
    public StudentT(Tensor df, Tensor loc, Tensor scale) : base(loc)
    {
        ArgumentNullException.ThrowIfNull(df);
        ArgumentNullException.ThrowIfNull(scale);
        if (!loc.SameShape(df)) throw new ArgumentException($"StudentT: df shape {df.ShapeString} differs from loc shape {loc.ShapeString}.", nameof(df));
        if (!loc.SameShape(scale)) throw new ArgumentException($"StudentT: scale shape {scale.ShapeString} differs from loc shape {loc.ShapeString}.", nameof(scale));
        Df = df; Loc = loc; Scale = scale;
    }

    /// <inheritdoc/>
    public override Tensor NegativeLogLikelihood(Tensor target, Reduction reduction = Reduction.Mean) => Ops.StudentTNll(Df, Loc, Scale, target, reduction);

    /// <inheritdoc/>
    protected override double MeanAt(int i) => Df.Data[i] > 1 ? Loc.Data[i] : double.NaN;

    /// <inheritdoc/>
    protected override double QuantileAt(int i, double level) =>
        Loc.Data[i] + (double)Scale.Data[i] * StandardQuantiles.StudentT(level, Df.Data[i]);

    /// <inheritdoc/>
    protected override double SampleAt(int i, Rng rng)
    {
        double df = Df.Data[i];
        double z = rng.NextGaussian(), chiSquared = 2 * Samplers.Gamma(rng, df / 2);
        return Loc.Data[i] + Scale.Data[i] * z / Math.Sqrt(chiSquared / df);
    }
}
