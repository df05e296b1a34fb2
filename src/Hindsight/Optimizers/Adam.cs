namespace Hindsight.Optimizers;

/// <summary>
/// Adam (PyTorch's <c>torch.optim.Adam</c>; with <c>decoupledWeightDecay</c>, <c>AdamW</c>):
/// <c>m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)</c>.
/// </summary>
public class Adam : Optimizer
{
    private float[]?[] _m, _v, _vMax;
    /// <summary>Coefficients for the running averages of the gradient and its square.</summary>
    public (float Beta1, float Beta2) Betas { get; }
    /// <summary>Term added to the denominator.</summary>
    public float Eps { get; }
    /// <summary>Weight decay (L2 on the gradient for Adam; decoupled for AdamW).</summary>
    public float WeightDecay { get; }
    /// <summary>AMSGrad variant.</summary>
    public bool AmsGrad { get; }
    private readonly bool _decoupled;

    /// <summary>Creates Adam; arguments as PyTorch's.</summary>
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f, bool amsGrad = false)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, amsGrad, decoupled: false) { }

    private protected Adam(IEnumerable<Tensor> parameters, float lr, float beta1, float beta2, float eps, float weightDecay, bool amsGrad, bool decoupled)
        : base(parameters, lr)
    {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam: invalid betas ({beta1}, {beta2}).");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"Adam: invalid eps {eps}.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Adam: invalid weight decay {weightDecay}.");
        Betas = (beta1, beta2); Eps = eps; WeightDecay = weightDecay; AmsGrad = amsGrad; _decoupled = decoupled;
        _m = new float[Parameters.Count][]; _v = new float[Parameters.Count][]; _vMax = new float[Parameters.Count][];
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> grad)
    {
        var m = State(ref _m, index, p.Length);
        var v = State(ref _v, index, p.Length);
        var vMax = AmsGrad ? State(ref _vMax, index, p.Length) : null;
        var (b1, b2) = Betas;
        int t = StepCount;
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        float stepSize = (float)(LearningRate / bc1);
        float bc2Sqrt = (float)Math.Sqrt(bc2);
        float wd = WeightDecay, eps = Eps;
        if (_decoupled && wd != 0f)
        {
            float decay = 1f - LearningRate * wd;
            for (int i = 0; i < p.Length; i++) p[i] *= decay;
        }
        bool l2 = !_decoupled && wd != 0f;
        for (int i = 0; i < p.Length; i++)
        {
            float g = l2 ? grad[i] + wd * p[i] : grad[i];
            m[i] = m[i] * b1 + (1f - b1) * g;
            v[i] = v[i] * b2 + (1f - b2) * g * g;
            float vv = v[i];
            if (vMax is not null) { vMax[i] = MathF.Max(vMax[i], vv); vv = vMax[i]; }
            float denom = MathF.Sqrt(vv) / bc2Sqrt + eps;
            p[i] -= stepSize * (m[i] / denom);
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay <c>p *= 1 - lr wd</c> (PyTorch's <c>torch.optim.AdamW</c>, default wd 0.01).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW; arguments as PyTorch's.</summary>
    public AdamW(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f, bool amsGrad = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsGrad, decoupled: true) { }
}
