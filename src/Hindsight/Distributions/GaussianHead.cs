namespace Hindsight.Distributions;

/// <summary>
/// Gaussian head (GluonTS's <c>NormalOutput</c>): parameters (loc, scale), loc = identity, scale = eps + softplus
/// (eps = <see cref="ParameterLink.PositiveFloor"/>).
/// </summary>
public sealed class GaussianHead(int inFeatures, Rng? rng = null)
    : DistributionHead(inFeatures, ["loc", "scale"], [ParameterLink.Identity, ParameterLink.Softplus()], rng)
{
    /// <inheritdoc/>
    protected override Distribution Create(Tensor[] parameters) => new Gaussian(parameters[0], parameters[1]);
}
