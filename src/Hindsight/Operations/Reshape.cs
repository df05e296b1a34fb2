using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// The same elements with a new shape (PyTorch's <c>reshape</c>); one dimension may be -1 to be inferred.
    /// The result shares the input's data.
    /// </summary>
    public static Tensor Reshape(Tensor x, params ReadOnlySpan<int> shape)
    {
        Span<int> resolved = stackalloc int[shape.Length];
        shape.CopyTo(resolved);
        int infer = -1; long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: more than one -1 in {Tensor.FormatShape(shape)}.");
                infer = i;
            }
            else if (resolved[i] < 0) throw new ArgumentException($"Reshape: invalid shape {Tensor.FormatShape(shape)}.");
            else known *= resolved[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Reshape: cannot reshape {x.ShapeString} ({x.Length} elements) to {Tensor.FormatShape(shape)}.");
            resolved[infer] = (int)(x.Length / known);
        }
        else if (known != x.Length)
            throw new ArgumentException($"Reshape: cannot reshape {x.ShapeString} ({x.Length} elements) to {Tensor.FormatShape(shape)}.");
        var y = Tensor.View(x.Data, resolved);
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(ReshapeBackward, y, x));
        return y;
    }

    private static void ReshapeBackward(in TapeEntry e)
    {
        var g = e.A!.GradForAccumulate();
        TensorPrimitives.Add(g, e.Output.GradData!, g);
    }

    /// <summary>Flattens dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one (PyTorch's <c>torch.flatten</c>).</summary>
    public static Tensor Flatten(Tensor x, int startDim = 0, int endDim = -1)
    {
        if (x.Rank == 0) return Reshape(x, 1);
        int s = Tensor.NormalizeDim(startDim, x.Rank, "Flatten"), e = Tensor.NormalizeDim(endDim, x.Rank, "Flatten");
        if (s > e) throw new ArgumentException($"Flatten: start dimension {startDim} comes after end dimension {endDim} for shape {x.ShapeString}.");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(x.ShapeArray[i]);
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= x.ShapeArray[i];
        shape.Add(prod);
        for (int i = e + 1; i < x.Rank; i++) shape.Add(x.ShapeArray[i]);
        return Reshape(x, shape.ToArray());
    }
}
