namespace Hindsight.Optimizers;

/// <summary>
/// Stochastic gradient descent (PyTorch's <c>torch.optim.SGD</c>): with weight decay
/// <c>g = grad + wd p</c>; with momentum <c>buf = momentum buf + (1 - dampening) g</c> (first step <c>buf = g</c>),
/// then <c>g = nesterov ? g + momentum buf : buf</c>; finally <c>p -= lr g</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[]?[] _momentum;
    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }
    /// <summary>Dampening for momentum.</summary>
    public float Dampening { get; }
    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }
    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>Creates SGD; arguments as PyTorch's.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float lr, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(parameters, lr)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), $"Sgd: invalid momentum {momentum}.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Sgd: invalid weight decay {weightDecay}.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Sgd: Nesterov momentum requires a momentum and zero dampening.");
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
        _momentum = new float[Parameters.Count][];
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> grad)
    {
        float lr = LearningRate, wd = WeightDecay, mom = Momentum;
        if (mom == 0f)
        {
            if (wd == 0f) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grad, -lr, p, p);
            else for (int i = 0; i < p.Length; i++) p[i] -= lr * (grad[i] + wd * p[i]);
            return;
        }
        bool first = _momentum[index] is null;
        var buf = State(ref _momentum, index, p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            float g = grad[i] + wd * p[i];
            buf[i] = first ? g : mom * buf[i] + (1f - Dampening) * g;
            float d = Nesterov ? g + mom * buf[i] : buf[i];
            p[i] -= lr * d;
        }
    }
}
