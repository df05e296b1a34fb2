using Hindsight.Tensors.Kernels;
namespace Hindsight.Layers.Recurrent;

/// <summary>Elementwise activation of a <see cref="Jordan"/> network's hidden or output units.</summary>
public enum JordanActivation
{
    /// <summary>No activation: <c>f(x) = x</c>.</summary>
    Identity,
    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,
    /// <summary>Logistic sigmoid <c>1 / (1 + exp(-x))</c>.</summary>
    Sigmoid,
    /// <summary><c>max(x, 0)</c>.</summary>
    Relu,
}

internal static class JordanActivationMath
{
    /// <summary>y = f(y) in place.</summary>
    public static void Apply(JordanActivation f, Span<float> y)
    {
        switch (f)
        {
            case JordanActivation.Tanh: Activation.Tanh(y, y); break;
            case JordanActivation.Sigmoid: Activation.Sigmoid(y, y); break;
            case JordanActivation.Relu: System.Numerics.Tensors.TensorPrimitives.Max(y, 0f, y); break;
        }
    }

    /// <summary>g *= f'(x) written through the activation's output y = f(x), in place.</summary>
    public static void Backward(JordanActivation f, Span<float> g, ReadOnlySpan<float> y)
    {
        switch (f)
        {
            case JordanActivation.Tanh: for (int i = 0; i < g.Length; i++) g[i] *= 1f - y[i] * y[i]; break;
            case JordanActivation.Sigmoid: for (int i = 0; i < g.Length; i++) g[i] *= y[i] * (1f - y[i]); break;
            case JordanActivation.Relu: for (int i = 0; i < g.Length; i++) if (y[i] <= 0f) g[i] = 0f; break;
        }
    }
}
