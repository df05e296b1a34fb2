using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;

namespace Hindsight.Onnx;

/// <summary>
/// Writes a model as an ONNX file (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>) with no native
/// dependency: the protobuf bytes are written by hand. Exports:
/// <list type="bullet">
/// <item><see cref="Linear"/>, <see cref="Tanh"/>, <see cref="Sigmoid"/>, <see cref="ReLU"/>, <see cref="Softmax"/>,
/// <see cref="LogSoftmax"/>, <see cref="Flatten"/> and <see cref="Sequential"/>s of them (output <c>output</c>);</item>
/// <item><see cref="Rnn"/>, <see cref="Lstm"/>, <see cref="Gru"/> (outputs <c>output</c>, <c>h_n</c>, <c>c_n</c>;
/// inputs <c>h0</c>, <c>c0</c>, <c>lengths</c> on request, see <see cref="OnnxExportOptions"/>);</item>
/// <item><see cref="Jordan"/> (one <c>Scan</c> per layer; outputs <c>output</c>, <c>last_output</c>) and the seed's
/// <see cref="RnnCell"/> (one step: inputs <c>input</c>, <c>hidden</c>; outputs <c>output</c>, <c>hidden_out</c>; or a
/// <c>Scan</c> over a sequence);</item>
/// <item>any model implementing <see cref="IOnnxExportable"/>, which writes its own graph through an
/// <see cref="OnnxExportContext"/> (the forecasting, text and lesson models do).</item>
/// </list>
/// Anything else throws <see cref="NotSupportedException"/> naming the module's path.
/// </summary>
/// <remarks>
/// Input shapes use <c>-1</c> for a dynamic dimension (<c>dim_param</c> <c>batch</c>, <c>sequence</c> or <c>dim{i}</c>):
/// e.g. <c>[-1, 8]</c> for a Linear(8, ...) with any batch size. Recurrent layers take their layout from the layer:
/// (sequence, batch, input_size), or (batch, sequence, input_size) when batch-first.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The operator set the files declare (default ONNX domain).</summary>
    public const int Opset = 17;
    /// <summary>The ONNX IR version the files declare.</summary>
    public const int IrVersion = 8;

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (written atomically).</summary>
    public static void Export(Module model, string path, params int[] inputShape) => Export(model, path, inputShape, new OnnxExportOptions());

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (written atomically) with <paramref name="options"/>.</summary>
    public static void Export(Module model, string path, int[] inputShape, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, ToBytes(model, inputShape, options));
    }

    /// <summary>The ONNX ModelProto bytes of <paramref name="model"/> for inputs of <paramref name="inputShape"/>.</summary>
    public static byte[] ToBytes(Module model, params int[] inputShape) => ToBytes(model, inputShape, new OnnxExportOptions());

    /// <summary>The ONNX ModelProto bytes of <paramref name="model"/> for inputs of <paramref name="inputShape"/>, with <paramref name="options"/>.</summary>
    public static byte[] ToBytes(Module model, int[] inputShape, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        foreach (var d in inputShape)
            if (d == 0 || d < -1)
                throw new ArgumentException($"ONNX export: input shape ({string.Join(", ", inputShape)}) has size {d}; sizes must be positive, or -1 for a dynamic dimension.", nameof(inputShape));
        var g = new OnnxGraphBuilder();
        var context = new OnnxExportContext(g, inputShape, options);
        const string root = "model";
        switch (model)
        {
            case RecurrentBase r:
            {
                ExpectRank(inputShape, 3, root, r, r.BatchFirst ? "(batch, sequence, input_size)" : "(sequence, batch, input_size)");
                string[] names = r.BatchFirst ? ["batch", "sequence", "features"] : ["sequence", "batch", "features"];
                var x = g.Input("input", Dims(inputShape, names));
                var batch = x.Shape[r.BatchFirst ? 0 : 1];
                var lengths = options.Lengths ? g.Input("lengths", [batch], OnnxProto.Int32) : null;
                var (h0, c0) = context.StateInputs(r, batch);
                var (y, hn, cn) = RecurrentExport.Emit(g, r, root, x, lengths, h0, c0);
                g.Output("output", y);
                g.Output("h_n", hn);
                if (cn is not null) g.Output("c_n", cn);
                break;
            }
            case RnnCell cell when options.RnnCellOverSequence:
            {
                ExpectRank(inputShape, 3, root, cell, "(sequence, batch, input_size)");
                var x = g.Input("input", Dims(inputShape, ["sequence", "batch", "features"]));
                if (x.Shape[2].IsDynamic || x.Shape[2].Value != cell.InputSize)
                    throw new ArgumentException($"ONNX export: '{root}' (RnnCell, input_size {cell.InputSize}) gets input {x.ShapeString}; expected (sequence, batch, {cell.InputSize}).", nameof(inputShape));
                var (output, hidden) = CellExport.OverSequence(g, cell, root, x);
                g.Output("output", output);
                g.Output("hidden_out", hidden);
                break;
            }
            case RnnCell cell:
            {
                ExpectRank(inputShape, 2, root, cell, "(batch, input_size)");
                var x = g.Input("input", Dims(inputShape, ["batch"]));
                if (x.Shape[1].IsDynamic || x.Shape[1].Value != cell.InputSize)
                    throw new ArgumentException($"ONNX export: '{root}' (RnnCell, input_size {cell.InputSize}) gets input {x.ShapeString}; expected (batch, {cell.InputSize}).", nameof(inputShape));
                var h = g.Input("hidden", [x.Shape[0], OnnxDim.Fixed(cell.HiddenSize)]);
                var (output, hidden) = CellExport.Step(g, cell, root, x, h);
                g.Output("output", output);
                g.Output("hidden_out", hidden);
                break;
            }
            case Jordan j:
            {
                ExpectRank(inputShape, 3, root, j, j.BatchFirst ? "(batch, sequence, input_size)" : "(sequence, batch, input_size)");
                var x = g.Input("input", Dims(inputShape, j.BatchFirst ? ["batch", "sequence", "features"] : ["sequence", "batch", "features"]));
                var y0 = options.InitialState ? g.Input("y0", [OnnxDim.Fixed(j.NumLayers), x.Shape[j.BatchFirst ? 0 : 1], OnnxDim.Fixed(j.OutputSize)]) : null;
                var (y, last) = JordanExport.Emit(g, j, root, x, y0);
                g.Output("output", y);
                g.Output("last_output", last);
                break;
            }
            case IOnnxExportable exportable:
                exportable.ExportOnnx(context);
                break;
            case Layer layer:
            {
                var x = g.Input("input", Dims(inputShape, ["batch"]));
                g.Output("output", EmitLayer(g, layer, root, x));
                break;
            }
            default:
                throw Unsupported(root, model);
        }
        if (options.RnnCellOverSequence && model is not RnnCell)
            throw Unsupported("model", model, "is not an RnnCell (OnnxExportOptions.RnnCellOverSequence)");
        if (options.Lengths && model is not RecurrentBase && !context.LengthsUsed)
            throw Unsupported("model", model, "takes no lengths input (OnnxExportOptions.Lengths is for Rnn, Lstm, Gru and models built on them that accept lengths)");
        if (options.InitialState && model is not (RecurrentBase or Jordan) && !context.InitialStateUsed)
            throw Unsupported("model", model, "has no initial state to export (OnnxExportOptions.InitialState is for Rnn, Lstm, Gru, Jordan and models built on them that accept one)");
        return g.ToModel(model.GetType().Name, IrVersion, Opset, options.Metadata ?? new Dictionary<string, string>());
    }


    /// <summary>Input dimensions: -1 becomes a named dynamic one (the layout's name for it, else <c>dim{i}</c>).</summary>
    internal static OnnxDim[] Dims(int[] shape, string[] names) =>
        shape.Select((d, i) => d == -1 ? OnnxDim.Dynamic(i < names.Length ? names[i] : $"dim{i}") : OnnxDim.Fixed(d)).ToArray();

    private static void ExpectRank(int[] shape, int rank, string path, Module m, string layout)
    {
        if (shape.Length != rank)
            throw new ArgumentException($"ONNX export: '{path}' ({m.GetType().Name}) takes rank-{rank} input {layout}; the input shape given is ({string.Join(", ", shape)}).", "inputShape");
    }

    internal static NotSupportedException Unsupported(string path, Module m, string? why = null) =>
        new($"ONNX export: module '{path}' ({m.GetType().FullName}) {why ?? "is not supported"}. Exportable: Linear, Tanh, Sigmoid, ReLU, " +
            "Softmax, LogSoftmax, Flatten, Sequential of those, Rnn, Lstm, Gru, Jordan, RnnCell, and models that implement IOnnxExportable " +
            "(ForecastNet, NeuralEnsembleGraph, EsRnnNet, EsRnnGraph, the lesson's fc/rnn/jordan/lstm/gru models, the generate command's CharLanguageModel, the langid command's RecurrentWordClassifier).");

    /// <summary>One layer (recursively for Sequential).</summary>
    internal static OnnxValue EmitLayer(OnnxGraphBuilder g, Layer layer, string path, OnnxValue x)
    {
        switch (layer)
        {
            case Sequential seq:
                foreach (var (name, child) in seq.NamedChildren())
                    x = EmitLayer(g, (Layer)child, path == "model" ? name : $"{path}.{name}", x);
                return x;
            case Linear linear: return EmitLinear(g, linear, path, x);
            case Tanh: return new OnnxValue(g.Node("Tanh", [x.Name], path), x.Shape);
            case Sigmoid: return new OnnxValue(g.Node("Sigmoid", [x.Name], path), x.Shape);
            case ReLU: return new OnnxValue(g.Node("Relu", [x.Name], path), x.Shape);
            case Softmax s: return new OnnxValue(g.Node("Softmax", [x.Name], path, OnnxAttribute.Of("axis", Axis(s.Dimension, x, path, layer))), x.Shape);
            case LogSoftmax s: return new OnnxValue(g.Node("LogSoftmax", [x.Name], path, OnnxAttribute.Of("axis", Axis(s.Dimension, x, path, layer))), x.Shape);
            case Flatten f: return EmitFlatten(g, f, path, x);
            default: throw Unsupported(path, layer);
        }
    }

    private static long Axis(int dim, OnnxValue x, string path, Module m)
    {
        if (dim < -x.Rank || dim >= x.Rank)
            throw new ArgumentException($"ONNX export: '{path}' ({m.GetType().Name}) normalises over dimension {dim}, but its input {x.ShapeString} has rank {x.Rank}.", "inputShape");
        return dim < 0 ? dim + x.Rank : dim;
    }

    /// <summary>y (..., out) = x (..., in) W^T + b: Gemm for 2-D input, MatMul with W^T then Add otherwise.</summary>
    internal static OnnxValue EmitLinear(OnnxGraphBuilder g, Linear linear, string path, OnnxValue x)
    {
        if (x.Rank < 1 || x.Shape[^1].IsDynamic || x.Shape[^1].Value != linear.InFeatures)
            throw new ArgumentException($"ONNX export: '{path}' (Linear {linear.InFeatures} -> {linear.OutFeatures}) gets input {x.ShapeString}; expected (..., {linear.InFeatures}).", "inputShape");
        var shape = x.Shape[..^1].Append(OnnxDim.Fixed(linear.OutFeatures)).ToArray();
        int outF = linear.OutFeatures, inF = linear.InFeatures;
        if (x.Rank == 2)
        {
            string w = g.Weight(path + ".weight", linear.Weight.Data, outF, inF);
            string[] inputs = linear.Bias is { } b0 ? [x.Name, w, g.Weight(path + ".bias", b0.Data, outF)] : [x.Name, w];
            return new OnnxValue(g.Node("Gemm", inputs, path, OnnxAttribute.Of("transB", 1L)), shape);
        }
        // W^T (in, out) so that MatMul broadcasts over the leading dimensions
        var wt = new float[inF * outF];
        var wd = linear.Weight.Data;
        for (int o = 0; o < outF; o++)
            for (int i = 0; i < inF; i++) wt[i * outF + o] = wd[o * inF + i];
        string y = g.Node("MatMul", [x.Name, g.Weight(path + ".weight_t", wt, inF, outF)], linear.Bias is null ? path : path + ".matmul");
        if (linear.Bias is { } b) y = g.Node("Add", [y, g.Weight(path + ".bias", b.Data, outF)], path);
        return new OnnxValue(y, shape);
    }

    /// <summary>PyTorch's Flatten(start, end): ONNX Flatten(axis 1) for (start 1, end last), a Reshape otherwise.</summary>
    private static OnnxValue EmitFlatten(OnnxGraphBuilder g, Flatten f, string path, OnnxValue x)
    {
        if (x.Rank == 0) return Reshape(g, x, [1], [OnnxDim.Fixed(1)], path);
        int s = f.StartDim < 0 ? f.StartDim + x.Rank : f.StartDim, e = f.EndDim < 0 ? f.EndDim + x.Rank : f.EndDim;
        if (s < 0 || s >= x.Rank || e < 0 || e >= x.Rank || s > e)
            throw new ArgumentException($"ONNX export: '{path}' (Flatten {f.StartDim}..{f.EndDim}) does not fit input {x.ShapeString}.", "inputShape");
        if (s == e) return x;
        var group = x.Shape[s..(e + 1)];
        var merged = group.Any(d => d.IsDynamic) ? OnnxDim.Dynamic(string.Join("*", group.Select(d => d.ToString()))) : OnnxDim.Fixed(group.Aggregate(1L, (p, d) => p * d.Value));
        var outShape = x.Shape[..s].Append(merged).Concat(x.Shape[(e + 1)..]).ToArray();
        if (s == 1 && e == x.Rank - 1)
            return new OnnxValue(g.Node("Flatten", [x.Name], path, OnnxAttribute.Of("axis", 1L)), outShape);
        // Reshape target: 0 copies a leading dimension, -1 infers the one dynamic size
        var target = new long[outShape.Length];
        for (int i = 0; i < outShape.Length; i++)
            target[i] = i < s ? 0 : outShape[i].IsDynamic ? -1 : outShape[i].Value;
        if (target.Count(t => t == -1) > 1)
            throw Unsupported(path, f, $"flattens input {x.ShapeString} around more than one dynamic dimension");
        return Reshape(g, x, target, outShape, path);
    }

    /// <summary>The last row of a (rows, B, F) state as (B, F).</summary>
    internal static OnnxValue TopLayer(OnnxGraphBuilder g, OnnxValue state, int rows, int features, string hint)
    {
        string top = rows == 1 ? state.Name
            : g.Node("Slice", [state.Name, g.Int64s(hint + ".start", rows - 1), g.Int64s(hint + ".end", rows), g.Int64s(hint + ".axes", 0)], hint + ".row");
        return Reshape(g, new OnnxValue(top, state.Shape), [-1, features], [state.Shape[1], OnnxDim.Fixed(features)], hint);
    }

    internal static OnnxValue Reshape(OnnxGraphBuilder g, OnnxValue x, long[] target, OnnxDim[] shape, string hint) =>
        new(g.Node("Reshape", [x.Name, g.Int64s(hint + ".shape", target)], hint), shape);
}
