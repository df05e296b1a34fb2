using Hindsight.Distributions;
using Hindsight.Losses;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// From a neural forecaster's raw network output (B, O x W) to the head's prediction and training loss (see
/// <see cref="OutputHead"/>): for quantiles (B, O, K) through <see cref="Ops.MonotoneCumsum"/> and the pinball loss over
/// all K levels at once; for a distribution, the parameters through their links and the negative log-likelihood.
/// Gaussian and Student-t live in the network's units (changes of the standardised series from the window's last value);
/// the negative binomial lives in the data's units (counts): its mean is the network's (linked) mu times each window's
/// scale and its shape alpha is divided by the scale's square root (DeepAR's scaling, GluonTS's <c>NegativeBinomialOutput</c>).
/// </summary>
public static class HeadOutputs
{
    /// <summary>The monotone quantiles (B, O, K) of a quantile head's raw output (B, O x K).</summary>
    public static Tensor Quantiles(OutputHead head, Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(raw);
        int k = head.Levels.Length, b = raw.Dim(0), o = raw.Dim(1) / k;
        return Ops.MonotoneCumsum(Ops.Reshape(raw, b, o, k));
    }

    /// <summary>
    /// The distributions (batch shape (B, O)) of a distribution head's raw output (B, O x P). <paramref name="countScale"/>
    /// (B, 1): each window's scale, for the negative binomial only (null: 1).
    /// </summary>
    public static Distribution Distribution(OutputHead head, Tensor raw, Tensor? countScale = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(raw);
        int p = head.Width, b = raw.Dim(0), o = raw.Dim(1) / p;
        var parameters = Ops.SplitWithLinks(Ops.Reshape(raw, b, o, p), head.Links);              // P x (B, O)
        switch (head.Kind)
        {
            case HeadKind.Gaussian: return new Gaussian(parameters[0], parameters[1]);
            case HeadKind.StudentT: return new StudentT(parameters[0], parameters[1], parameters[2]);
            case HeadKind.NegativeBinomial:
                if (countScale is null) return new NegativeBinomial(parameters[0], parameters[1]);
                var inverseRoot = new Tensor(countScale.Shape.ToArray());
                for (int i = 0; i < inverseRoot.Length; i++) inverseRoot.Data[i] = 1f / MathF.Sqrt(countScale.Data[i]);
                return new NegativeBinomial(Ops.Mul(parameters[0], countScale), Ops.Mul(parameters[1], inverseRoot));
            default: throw new ArgumentException($"HeadOutputs: a {head.Method} head predicts no distribution.", nameof(head));
        }
    }

    /// <summary>
    /// The training loss of the raw output (B, O x W) against <paramref name="target"/> (B, O): the mean pinball loss over
    /// every step and level of a quantile head, or the mean negative log-likelihood of a distribution head (the negative
    /// binomial's target and <paramref name="countScale"/> in the data's units).
    /// </summary>
    public static Tensor Loss(OutputHead head, Tensor raw, Tensor target, Tensor? countScale = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        return head.Kind switch
        {
            HeadKind.Quantiles => Ops.PinballLoss(Quantiles(head, raw), target, head.Levels, Reduction.Mean),
            HeadKind.Point => throw new ArgumentException("HeadOutputs: a point head has no probabilistic loss.", nameof(head)),
            _ => Distribution(head, raw, countScale).NegativeLogLikelihood(target, Reduction.Mean),
        };
    }

    /// <summary>
    /// The value at <paramref name="level"/> of the piecewise-linear quantile function through (levels[j], quantiles[j]),
    /// constant beyond the outer levels (how a quantile head answers a level it was not trained on, and how its sample
    /// paths are drawn: at a uniform level).
    /// </summary>
    public static float Interpolate(ReadOnlySpan<float> levels, ReadOnlySpan<float> quantiles, double level)
    {
        if (level <= levels[0]) return quantiles[0];
        if (level >= levels[^1]) return quantiles[^1];
        int j = 1;
        while (levels[j] < level) j++;
        double w = (level - levels[j - 1]) / (levels[j] - levels[j - 1]);
        return (float)(quantiles[j - 1] + w * (quantiles[j] - quantiles[j - 1]));
    }
}
