using Hindsight.Layers;
using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// Several quantiles at once, non-decreasing by construction: a <see cref="Linear"/> projection to K raw values, then
/// <see cref="Ops.MonotoneCumsum"/> (the first quantile, plus softplus gaps for the next ones), so the forecast at level
/// q1 &lt; ... &lt; qK never crosses. Trained with the pinball loss over all K levels (<see cref="Ops.PinballLoss"/>).
/// State-dict names <c>proj.weight</c> (K, in) and <c>proj.bias</c> (K).
/// </summary>
public sealed class MonotoneQuantileHead : Layer
{
    private readonly float[] _levels;

    /// <summary>The projection, weight (K, in) and bias (K).</summary>
    public Linear Projection { get; }

    /// <summary>The quantile levels, strictly increasing in (0, 1).</summary>
    public IReadOnlyList<float> Levels => _levels;

    /// <summary>A head for <paramref name="levels"/> (strictly increasing, each in (0, 1)) on <paramref name="inFeatures"/> features.</summary>
    public MonotoneQuantileHead(int inFeatures, float[] levels, Rng? rng = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Length == 0) throw new ArgumentException("MonotoneQuantileHead: no quantile levels given.", nameof(levels));
        for (int i = 0; i < levels.Length; i++)
        {
            if (!(levels[i] > 0 && levels[i] < 1))
                throw new ArgumentOutOfRangeException(nameof(levels), levels[i], $"MonotoneQuantileHead: a quantile level must lie in (0, 1), got {levels[i]}.");
            if (i > 0 && !(levels[i] > levels[i - 1]))
                throw new ArgumentException($"MonotoneQuantileHead: levels must increase strictly, got {levels[i - 1]} then {levels[i]}.", nameof(levels));
        }
        _levels = (float[])levels.Clone();
        Projection = RegisterModule("proj", new Linear(inFeatures, levels.Length, bias: true, rng));
    }

    /// <summary>Features (..., in) to quantiles (..., K), non-decreasing along the last dimension.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Ops.MonotoneCumsum(Projection.Forward(input));
    }

    /// <summary>The pinball loss of the quantiles for <paramref name="features"/> (..., in) against one
    /// <paramref name="target"/> value per K quantiles (...).</summary>
    public Tensor Loss(Tensor features, Tensor target, Reduction reduction = Reduction.Mean) =>
        Ops.PinballLoss(Forward(features), target, _levels, reduction);
}
