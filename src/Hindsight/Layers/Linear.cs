namespace Hindsight.Layers;

/// <summary>
/// Fully connected layer <c>y = x W^T + b</c> (PyTorch's <c>nn.Linear</c>): <c>weight</c> (out, in), <c>bias</c> (out).
/// Initialised as PyTorch does: both drawn from U(-1/sqrt(in), 1/sqrt(in)).
/// </summary>
public sealed class Linear : Layer
{
    /// <summary>Weight, shape (out_features, in_features).</summary>
    public Tensor Weight { get; }
    /// <summary>Bias, shape (out_features), or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer; <paramref name="rng"/> defaults to the thread's <see cref="Rng.Default"/>.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Rng? rng = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: sizes must be positive, got in={inFeatures}, out={outFeatures}.");
        InFeatures = inFeatures; OutFeatures = outFeatures;
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(-bound, bound, rng, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(-bound, bound, rng, outFeatures));
    }

    /// <summary>x (..., in) to y (..., out).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Ops.Linear(input, Weight, Bias);
    }
}
