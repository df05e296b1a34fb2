namespace Hindsight.Distributions;

/// <summary>
/// Negative binomial head for counts (DeepAR; GluonTS's MXNet <c>NegativeBinomialOutput</c>): parameters (mu, alpha),
/// both eps + softplus (eps = <see cref="ParameterLink.PositiveFloor"/>). DeepAR's scaling of the mean by the series'
/// scale (mu times scale, alpha over sqrt(scale)) is the forecaster's business, not the head's.
/// </summary>
public sealed class NegativeBinomialHead(int inFeatures, Rng? rng = null)
    : DistributionHead(inFeatures, ["mu", "alpha"], [ParameterLink.Softplus(), ParameterLink.Softplus()], rng)
{
    /// <inheritdoc/>
    protected override Distribution Create(Tensor[] parameters) => new NegativeBinomial(parameters[0], parameters[1]);
}
