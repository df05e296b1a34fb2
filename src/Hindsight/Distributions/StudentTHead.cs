namespace Hindsight.Distributions;

/// <summary>
/// Student-t head (GluonTS's <c>StudentTOutput</c>): parameters (df, loc, scale), df = 2 + softplus (so the variance is
/// finite), loc = identity, scale = eps + softplus (eps = <see cref="ParameterLink.PositiveFloor"/>; GluonTS clamps at
/// eps instead, which loses the gradient below it).
/// </summary>
public sealed class StudentTHead(int inFeatures, Rng? rng = null)
    : DistributionHead(inFeatures, ["df", "loc", "scale"], [ParameterLink.Softplus(2f), ParameterLink.Identity, ParameterLink.Softplus()], rng)
{
    /// <inheritdoc/>
    protected override Distribution Create(Tensor[] parameters) => new StudentT(parameters[0], parameters[1], parameters[2]);
}
