namespace Hindsight.Onnx;

/// <summary>A graph value with its element type: what a <see cref="OnnxExportContext.Scan"/> declares for its states and outputs.</summary>
/// <param name="Value">The value.</param>
/// <param name="Type">Its element type.</param>
public readonly record struct OnnxTypedValue(OnnxValue Value, OnnxElementType Type);

// A recursion over a sequence (ONNX Scan) and the small arithmetic a recursion's step needs: division, comparison,
// selection, absolute values, maxima, gathers by index and the last entries of a dynamic axis.
public sealed partial class OnnxExportContext
{
    /// <summary>
    /// A recursion over axis <paramref name="sequenceAxis"/> of <paramref name="sequence"/> (ONNX <c>Scan</c>):
    /// <paramref name="step"/> builds one step in a context of its own from the current states and the sequence's slice
    /// (the sequence's shape without that axis) and returns the next states (the same shapes and types, in order) and
    /// the per-step outputs. Returns the final states and the per-step outputs stacked along
    /// <paramref name="outputAxis"/>. The step may read any value of the enclosing graph (ONNX outer-scope names).
    /// </summary>
    public (IReadOnlyList<OnnxValue> States, IReadOnlyList<OnnxValue> Stacked) Scan(string name, IReadOnlyList<OnnxTypedValue> states,
        OnnxTypedValue sequence, int sequenceAxis, int outputAxis,
        Func<OnnxExportContext, IReadOnlyList<OnnxValue>, OnnxValue, (IReadOnlyList<OnnxValue> Next, IReadOnlyList<OnnxTypedValue> Outputs)> step)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(step);
        var seq = sequence.Value;
        if (sequenceAxis < 0 || sequenceAxis >= seq.Rank)
            throw new ArgumentException($"ONNX export: '{name}': Scan over axis {sequenceAxis} of a rank-{seq.Rank} value {seq.ShapeString}.", nameof(sequenceAxis));
        var bodyGraph = Graph.Subgraph();
        var body = new OnnxExportContext(bodyGraph, [.. InputShape], Options);
        var current = states.Select((s, i) => bodyGraph.Input($"{name}.state{i}", s.Value.Shape, ProtoType(s.Type))).ToArray();
        var slice = bodyGraph.Input($"{name}.slice", [.. seq.Shape[..sequenceAxis], .. seq.Shape[(sequenceAxis + 1)..]], ProtoType(sequence.Type));
        var (next, outputs) = step(body, current, slice);
        if (next.Count != states.Count)
            throw new ArgumentException($"ONNX export: '{name}': the step returns {next.Count} states for {states.Count}.", nameof(step));
        for (int i = 0; i < next.Count; i++) bodyGraph.Output($"{name}.state{i}_next", next[i], ProtoType(states[i].Type));
        for (int i = 0; i < outputs.Count; i++) bodyGraph.Output($"{name}.output{i}", outputs[i].Value, ProtoType(outputs[i].Type));
        foreach (var o in outputs)
            if (outputAxis < 0 || outputAxis > o.Value.Rank)
                throw new ArgumentException($"ONNX export: '{name}': per-step output {o.Value.ShapeString} cannot be stacked along axis {outputAxis}.", nameof(outputAxis));

