namespace Hindsight.Onnx;

/// <summary>A tensor in the graph being built: its name and its shape (fixed sizes or named dynamic dimensions).</summary>
public sealed record OnnxValue(string Name, OnnxDim[] Shape)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;
    /// <summary>The shape as text, e.g. <c>(batch, 48, 1)</c>.</summary>
    public string ShapeString => "(" + string.Join(", ", Shape.Select(d => d.ToString())) + ")";
}

/// <summary>Collects nodes and initializers with unique names, then serializes the ModelProto.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<ProtoWriter> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private readonly HashSet<string> _names;

    /// <summary>Names of graph inputs and outputs: never given to an internal value, claimed by <see cref="Input"/> and <see cref="Output"/>.</summary>
    private static readonly string[] Reserved =
        ["input", "lengths", "h0", "c0", "y0", "hidden", "output", "h_n", "c_n", "logits", "log_probs", "last_output", "hidden_out",
         "past", "future", "static", "count_scale", "quantiles", "loc", "scale", "df", "mean", "alpha"];
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    /// <summary>A top-level graph.</summary>
    public OnnxGraphBuilder() => _names = new(Reserved, StringComparer.Ordinal);

    private OnnxGraphBuilder(HashSet<string> names) => _names = names;

    /// <summary>A subgraph (a Scan body): its own nodes, inputs and outputs, names unique across both graphs.</summary>
    public OnnxGraphBuilder Subgraph() => new(_names);

    /// <summary>The GraphProto of this (sub)graph.</summary>
    public ProtoWriter ToGraph(string name) => OnnxProto.Graph(name, _nodes, _initializers, _inputs, _outputs);

    /// <summary>A name not used yet, derived from <paramref name="hint"/>.</summary>
    public string Unique(string hint)
    {
        if (_names.Add(hint)) return hint;
        for (int i = 1; ; i++)
        {
            string name = $"{hint}_{i}";
            if (_names.Add(name)) return name;
        }
    }

    /// <summary>Declares a graph input, float unless <paramref name="elemType"/> says otherwise (TensorProto.DataType).</summary>
    public OnnxValue Input(string name, OnnxDim[] shape, int elemType = OnnxProto.Float)
    {
        var v = new OnnxValue(Claim(name), shape);
        _inputs.Add(OnnxProto.ValueInfo(v.Name, elemType, shape));
        return v;
    }

    /// <summary>
    /// Declares a graph output under <paramref name="name"/> (an Identity node renames the value when needed), float unless
    /// <paramref name="elemType"/> says otherwise.
    /// </summary>
    public void Output(string name, OnnxValue value, int elemType = OnnxProto.Float)
    {
        string outName = value.Name;
        if (value.Name != name)
        {
            outName = Claim(name);
            _nodes.Add(OnnxProto.Node(Unique("Identity_" + name), "Identity", [value.Name], [outName], []));
        }
        _outputs.Add(OnnxProto.ValueInfo(outName, elemType, value.Shape));
    }

    /// <summary>A reserved input/output name the first time it is asked for; any other name made unique.</summary>
    private string Claim(string name) => Reserved.Contains(name) && _claimed.Add(name) ? name : Unique(name);

    /// <summary>A float32 initializer (a weight), returns its name.</summary>
    public string Weight(string hint, ReadOnlySpan<float> data, params long[] dims)
    {
        string name = Unique(hint);
        _initializers.Add(OnnxProto.FloatTensor(name, data, dims));
        return name;
    }

    /// <summary>An int64 vector initializer (a Reshape target shape), returns its name.</summary>
    public string Int64s(string hint, params long[] values)
    {
        string name = Unique(hint);
        _initializers.Add(OnnxProto.Int64Tensor(name, values, [values.Length]));
        return name;
    }

    /// <summary>An int64 initializer of any shape (an empty <paramref name="dims"/> is a scalar), returns its name.</summary>
    public string Int64Tensor(string hint, long[] values, long[] dims)
    {
        string name = Unique(hint);
        _initializers.Add(OnnxProto.Int64Tensor(name, values, dims));
        return name;
    }

    /// <summary>Adds a node with one output per entry of <paramref name="outputHints"/>; returns the output names.</summary>
    public string[] Node(string opType, string[] inputs, string[] outputHints, params OnnxAttribute[] attributes)
    {
        var outputs = outputHints.Select(Unique).ToArray();
        _nodes.Add(OnnxProto.Node(Unique(opType + "_" + outputs[0]), opType, inputs, outputs, attributes));
        return outputs;
    }

    /// <summary>Adds a node with a single output.</summary>
    public string Node(string opType, string[] inputs, string outputHint, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, [outputHint], attributes)[0];

    /// <summary>Serializes the ModelProto.</summary>
    public byte[] ToModel(string graphName, long irVersion, long opset, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        string version = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0";
        return OnnxProto.Model(irVersion, opset, version, ToGraph(graphName), metadata);
    }
}
