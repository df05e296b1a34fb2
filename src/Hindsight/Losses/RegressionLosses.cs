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

/// <summary>Symmetric MAPE as N-BEATS/NeuralForecast train with it (<see cref="Ops.SmapeLoss"/>): 2|p-t|/(|p|+|t|), 0/0 = 0.</summary>
public sealed class SmapeLoss(Reduction reduction = Reduction.Mean) : ILoss
{
    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.SmapeLoss(prediction, target, reduction);
}

/// <summary>MASE-scaled absolute error (<see cref="Ops.MaseLoss"/>): |p-t| divided by each row's in-sample seasonal naive MAE.</summary>
/// <param name="scale">One scale per row (B).</param>
/// <param name="reduction">How elements combine.</param>
public sealed class MaseLoss(Tensor scale, Reduction reduction = Reduction.Mean) : ILoss
{
    /// <inheritdoc/>
    public Tensor Forward(Tensor prediction, Tensor target) => Ops.MaseLoss(prediction, target, scale, reduction);
}
