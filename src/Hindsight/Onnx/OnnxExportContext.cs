using Hindsight.Layers;
using Hindsight.Layers.Recurrent;

namespace Hindsight.Onnx;

/// <summary>
/// The graph being written for one <see cref="OnnxExporter"/> call: the requested input shape and options, graph
/// inputs and outputs, and emitters for the engine's layers. An <see cref="IOnnxExportable"/> model builds its graph
/// with these; optional inputs (<see cref="LengthsInput"/>, <see cref="StateInputs"/>) exist only when the options ask
/// for them, and an option no model consumed is refused by the exporter.
/// </summary>
public sealed partial class OnnxExportContext
{
    internal OnnxGraphBuilder Graph { get; }
    internal bool LengthsUsed { get; private set; }
    internal bool InitialStateUsed { get; private set; }

    /// <summary>The input shape given to the exporter; -1 marks a dynamic dimension.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The export options.</summary>
    public OnnxExportOptions Options { get; }

    internal OnnxExportContext(OnnxGraphBuilder graph, int[] inputShape, OnnxExportOptions options)
    {
        Graph = graph;
        InputShape = inputShape;
        Options = options;
    }

    /// <summary>
    /// The graph input <c>input</c> of <see cref="InputShape"/>; throws unless its rank is <paramref name="names"/>'s
    /// length. Dynamic dimensions take the matching name (<c>batch</c>, <c>sequence</c>, ...).
    /// </summary>
    /// <param name="model">The model being exported (named in errors).</param>
    /// <param name="layout">The expected layout, for errors, e.g. <c>(batch, lookback)</c>.</param>
    /// <param name="names">One name per dimension for the dynamic ones.</param>
    public OnnxValue Input(Module model, string layout, params string[] names)
    {
        if (InputShape.Count != names.Length)
            throw new ArgumentException($"ONNX export: 'model' ({model.GetType().Name}) takes rank-{names.Length} input {layout}; the input shape given is ({string.Join(", ", InputShape)}).", "inputShape");
        return Graph.Input("input", OnnxExporter.Dims([.. InputShape], names));
    }

    /// <summary>An int32 graph input <c>lengths</c> (batch) when <see cref="OnnxExportOptions.Lengths"/> is set, else null.</summary>
    public OnnxValue? LengthsInput(OnnxDim batch)
    {
        if (!Options.Lengths) return null;
        LengthsUsed = true;
        return Graph.Input("lengths", [batch], OnnxProto.Int32);
    }

    /// <summary>An int32 graph input <c>lengths</c> (batch) that the model always takes.</summary>
    public OnnxValue RequiredLengthsInput(OnnxDim batch)
    {
        LengthsUsed = true;
        return Graph.Input("lengths", [batch], OnnxProto.Int32);
    }

    /// <summary>
    /// Graph inputs <c>h0</c> (and <c>c0</c> for an LSTM), (L*D, batch, H), when <see cref="OnnxExportOptions.InitialState"/>
    /// is set; else nulls.
    /// </summary>
    public (OnnxValue? H0, OnnxValue? C0) StateInputs(RecurrentBase layer, OnnxDim batch)
    {
        if (!Options.InitialState) return (null, null);
        InitialStateUsed = true;
        OnnxDim[] shape = [OnnxDim.Fixed(layer.NumLayers * layer.NumDirections), batch, OnnxDim.Fixed(layer.HiddenSize)];
        return (Graph.Input("h0", shape), layer is Lstm ? Graph.Input("c0", shape) : null);
    }

    /// <summary>Declares <paramref name="value"/> as the graph output <paramref name="name"/>.</summary>
    public void Output(string name, OnnxValue value) => Graph.Output(name, value);

    /// <summary>An engine layer (Linear, activations, Flatten, Sequential of those) applied to <paramref name="x"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="path">Its name in the model (prefix of its weights' names).</param>
    /// <param name="x">Its input.</param>
    public OnnxValue Layer(Layer layer, string path, OnnxValue x) => OnnxExporter.EmitLayer(Graph, layer, path, x);

    /// <summary>y (..., out) = x (..., in) W^T + b.</summary>
    public OnnxValue Linear(Linear linear, string path, OnnxValue x) => OnnxExporter.EmitLinear(Graph, linear, path, x);

    /// <summary>
    /// An Rnn, Lstm or Gru on x (T,B,I), or (B,T,I) when batch-first: output (same layout), h_n (L*D,B,H) and c_n
    /// (LSTM only). <paramref name="lengths"/>, <paramref name="h0"/> and <paramref name="c0"/> are optional.
    /// </summary>
    public (OnnxValue Output, OnnxValue HiddenState, OnnxValue? CellState) Recurrent(RecurrentBase layer, string path, OnnxValue x,
        OnnxValue? lengths = null, OnnxValue? h0 = null, OnnxValue? c0 = null) =>
        RecurrentExport.Emit(Graph, layer, path, x, lengths, h0, c0);

    /// <summary>A Jordan network on x: output (same layout) and the last outputs (L,B,O); <paramref name="y0"/> optional.</summary>
    public (OnnxValue Output, OnnxValue LastOutput) Jordan(Jordan layer, string path, OnnxValue x, OnnxValue? y0 = null) =>
        JordanExport.Emit(Graph, layer, path, x, y0);

