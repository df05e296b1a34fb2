namespace Hindsight.Onnx;

/// <summary>The element types a graph value can be cast to (<see cref="OnnxExportContext.Cast"/>).</summary>
public enum OnnxElementType
{
    /// <summary>float32 (TensorProto.FLOAT), every engine layer's type.</summary>
    Float,
    /// <summary>float64 (TensorProto.DOUBLE), for arithmetic that Hindsight does in double.</summary>
    Double,
    /// <summary>int32 (TensorProto.INT32).</summary>
    Int32,
    /// <summary>int64 (TensorProto.INT64), ONNX's index type.</summary>
    Int64,
}

// Graph inputs beyond `input`, elementwise arithmetic with broadcasting, casts, gathers and the median of several values:
// what a model that combines several networks, or wraps one in arithmetic, needs.
public sealed partial class OnnxExportContext
{
    /// <summary>
    /// A further graph input <paramref name="name"/> of <paramref name="shape"/> (float32 unless <paramref name="type"/>
    /// says otherwise), e.g. <c>level</c> beside <c>input</c>.
    /// </summary>
    public OnnxValue NamedInput(string name, OnnxDim[] shape, OnnxElementType type = OnnxElementType.Float) =>
        Graph.Input(name, shape, ProtoType(type));

    /// <summary>Elementwise <c>a x b</c> with NumPy broadcasting.</summary>
    public OnnxValue Mul(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Mul", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>Elementwise <c>min(a, b)</c> with NumPy broadcasting.</summary>
    public OnnxValue Min(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Min", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>Elementwise <c>max(a, b)</c> with NumPy broadcasting.</summary>
    public OnnxValue Max(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Max", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>
    /// <paramref name="values"/> joined along <paramref name="axis"/> (ONNX Concat); the other dimensions must agree and
    /// the joined ones be fixed.
    /// </summary>
    public OnnxValue Concat(IReadOnlyList<OnnxValue> values, int axis, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException($"ONNX export: '{name}': nothing to concatenate.", nameof(values));
        var first = values[0];
        if (axis < 0 || axis >= first.Rank || values.Any(v => v.Rank != first.Rank || v.Shape[axis].IsDynamic))
            throw new ArgumentException($"ONNX export: '{name}': Concat along axis {axis} needs values of rank {first.Rank} with a fixed size there; got {string.Join(", ", values.Select(v => v.ShapeString))}.", nameof(values));
        var shape = first.Shape.ToArray();
        shape[axis] = OnnxDim.Fixed(values.Sum(v => v.Shape[axis].Value));
        return new OnnxValue(Graph.Node("Concat", values.Select(v => v.Name).ToArray(), name, OnnxAttribute.Of("axis", (long)axis)), shape);
    }

    /// <summary>Elementwise natural logarithm.</summary>
    public OnnxValue Log(OnnxValue x, string name) => new(Graph.Node("Log", [x.Name], name), x.Shape);

    /// <summary>Elementwise <c>e^x</c>.</summary>
    public OnnxValue Exp(OnnxValue x, string name) => new(Graph.Node("Exp", [x.Name], name), x.Shape);

    /// <summary><paramref name="x"/> converted to <paramref name="type"/> (ONNX Cast; float32 to float64 is exact).</summary>
    public OnnxValue Cast(OnnxValue x, OnnxElementType type, string name) =>
        new(Graph.Node("Cast", [x.Name], name, OnnxAttribute.Of("to", (long)ProtoType(type))), x.Shape);

    /// <summary>A constant int64 tensor (<paramref name="values"/> laid out as <paramref name="shape"/>; an empty shape is a scalar).</summary>
    public OnnxValue Int64Constant(string name, long[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != shape.Aggregate(1L, (p, d) => p * d))
            throw new ArgumentException($"ONNX export: '{name}': {values.Length} values for shape ({string.Join(", ", shape)}).", nameof(values));
        return new OnnxValue(Graph.Int64Tensor(name, values, shape), shape.Select(OnnxDim.Fixed).ToArray());
    }

    /// <summary>
    /// Entry <paramref name="index"/> of axis <paramref name="axis"/> of <paramref name="x"/>, that axis removed
    /// (<see cref="Ops.Select"/>; ONNX Gather with a scalar index): (B, N, K) at axis 1 gives (B, K).
    /// </summary>
    public OnnxValue Take(OnnxValue x, int axis, long index, string name)
    {
        if (axis < 0 || axis >= x.Rank) throw new ArgumentException($"ONNX export: '{name}': axis {axis} of a rank-{x.Rank} value {x.ShapeString}.", nameof(axis));
        string i = Graph.Int64Tensor(name + ".index", [index], []);
        return new OnnxValue(Graph.Node("Gather", [x.Name, i], name, OnnxAttribute.Of("axis", (long)axis)), [.. x.Shape[..axis], .. x.Shape[(axis + 1)..]]);
    }

    /// <summary>
    /// Per row, entries of the last axis picked by <paramref name="indices"/> (int64, the shape of the result): ONNX
    /// GatherElements, <c>y[b, k] = x[b, indices[b, k]]</c>.
    /// </summary>
    public OnnxValue GatherLast(OnnxValue x, OnnxValue indices, string name) =>
        new(Graph.Node("GatherElements", [x.Name, indices.Name], name, OnnxAttribute.Of("axis", (long)(x.Rank - 1))), indices.Shape);

    /// <summary>
    /// The elementwise median of <paramref name="values"/> (all of one shape), as <c>NeuralEnsemble.Median</c>: the middle
    /// value of an odd count, the mean of the middle two of an even count (<c>(a + b) x 0.5</c>, exactly <c>(a + b) / 2</c>).
    /// The values are stacked on a new last axis (Unsqueeze, Concat) and sorted along it by TopK (k = count, descending;
    /// it selects, so the median is one of the inputs or the float mean of two of them); one value is returned as it is.
    /// </summary>
    public OnnxValue Median(IReadOnlyList<OnnxValue> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException($"ONNX export: '{name}': the median of no values.", nameof(values));
        if (values.Count == 1) return values[0];
        var shape = values[0].Shape;
        foreach (var v in values)
            if (!v.Shape.SequenceEqual(shape))
                throw new ArgumentException($"ONNX export: '{name}': the median takes values of one shape; got {values[0].ShapeString} and {v.ShapeString}.", nameof(values));
        int n = values.Count, axis = shape.Length;
        string axes = Graph.Int64s(name + ".axes", axis);
        var columns = values.Select((v, j) => Graph.Node("Unsqueeze", [v.Name, axes], $"{name}.member{j}")).ToArray();  // (..., 1)
        string stacked = Graph.Node("Concat", columns, name + ".stacked", OnnxAttribute.Of("axis", (long)axis));         // (..., n)
        string sorted = Graph.Node("TopK", [stacked, Graph.Int64s(name + ".k", n)], [name + ".sorted", name + ".order"],
            OnnxAttribute.Of("axis", (long)axis), OnnxAttribute.Of("largest", 1L), OnnxAttribute.Of("sorted", 1L))[0];   // (..., n) descending
        string Middle(int at, string hint) => Graph.Node("Squeeze",
            [Graph.Node("Slice", [sorted, Graph.Int64s(hint + ".start", at), Graph.Int64s(hint + ".end", at + 1), axes], hint + ".slice"), axes], hint);
        if (n % 2 == 1) return new OnnxValue(Middle(n / 2, name), shape);
        // descending order puts the ascending middle pair (n/2 - 1, n/2) at (n/2, n/2 - 1): the same two values
        string sum = Graph.Node("Add", [Middle(n / 2 - 1, name + ".upper"), Middle(n / 2, name + ".lower")], name + ".sum");
        return new OnnxValue(Graph.Node("Mul", [sum, Graph.Weight(name + ".half", [0.5f])], name), shape);
    }

    private static int ProtoType(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => OnnxProto.Float,
        OnnxElementType.Double => OnnxProto.Double,
        OnnxElementType.Int32 => OnnxProto.Int32,
        OnnxElementType.Int64 => OnnxProto.Int64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    // The NumPy broadcast of two shapes (aligned on the right; a fixed 1 gives way to the other dimension).
    private static OnnxDim[] Broadcast(OnnxValue a, OnnxValue b, string name)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new OnnxDim[rank];
        for (int i = 0; i < rank; i++)
        {
            OnnxDim? da = i < rank - a.Rank ? null : a.Shape[i - (rank - a.Rank)], db = i < rank - b.Rank ? null : b.Shape[i - (rank - b.Rank)];
            if (da is null || da == OnnxDim.Fixed(1)) shape[i] = db ?? da!.Value;
            else if (db is null || db == OnnxDim.Fixed(1) || db == da) shape[i] = da.Value;
            else if (da.Value.IsDynamic || db.Value.IsDynamic) shape[i] = da.Value.IsDynamic ? db.Value : da.Value;
            else throw new ArgumentException($"ONNX export: '{name}': shapes {a.ShapeString} and {b.ShapeString} do not broadcast.", nameof(b));
        }
        return shape;
    }
}
