namespace Hindsight.Losses;

/// <summary>How a loss combines per-element values (PyTorch's <c>reduction</c>).</summary>
public enum Reduction
{
    /// <summary>The mean over elements (PyTorch's default).</summary>
    Mean,
    /// <summary>The sum over elements.</summary>
    Sum,
    /// <summary>No reduction: one value per element (or per sample for classification losses).</summary>
    None,
}

/// <summary>A loss function: <c>Forward(prediction, target)</c> returns a differentiable tensor.</summary>
public interface ILoss
{
    /// <summary>The loss of <paramref name="prediction"/> against <paramref name="target"/>.</summary>
    Tensor Forward(Tensor prediction, Tensor target);
}
