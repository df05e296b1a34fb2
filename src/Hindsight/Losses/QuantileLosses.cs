namespace Hindsight.Losses;

/// <summary>
/// Pinball (quantile) loss at one or several quantiles (see <see cref="Ops.PinballLoss"/>); PyTorch has no module for it
/// (its value is <c>torch.maximum(tau * d, (tau - 1) * d)</c> with d = target - prediction).
/// </summary>
/// <param name="quantiles">Quantile levels in (0, 1), in the order of the prediction's last dimension.</param>
/// <param name="reduction">How the per-prediction losses are combined.</param>
public sealed class PinballLoss(float[] quantiles, Reduction reduction = Reduction.Mean) : ILoss
{
    private readonly float[] _quantiles = (float[])(quantiles ?? throw new ArgumentNullException(nameof(quantiles))).Clone();

    /// <summary>The quantile levels.</summary>
    public IReadOnlyList<float> Quantiles => _quantiles;

    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.PinballLoss(prediction, target, _quantiles, reduction);
}
