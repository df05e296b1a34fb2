namespace Hindsight.Operations;

/// <summary>NumPy/PyTorch broadcasting of two shapes, and the mapping from an output index to an input index.</summary>
internal static class Broadcast
{
    public static int[] Shape(Tensor a, Tensor b, string op)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.ShapeArray[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.ShapeArray[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            shape[i] = da == 1 ? db : da;
        }
        return shape;
    }

    /// <summary>True when <paramref name="inner"/> equals the trailing dimensions of <paramref name="outShape"/> (a row broadcast over leading dims).</summary>
    public static bool IsSuffix(int[] outShape, Tensor inner)
    {
        if (inner.Rank > outShape.Length) return false;
        int off = outShape.Length - inner.Rank;
        for (int i = 0; i < inner.Rank; i++) if (inner.ShapeArray[i] != outShape[off + i]) return false;
        return true;
    }

    /// <summary>For each flat output index, the flat index into <paramref name="input"/>.</summary>
    public static int[] IndexMap(int[] outShape, Tensor input)
    {
        int n = Tensor.CheckedLength(outShape), rank = outShape.Length, off = rank - input.Rank;
        var strides = new int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int dim = d < off ? 1 : input.ShapeArray[d - off];
            strides[d] = dim == 1 ? 0 : s;
            s *= dim;
        }
        var map = new int[n];
        var idx = new int[rank];
        int flat = 0;
        for (int i = 0; i < n; i++)
        {
            map[i] = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++; flat += strides[d];
                if (idx[d] < outShape[d]) break;
                flat -= strides[d] * idx[d]; idx[d] = 0;
            }
        }
        return map;
    }
}
