using Hindsight.Layers.Recurrent;

namespace Hindsight.Onnx;

/// <summary>
/// The seed's <see cref="RnnCell"/>: one step, <c>combined = Concat(input, hidden)</c>, <c>output = LogSoftmax(Gemm(combined,
/// i2o))</c>, <c>hidden_out = Gemm(combined, i2h)</c>; or, over a whole (sequence, batch, input) tensor, a <c>Scan</c> of
/// that step from a zero hidden state giving the last step's output (the langid cell model reading a word).
/// </summary>
internal static class CellExport
{
    /// <summary>One step: x (B, I) and h (B, H) to (output (B, O), next hidden (B, H)).</summary>
    public static (OnnxValue Output, OnnxValue Hidden) Step(OnnxGraphBuilder g, RnnCell cell, string path, OnnxValue x, OnnxValue h)
    {
        var batch = x.Shape[0];
        var combined = new OnnxValue(g.Node("Concat", [x.Name, h.Name], path + ".combined", OnnxAttribute.Of("axis", 1L)),
            [batch, OnnxDim.Fixed(cell.InputSize + cell.HiddenSize)]);
        var logits = OnnxExporter.EmitLinear(g, cell.I2O, Join(path, "i2o"), combined);
        var output = new OnnxValue(g.Node("LogSoftmax", [logits.Name], Join(path, "output"), OnnxAttribute.Of("axis", 1L)), logits.Shape);
        var hidden = OnnxExporter.EmitLinear(g, cell.I2H, Join(path, "i2h"), combined);
        return (output, hidden);
    }

    /// <summary>x (T, B, I) from a zero hidden state: (last step's output (B, O), last hidden (B, H)).</summary>
    public static (OnnxValue Output, OnnxValue Hidden) OverSequence(OnnxGraphBuilder g, RnnCell cell, string path, OnnxValue x)
    {
        var batch = x.Shape[1];
        int H = cell.HiddenSize, O = cell.OutputSize;
        string h0 = JordanExport.Zeros(g, x, 1, H, Join(path, "hidden0"));
        string o0 = JordanExport.Zeros(g, x, 1, O, Join(path, "output0"));

        var body = g.Subgraph();
        var hPrev = body.Input(Join(path, "hidden_prev"), [batch, OnnxDim.Fixed(H)]);
        body.Input(Join(path, "output_prev"), [batch, OnnxDim.Fixed(O)]);   // carried only to come out at the end
        var xt = body.Input(Join(path, "x_t"), [batch, OnnxDim.Fixed(cell.InputSize)]);
        var (output, hidden) = Step(body, cell, path, xt, hPrev);
        body.Output(Join(path, "hidden_next"), hidden);
        body.Output(Join(path, "output_next"), output);

        var outs = g.Node("Scan", [h0, o0, x.Name], [Join(path, "hidden_last"), Join(path, "output_last")],
            OnnxAttribute.Of("body", body.ToGraph(Join(path, "step"))), OnnxAttribute.Of("num_scan_inputs", 1L));
        return (new OnnxValue(outs[1], [batch, OnnxDim.Fixed(O)]), new OnnxValue(outs[0], [batch, OnnxDim.Fixed(H)]));
    }

    private static string Join(string path, string name) => $"{(path == "model" ? "cell" : path)}.{name}";
}