        string[] hints = [.. states.Select((_, i) => $"{name}.state{i}_final"), .. outputs.Select((_, i) => $"{name}.output{i}_stacked")];
        var names = Graph.Node("Scan", [.. states.Select(s => s.Value.Name), seq.Name], hints,
            OnnxAttribute.Of("body", bodyGraph.ToGraph(name + ".step")),
            OnnxAttribute.Of("num_scan_inputs", 1L),
            OnnxAttribute.Of("scan_input_axes", new long[] { sequenceAxis }),
            OnnxAttribute.Of("scan_output_axes", Enumerable.Repeat((long)outputAxis, outputs.Count).ToArray()));
        var length = seq.Shape[sequenceAxis];
        var final = states.Select((s, i) => new OnnxValue(names[i], s.Value.Shape)).ToArray();
        var stacked = outputs.Select((o, i) => new OnnxValue(names[states.Count + i],
            [.. o.Value.Shape[..outputAxis], length, .. o.Value.Shape[outputAxis..]])).ToArray();
        return (final, stacked);
    }

    /// <summary>Elementwise <c>a / b</c> with NumPy broadcasting.</summary>
    public OnnxValue Div(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Div", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>Elementwise <c>a == b</c> (a bool value) with NumPy broadcasting.</summary>
    public OnnxValue Equal(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Equal", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>Elementwise <c>condition ? a : b</c> (ONNX Where) with NumPy broadcasting of the three.</summary>
    public OnnxValue Where(OnnxValue condition, OnnxValue a, OnnxValue b, string name) =>
        new(Graph.Node("Where", [condition.Name, a.Name, b.Name], name), Broadcast(condition, new OnnxValue(a.Name, Broadcast(a, b, name)), name));

    /// <summary>Elementwise <c>|x|</c>.</summary>
    public OnnxValue Abs(OnnxValue x, string name) => new(Graph.Node("Abs", [x.Name], name), x.Shape);

    /// <summary>The largest entry along <paramref name="axis"/>, kept as a dimension of size 1.</summary>
    public OnnxValue ReduceMax(OnnxValue x, int axis, string name)
    {
        if (axis < 0 || axis >= x.Rank) throw new ArgumentException($"ONNX export: '{name}': axis {axis} of a rank-{x.Rank} value {x.ShapeString}.", nameof(axis));
        var shape = x.Shape.ToArray();
        shape[axis] = OnnxDim.Fixed(1);
        return new(Graph.Node("ReduceMax", [x.Name], name, OnnxAttribute.Of("axes", new long[] { axis }), OnnxAttribute.Of("keepdims", 1L)), shape);
    }

    /// <summary>
    /// Rows of <paramref name="x"/> along <paramref name="axis"/> picked by the int64 <paramref name="indices"/> (ONNX
    /// Gather): the result has x's shape with that axis replaced by the indices' shape.
    /// </summary>
    public OnnxValue Gather(OnnxValue x, OnnxValue indices, int axis, string name)
    {
        if (axis < 0 || axis >= x.Rank) throw new ArgumentException($"ONNX export: '{name}': axis {axis} of a rank-{x.Rank} value {x.ShapeString}.", nameof(axis));
        return new(Graph.Node("Gather", [x.Name, indices.Name], name, OnnxAttribute.Of("axis", (long)axis)), [.. x.Shape[..axis], .. indices.Shape, .. x.Shape[(axis + 1)..]]);
    }

    /// <summary>The last <paramref name="length"/> entries of the last axis of <paramref name="x"/> (that axis may be dynamic; it must hold at least that many).</summary>
    public OnnxValue Last(OnnxValue x, int length, string name)
    {
        string y = Graph.Node("Slice", [x.Name, Graph.Int64s(name + ".start", -length), Graph.Int64s(name + ".end", long.MaxValue), Graph.Int64s(name + ".axes", x.Rank - 1)], name);
        return new OnnxValue(y, [.. x.Shape[..^1], OnnxDim.Fixed(length)]);
    }

    /// <summary>A constant float32 tensor (<paramref name="values"/> laid out as <paramref name="shape"/>; an empty shape is a scalar).</summary>
    public OnnxValue FloatConstant(string name, ReadOnlySpan<float> values, params long[] shape)
    {
        if (values.Length != shape.Aggregate(1L, (p, d) => p * d))
            throw new ArgumentException($"ONNX export: '{name}': {values.Length} values for shape ({string.Join(", ", shape)}).", nameof(values));
        return new OnnxValue(Graph.Weight(name, values, shape), shape.Select(OnnxDim.Fixed).ToArray());
    }
}
