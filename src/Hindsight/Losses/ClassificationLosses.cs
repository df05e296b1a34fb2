namespace Hindsight.Losses;

/// <summary>Cross-entropy on logits with class indices (PyTorch's <c>nn.CrossEntropyLoss</c>).</summary>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean)
{
    /// <summary>The loss of logits (N, C) against class indices.</summary>
    public Tensor Forward(Tensor logits, int[] targets) => Ops.CrossEntropyLoss(logits, targets, reduction);
}

/// <summary>Negative log-likelihood on log-probabilities (PyTorch's <c>nn.NLLLoss</c>).</summary>
public sealed class NllLoss(Reduction reduction = Reduction.Mean)
{
    /// <summary>The loss of log-probabilities (N, C) against class indices.</summary>
    public Tensor Forward(Tensor logProbabilities, int[] targets) => Ops.NllLoss(logProbabilities, targets, reduction);
}
