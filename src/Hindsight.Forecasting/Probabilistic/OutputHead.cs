using Hindsight.Distributions;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>What a neural forecaster's network predicts per forecast step.</summary>
public enum HeadKind
{
    /// <summary>One value (the point forecast).</summary>
    Point,
    /// <summary>K quantiles, non-decreasing by construction (<see cref="Ops.MonotoneCumsum"/>), trained with the pinball loss.</summary>
    Quantiles,
    /// <summary>Gaussian (loc, scale).</summary>
    Gaussian,
    /// <summary>Student-t (df, loc, scale).</summary>
    StudentT,
    /// <summary>Negative binomial (mu, alpha) of counts.</summary>
    NegativeBinomial,
}

/// <summary>
/// The output head of a neural forecaster: the network's last layer predicts <see cref="Width"/> raw values per step, laid
/// out (B, O, W) with the head's values fastest (NeuralForecast's <c>outputsize_multiplier</c>: the last layer is the
/// head's projection), then the head's map: <see cref="Ops.MonotoneCumsum"/> for quantiles (as
/// <see cref="MonotoneQuantileHead"/>) or the distribution's <see cref="ParameterLink"/>s (as <see cref="GaussianHead"/>,
/// <see cref="StudentTHead"/>, <see cref="NegativeBinomialHead"/>).
/// </summary>
/// <param name="Kind">Point, quantiles or a distribution.</param>
/// <param name="Levels">The quantile levels (strictly increasing, in (0, 1)) of a quantile head; empty otherwise.</param>
public sealed record OutputHead(HeadKind Kind, float[] Levels)
{
    /// <summary>The point head: one value per step.</summary>
    public static readonly OutputHead Point = new(HeadKind.Point, []);

    /// <summary>Raw values per step: 1, K quantiles, or the distribution's parameter count.</summary>
    public int Width => Kind switch
    {
        HeadKind.Point => 1,
        HeadKind.Quantiles => Levels.Length,
        HeadKind.StudentT => 3,
        _ => 2,
    };

    /// <summary>Whether the head predicts more than a point.</summary>
    public bool IsProbabilistic => Kind != HeadKind.Point;

    /// <summary>Whether the head predicts a distribution (sampled for recursive forecasts, quantiles analytic).</summary>
    public bool IsDistribution => Kind is HeadKind.Gaussian or HeadKind.StudentT or HeadKind.NegativeBinomial;

    /// <summary>The name shown for intervals from this head: <c>quantiles</c>, <c>gaussian</c>, <c>studentt</c>, <c>negbin</c> (<c>point</c> for none).</summary>
    public string Method => Kind switch
    {
        HeadKind.Quantiles => "quantiles",
        HeadKind.Gaussian => "gaussian",
        HeadKind.StudentT => "studentt",
        HeadKind.NegativeBinomial => "negbin",
        _ => "point",
    };

    /// <summary>The links of a distribution head's parameters, in their order (the engine heads' links).</summary>
    public ParameterLink[] Links => Kind switch
    {
        HeadKind.Gaussian => [ParameterLink.Identity, ParameterLink.Softplus()],
        HeadKind.StudentT => [ParameterLink.Softplus(2f), ParameterLink.Identity, ParameterLink.Softplus()],
        HeadKind.NegativeBinomial => [ParameterLink.Softplus(), ParameterLink.Softplus()],
        _ => throw new InvalidOperationException($"OutputHead: a {Method} head has no distribution links."),
    };

    /// <summary>Two heads are equal when kind and levels are.</summary>
    public bool Equals(OutputHead? other) => other is not null && Kind == other.Kind && Levels.AsSpan().SequenceEqual(other.Levels);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Levels.Length);
}
