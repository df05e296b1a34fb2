namespace Hindsight.Layers;

/// <summary>Hyperbolic tangent (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Tanh(input);
}

/// <summary>Logistic sigmoid (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Sigmoid(input);
}

/// <summary>Rectified linear unit (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Relu(input);
}

/// <summary>Softmax along a dimension (PyTorch's <c>nn.Softmax(dim)</c>). For training, prefer logits with cross-entropy.</summary>
public sealed class Softmax(int dim = -1) : Layer
{
    /// <summary>The dimension normalised over.</summary>
    public int Dimension { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Softmax(input, Dimension);
}

/// <summary>Log-softmax along a dimension (PyTorch's <c>nn.LogSoftmax(dim)</c>).</summary>
public sealed class LogSoftmax(int dim = -1) : Layer
{
    /// <summary>The dimension normalised over.</summary>
    public int Dimension { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.LogSoftmax(input, Dimension);
}

/// <summary>Flattens dimensions start..end (PyTorch's <c>nn.Flatten</c>, default start 1 keeps the batch).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    /// <summary>First dimension flattened (may be negative, counted from the end).</summary>
    public int StartDim { get; } = startDim;
    /// <summary>Last dimension flattened (may be negative, counted from the end).</summary>
    public int EndDim { get; } = endDim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Flatten(input, StartDim, EndDim);
}
