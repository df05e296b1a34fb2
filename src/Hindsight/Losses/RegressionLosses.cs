namespace Hindsight.Losses;

/// <summary>Mean squared error (PyTorch's <c>nn.MSELoss</c>).</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : ILoss
{
    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.MseLoss(prediction, target, reduction);
}

/// <summary>Mean absolute error (PyTorch's <c>nn.L1Loss</c>).</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : ILoss
{
    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.L1Loss(prediction, target, reduction);
}

/// <summary>Huber loss (PyTorch's <c>nn.HuberLoss</c>).</summary>
public sealed class HuberLoss(Reduction reduction = Reduction.Mean, float delta = 1f) : ILoss
{
    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.HuberLoss(prediction, target, reduction, delta);
}
