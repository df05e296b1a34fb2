namespace Hindsight.Operations;

/// <summary>
/// Differentiable tensor operations (PyTorch's <c>torch.*</c> and <c>torch.nn.functional</c>).
/// Each operation lives in its own file with its forward and backward side by side.
/// </summary>
public static partial class Ops
{
    internal static void RequireRank(Tensor t, int rank, string op, string what)
    {
        if (t.Rank != rank)
            throw new ArgumentException($"{op}: {what} must have rank {rank}, got shape {t.ShapeString}.");
    }

    internal static void RequireSameShape(Tensor a, Tensor b, string op)
    {
        if (!a.SameShape(b))
            throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} do not match.");
    }
}
