namespace Hindsight.Distributions;

/// <summary>
/// Maps a raw network output to a distribution parameter's domain (GluonTS's <c>domain_map</c>): the identity for
/// unconstrained parameters (a location), or <c>minimum + softplus(x)</c> for positive ones (scale, df, mean of counts,
/// dispersion). Softplus is PyTorch's <c>F.softplus</c> (beta 1, linear above 20).
/// </summary>
public readonly record struct ParameterLink
{
    /// <summary>Whether the link is <c>minimum + softplus(x)</c> (else the identity).</summary>
    public bool IsSoftplus { get; private init; }

    /// <summary>The lower bound added to softplus (0 for the identity).</summary>
    public float Minimum { get; private init; }

    /// <summary>The identity link, for unconstrained parameters.</summary>
    public static ParameterLink Identity => default;

    /// <summary>
    /// The floor added to softplus for positive parameters: float32 machine epsilon (2^-23), as GluonTS adds
    /// <c>np.finfo(float32).eps</c> to mu and alpha. Added rather than clamped, so the gradient never vanishes.
    /// </summary>
    public const float PositiveFloor = 1.1920929e-07f;

    /// <summary><c>minimum + softplus(x)</c>; <paramref name="minimum"/> must be finite and non-negative.</summary>
    public static ParameterLink Softplus(float minimum = PositiveFloor)
    {
        if (!(minimum >= 0 && float.IsFinite(minimum)))
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "ParameterLink.Softplus: the minimum must be finite and non-negative.");
        return new ParameterLink { IsSoftplus = true, Minimum = minimum };
    }

    /// <summary>The parameter for raw value <paramref name="x"/>.</summary>
    public double Apply(double x) => IsSoftplus ? Minimum + SpecialFunctions.Softplus(x) : x;

    /// <summary>d parameter / d x.</summary>
    public double Derivative(double x) => IsSoftplus ? SpecialFunctions.SoftplusDerivative(x) : 1;
}
