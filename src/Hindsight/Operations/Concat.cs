namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Concatenates tensors along <paramref name="dim"/> (PyTorch's <c>torch.cat</c>). All other dimensions must match.
    /// </summary>
    public static Tensor Concat(int dim, params ReadOnlySpan<Tensor> tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("Concat: no tensors given.");
        var first = tensors[0];
        int d = Tensor.NormalizeDim(dim, first.Rank, "Concat");
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank) throw new ArgumentException($"Concat: shapes {first.ShapeString} and {t.ShapeString} differ in rank.");
            for (int i = 0; i < t.Rank; i++)
                if (i != d && t.ShapeArray[i] != first.ShapeArray[i])
                    throw new ArgumentException($"Concat: shapes {first.ShapeString} and {t.ShapeString} differ outside dimension {d}.");
            total += t.ShapeArray[d];
        }
        Span<int> shape = stackalloc int[first.Rank];
        first.Shape.CopyTo(shape);
        shape[d] = total;
        var y = Tensor.Output(shape);
        var (outer, _, inner) = AroundDim(shape, d);
        int offset = 0;
        bool record = false;
        foreach (var t in tensors)
        {
            int block = t.ShapeArray[d] * inner;
            for (int o = 0; o < outer; o++)
                t.Data.AsSpan(o * block, block).CopyTo(y.Data.AsSpan(o * total * inner + offset, block));
            offset += block;
            record |= Tape.ShouldRecord(t);
        }
        // Up to three inputs ride in the entry itself (no allocation); more are kept in an array.
        if (record)
            Tape.Record(tensors.Length <= 3
                ? new TapeEntry(ConcatBackward, y, tensors[0], tensors.Length > 1 ? tensors[1] : null, tensors.Length > 2 ? tensors[2] : null, i0: d, i1: tensors.Length)
                : new TapeEntry(ConcatBackward, y, i0: d, i1: tensors.Length, context: tensors.ToArray()));
        return y;
    }

    /// <summary>Concatenates two tensors along <paramref name="dim"/> (the seed's <c>torch.cat((input, hidden), 1)</c>).</summary>
    public static Tensor Concat(Tensor a, Tensor b, int dim) => Concat(dim, a, b);

    private static void ConcatBackward(in TapeEntry e)
    {
        var many = e.Context as Tensor[];
        var y = e.Output;
        var (outer, total, inner) = AroundDim(y.Shape, e.I0);
        var dy = y.GradData!;
        int offset = 0;
        for (int i = 0; i < e.I1; i++)
        {
            var t = many is not null ? many[i] : i == 0 ? e.A! : i == 1 ? e.B! : e.C!;
            int block = t.ShapeArray[e.I0] * inner;
            if (t.RequiresGrad)
            {
                var g = t.GradForAccumulate();
                for (int o = 0; o < outer; o++)
                {
                    var src = dy.AsSpan(o * total * inner + offset, block);
                    var dst = g.Slice(o * block, block);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
            }
            offset += block;
        }
    }

    /// <summary>
    /// The slice <c>[start, start + length)</c> of dimension <paramref name="dim"/> as a new tensor
    /// (PyTorch's <c>x.narrow(dim, start, length)</c>, copied). As in PyTorch, a negative <paramref name="dim"/> counts
    /// from the last dimension and a negative <paramref name="start"/> from the end of the dimension
    /// (<c>start + size</c>): <c>Slice(x, -1, -3, 3)</c> is the last three entries of the last dimension.
    /// </summary>
    public static Tensor Slice(Tensor x, int dim, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = Tensor.NormalizeDim(dim, x.Rank, "Slice");
        int size = x.ShapeArray[d];
        int from = start < 0 ? start + size : start;
        if (from < 0 || length < 0 || (long)from + length > size)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: range [{start}, {start + length}) is outside dimension {d} of size {size} (shape {x.ShapeString}).");
        start = from;
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[d] = length;
        var y = Tensor.Output(shape);
        var (outer, _, inner) = AroundDim(x.Shape, d);
        int block = length * inner;
        for (int o = 0; o < outer; o++)
            x.Data.AsSpan(o * size * inner + start * inner, block).CopyTo(y.Data.AsSpan(o * block, block));
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(SliceBackward, y, x, i0: d, i1: start));
        return y;
    }

    private static void SliceBackward(in TapeEntry e)
    {
        Tensor x = e.A!, y = e.Output;
        int d = e.I0, start = e.I1, length = y.ShapeArray[d];
        var (outer, size, inner) = AroundDim(x.Shape, d);
        var g = x.GradForAccumulate();
        var dy = y.GradData!;
        int block = length * inner;
        for (int o = 0; o < outer; o++)
        {
            var dst = g.Slice(o * size * inner + start * inner, block);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, dy.AsSpan(o * block, block), dst);
        }
    }

    /// <summary>
    /// Selects index <paramref name="index"/> of dimension <paramref name="dim"/>, removing that dimension (PyTorch's
    /// <c>x.select(dim, i)</c> / <c>x[i]</c>). Negative values count from the end as in PyTorch: <c>Select(x, -1, -1)</c>
    /// is the last entry of the last dimension (<c>x[..., -1]</c>), valid indices are <c>-size..size-1</c>.
    /// </summary>
    public static Tensor Select(Tensor x, int dim, int index)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = Tensor.NormalizeDim(dim, x.Rank, "Select");
        int size = x.ShapeArray[d], at = index < 0 ? index + size : index;
        if ((uint)at >= (uint)size)
            throw new ArgumentOutOfRangeException(nameof(index), $"Select: index {index} is outside dimension {d} of size {size} (valid {-size}..{size - 1}; shape {x.ShapeString}).");
        var s = Slice(x, d, at, 1);
        Span<int> shape = stackalloc int[x.Rank - 1];
        for (int i = 0, j = 0; i < x.Rank; i++) if (i != d) shape[j++] = x.ShapeArray[i];
        return Reshape(s, shape);
    }
}
