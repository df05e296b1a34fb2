namespace Hindsight.Optimizers;

/// <summary>
/// RMSprop (PyTorch's <c>torch.optim.RMSprop</c>): <c>s = alpha s + (1-alpha) g^2</c>; centered subtracts the squared
/// running mean of g; <c>p -= lr g / (sqrt(s) + eps)</c>, or through a momentum buffer.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private float[]?[] _square, _gradAvg, _buf;
    /// <summary>Smoothing constant.</summary>
    public float Alpha { get; }
    /// <summary>Term added to the denominator.</summary>
    public float Eps { get; }
    /// <summary>L2 penalty.</summary>
    public float WeightDecay { get; }
    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }
    /// <summary>Normalise by the estimated variance instead of the raw second moment.</summary>
    public bool Centered { get; }

    /// <summary>Creates RMSprop; arguments and defaults as PyTorch's.</summary>
    public RmsProp(IEnumerable<Tensor> parameters, float lr = 1e-2f, float alpha = 0.99f, float eps = 1e-8f, float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(parameters, lr)
    {
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), $"RmsProp: invalid alpha {alpha}.");
        Alpha = alpha; Eps = eps; WeightDecay = weightDecay; Momentum = momentum; Centered = centered;
        _square = new float[Parameters.Count][]; _gradAvg = new float[Parameters.Count][]; _buf = new float[Parameters.Count][];
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> grad)
    {
        var s = State(ref _square, index, p.Length);
        var ga = Centered ? State(ref _gradAvg, index, p.Length) : null;
        var buf = Momentum > 0 ? State(ref _buf, index, p.Length) : null;
        float a = Alpha, lr = LearningRate, wd = WeightDecay;
        for (int i = 0; i < p.Length; i++)
        {
            float g = wd != 0f ? grad[i] + wd * p[i] : grad[i];
            s[i] = s[i] * a + (1f - a) * g * g;
            float avg;
            if (ga is not null)
            {
                ga[i] = ga[i] * a + (1f - a) * g;
                avg = MathF.Sqrt(s[i] - ga[i] * ga[i]);
            }
            else avg = MathF.Sqrt(s[i]);
            avg += Eps;
            if (buf is not null)
            {
                buf[i] = buf[i] * Momentum + g / avg;
                p[i] -= lr * buf[i];
            }
            else p[i] -= lr * (g / avg);
        }
    }
}
