namespace Hindsight.Optimizers;

/// <summary>Gradient clipping (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients by <c>min(1, maxNorm / (totalNorm + 1e-6))</c>, where totalNorm is the 2-norm of all gradients
    /// together, and returns totalNorm. Parameters without gradients are ignored.
    /// </summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var all = parameters.ToList();
        for (int i = 0; i < all.Count; i++)
            if (all[i] is null) throw new ArgumentNullException(nameof(parameters), $"ClipGradNorm: parameter {i} is null.");
        var withGrad = all.Where(p => p.GradData is not null).ToList();
        double sumSq = 0;
        foreach (var p in withGrad)
        {
            // Each tensor's norm in float, then the norm of the norms, as PyTorch does.
            float n = System.Numerics.Tensors.TensorPrimitives.Norm(p.GradData!);
            sumSq += (double)n * n;
        }
        float total = (float)Math.Sqrt(sumSq);
        float coef = MathF.Min(maxNorm / (total + 1e-6f), 1f);
        foreach (var p in withGrad)
            System.Numerics.Tensors.TensorPrimitives.Multiply(p.GradData!, coef, p.GradData!);
        return total;
    }
}
