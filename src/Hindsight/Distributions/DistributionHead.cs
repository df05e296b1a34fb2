using Hindsight.Layers;
using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// A distribution head, DeepAR style: a <see cref="Linear"/> projection from features to the distribution's P raw
/// parameters, then each parameter's <see cref="ParameterLink"/> (GluonTS's <c>PtArgProj</c> + <c>domain_map</c>).
/// The links live here, in the head, not in the likelihood ops: the ops take parameters in their own domain, exactly
/// as torch.distributions does, and the head chooses the links (one fused op, <see cref="Ops.SplitWithLinks"/>).
/// The projection is one Linear with P outputs (state-dict names <c>proj.weight</c> (P, in) and <c>proj.bias</c> (P));
/// row j is GluonTS's <c>proj.j</c> (one Linear per parameter there).
/// </summary>
public abstract class DistributionHead : Layer
{
    private readonly ParameterLink[] _links;
    private readonly string[] _parameterNames;

    /// <summary>The projection, weight (P, in) and bias (P), rows in <see cref="ParameterNames"/> order.</summary>
    public Linear Projection { get; }

    /// <summary>Names of the distribution's parameters (PyTorch's argument names), in projection-row order.</summary>
    public IReadOnlyList<string> ParameterNames => _parameterNames;

    /// <summary>The link of each parameter, in projection-row order.</summary>
    public IReadOnlyList<ParameterLink> Links => _links;

    /// <summary>Creates the projection (PyTorch's Linear initialisation from <paramref name="rng"/>).</summary>
    protected DistributionHead(int inFeatures, string[] parameterNames, ParameterLink[] links, Rng? rng)
    {
        ArgumentNullException.ThrowIfNull(parameterNames);
        ArgumentNullException.ThrowIfNull(links);
        if (parameterNames.Length != links.Length) throw new ArgumentException("DistributionHead: one link per parameter name.", nameof(links));
        _parameterNames = parameterNames;
        _links = links;
        Projection = RegisterModule("proj", new Linear(inFeatures, links.Length, bias: true, rng));
    }

    /// <summary>Raw (unlinked) parameters: features (..., in) to (..., P).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Projection.Forward(input);
    }

    /// <summary>The predicted distributions for features (..., in): batch shape (...), parameters on the tape.</summary>
    public Distribution Predict(Tensor features) => Create(Ops.SplitWithLinks(Forward(features), _links));

    /// <summary>The negative log-likelihood of <paramref name="target"/> (...) under the prediction for
    /// <paramref name="features"/> (..., in): the training loss.</summary>
    public Tensor Loss(Tensor features, Tensor target, Reduction reduction = Reduction.Mean) =>
        Predict(features).NegativeLogLikelihood(target, reduction);

    /// <summary>Builds the distribution from its linked parameters, in projection-row order.</summary>
    protected abstract Distribution Create(Tensor[] parameters);
}
