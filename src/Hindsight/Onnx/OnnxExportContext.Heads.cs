namespace Hindsight.Onnx;

// What an output head needs beyond the arithmetic of Combine: softplus, square root, a running sum, slices and gathers
// along any axis, and stacking values on a new axis.
public sealed partial class OnnxExportContext
{
    /// <summary>Elementwise <c>ln(1 + e^x)</c> (ONNX Softplus; PyTorch's <c>F.softplus</c> up to float rounding).</summary>
    public OnnxValue Softplus(OnnxValue x, string name) => new(Graph.Node("Softplus", [x.Name], name), x.Shape);

    /// <summary>Elementwise square root.</summary>
    public OnnxValue Sqrt(OnnxValue x, string name) => new(Graph.Node("Sqrt", [x.Name], name), x.Shape);

    /// <summary>The running sum along the last axis (ONNX CumSum): <c>y[..., k] = x[..., 0] + ... + x[..., k]</c>.</summary>
    public OnnxValue CumSumLast(OnnxValue x, string name) =>
        new(Graph.Node("CumSum", [x.Name, Graph.Int64Tensor(name + ".axis", [x.Rank - 1], [])], name), x.Shape);

    /// <summary>Entries <c>[start, start + length)</c> of axis <paramref name="axis"/> of <paramref name="x"/> (ONNX Slice; the axis keeps its rank).</summary>
    public OnnxValue Slice(OnnxValue x, int axis, int start, int length, string name)
    {
        if (axis < 0 || axis >= x.Rank) throw new ArgumentException($"ONNX export: '{name}': axis {axis} of a rank-{x.Rank} value {x.ShapeString}.", nameof(axis));
        string y = Graph.Node("Slice", [x.Name, Graph.Int64s(name + ".start", start), Graph.Int64s(name + ".end", start + length), Graph.Int64s(name + ".axes", axis)], name);
        var shape = x.Shape.ToArray();
        shape[axis] = OnnxDim.Fixed(length);
        return new OnnxValue(y, shape);
    }

    /// <summary>
    /// <paramref name="values"/> (all of one shape) stacked on a new axis <paramref name="axis"/> (<c>torch.stack</c>):
    /// each gets a dimension of 1 there (Unsqueeze), then they are joined (Concat).
    /// </summary>
    public OnnxValue Stack(IReadOnlyList<OnnxValue> values, int axis, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        string axes = Graph.Int64s(name + ".axes", axis);
        var columns = values.Select((v, j) => new OnnxValue(Graph.Node("Unsqueeze", [v.Name, axes], $"{name}.{j}"),
            [.. v.Shape[..axis], OnnxDim.Fixed(1), .. v.Shape[axis..]])).ToArray();
        return Concat(columns, axis, name);
    }

    /// <summary>
    /// Per row, steps of x (B, L, C) picked by <paramref name="indices"/> (B, l) int64: <c>y[b, k, c] = x[b, indices[b, k], c]</c>,
    /// (B, l, C) (the indices broadcast over the channels by Expand, then GatherElements along axis 1).
    /// </summary>
    public OnnxValue GatherSteps(OnnxValue x, OnnxValue indices, string name)
    {
        if (x.Rank != 3 || indices.Rank != 2 || x.Shape[2].IsDynamic)
            throw new ArgumentException($"ONNX export: '{name}': GatherSteps takes x (batch, steps, channels) with fixed channels and indices (batch, steps); got {x.ShapeString} and {indices.ShapeString}.", nameof(x));
        long c = x.Shape[2].Value;
        var column = Reshape(indices, [0, 0, 1], [indices.Shape[0], indices.Shape[1], OnnxDim.Fixed(1)], name + ".column");       // (B, l, 1)
        OnnxDim[] shape = [indices.Shape[0], indices.Shape[1], OnnxDim.Fixed(c)];
        string expanded = Graph.Node("Expand", [column.Name, Graph.Int64s(name + ".shape", 1, 1, c)], name + ".indices");           // (B, l, C)
        return new(Graph.Node("GatherElements", [x.Name, expanded], name, OnnxAttribute.Of("axis", 1L)), shape);
    }
}