    /// <summary>
    /// ONNX Reshape of <paramref name="x"/> to <paramref name="target"/> (0 copies a dimension, -1 infers one), whose
    /// result has <paramref name="shape"/>.
    /// </summary>
    public OnnxValue Reshape(OnnxValue x, long[] target, OnnxDim[] shape, string name) =>
        OnnxExporter.Reshape(Graph, x, target, shape, name);

    /// <summary>(B, T) to (B, T, 1): one feature per step.</summary>
    public OnnxValue AsSteps(OnnxValue x, string name) =>
        Reshape(x, [0, 0, 1], [x.Shape[0], x.Shape[1], OnnxDim.Fixed(1)], name);

    /// <summary>(B, T, 1) to (B, T).</summary>
    public OnnxValue DropFeature(OnnxValue x, string name) => Reshape(x, [0, 0], [x.Shape[0], x.Shape[1]], name);

    /// <summary>The last row of a (rows, B, features) state as (B, features): the top layer's state.</summary>
    public OnnxValue TopLayer(OnnxValue state, int rows, int features, string name) =>
        OnnxExporter.TopLayer(Graph, state, rows, features, name);

    /// <summary>
    /// <see cref="Ops.MaxPool1d"/> with stride = kernel over the last dimension of x (B, L): ONNX MaxPool on (B, 1, L),
    /// result (B, Lout).
    /// </summary>
    public OnnxValue MaxPool1d(OnnxValue x, int kernelSize, bool ceilMode, string name)
    {
        if (x.Rank != 2 || x.Shape[1].IsDynamic)
            throw new ArgumentException($"ONNX export: '{name}' (MaxPool1d) takes (batch, length) with a fixed length, got {x.ShapeString}.", "inputShape");
        int lout = Ops.PooledLength((int)x.Shape[1].Value, kernelSize, kernelSize, ceilMode);
        var x3 = AsChannel(x, name + ".in");
        string pooled = Graph.Node("MaxPool", [x3.Name], name + ".pool", OnnxAttribute.Of("kernel_shape", new long[] { kernelSize }),
            OnnxAttribute.Of("strides", new long[] { kernelSize }), OnnxAttribute.Of("ceil_mode", ceilMode ? 1L : 0L));
        return Reshape(new OnnxValue(pooled, [x.Shape[0], OnnxDim.Fixed(1), OnnxDim.Fixed(lout)]), [0, lout], [x.Shape[0], OnnxDim.Fixed(lout)], name);
    }

    // (B, L) to (B, 1, L).
    private OnnxValue AsChannel(OnnxValue x, string name) => Reshape(x, [0, 1, -1], [x.Shape[0], OnnxDim.Fixed(1), x.Shape[1]], name);

    /// <summary>Entries <c>[start, start + length)</c> of the last dimension of <paramref name="x"/> (<see cref="Ops.Slice"/>).</summary>
    public OnnxValue Narrow(OnnxValue x, int start, int length, string name)
    {
        string y = Graph.Node("Slice", [x.Name, Graph.Int64s(name + ".start", start), Graph.Int64s(name + ".end", start + length), Graph.Int64s(name + ".axes", x.Rank - 1)], name);
        return new OnnxValue(y, [.. x.Shape[..^1], OnnxDim.Fixed(length)]);
    }

    /// <summary>x (..., K) times the constant <paramref name="matrix"/> (K, N), stored as a weight: (..., N).</summary>
    public OnnxValue MatMul(OnnxValue x, Tensor matrix, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rank != 2) throw new ArgumentException($"ONNX export: '{name}': the matrix must have rank 2, got {matrix.ShapeString}.", nameof(matrix));
        string w = Graph.Weight(name + ".matrix", matrix.Data, matrix.Dim(0), matrix.Dim(1));
        return new OnnxValue(Graph.Node("MatMul", [x.Name, w], name), [.. x.Shape[..^1], OnnxDim.Fixed(matrix.Dim(1))]);
    }

    /// <summary>Elementwise <c>a + b</c> with NumPy broadcasting (of one shape, or e.g. (batch, 1) and (1, L)).</summary>
    public OnnxValue Add(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Add", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>Elementwise <c>a - b</c> with NumPy broadcasting (of one shape, or e.g. (batch, L) minus (batch, 1)).</summary>
    public OnnxValue Sub(OnnxValue a, OnnxValue b, string name) => new(Graph.Node("Sub", [a.Name, b.Name], name), Broadcast(a, b, name));

    /// <summary>LogSoftmax of <paramref name="x"/> along <paramref name="axis"/>.</summary>
    public OnnxValue LogSoftmax(OnnxValue x, int axis, string name) =>
        new(Graph.Node("LogSoftmax", [x.Name], name, OnnxAttribute.Of("axis", (long)axis)), x.Shape);

    /// <summary>The error for a module (at <paramref name="path"/>) that cannot be exported as it is, and why.</summary>
    public NotSupportedException Unsupported(string path, Module module, string why) => OnnxExporter.Unsupported(path, module, why);
}
