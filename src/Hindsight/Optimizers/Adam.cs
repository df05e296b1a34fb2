using System.Numerics;

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
            for (int k = 0; k < p.Length; k++) p[k] *= decay;
        }
        bool l2 = !_decoupled && wd != 0f;
        int i = 0;
        if (!l2 && vMax is null && Vector.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop below, a vector at a time: bit-identical results.
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var vc1 = new Vector<float>(1f - b1);
            var vc2 = new Vector<float>(1f - b2);
            var vbc2 = new Vector<float>(bc2Sqrt);
            var veps = new Vector<float>(eps);
            var vstep = new Vector<float>(stepSize);
            for (int w = Vector<float>.Count; i <= p.Length - w; i += w)
            {
                var g = new Vector<float>(grad[i..]);
                var mi = new Vector<float>(m, i) * vb1 + vc1 * g;
                var vi = new Vector<float>(v, i) * vb2 + vc2 * g * g;
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                var denom = Vector.SquareRoot(vi) / vbc2 + veps;
                (new Vector<float>(p[i..]) - vstep * (mi / denom)).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
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
