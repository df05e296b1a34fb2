using Hindsight.Layers.Recurrent;

namespace Hindsight.Onnx;

/// <summary>
/// <see cref="Jordan"/> as one ONNX <c>Scan</c> per layer. The body runs one step on (B, ·) slices:
/// <code>
/// h_t = act_h(x_t W_ih^T + b_h + y_{t-1} W_yh^T)    Gemm(x_t, W_ih, b_h) then Gemm(y_prev, W_yh, that)
/// y_t = act_y(h_t W_ho^T + b_o)                     Gemm(h_t, W_ho, b_o)
/// </code>
/// with y the state carried to the next step and stacked along the time axis (axis 1 when batch-first).
/// </summary>
internal static class JordanExport
{
    /// <summary>x (T,B,I) or batch-first (B,T,I) to output (same layout, O features) and last outputs (L,B,O).</summary>
    public static (OnnxValue Output, OnnxValue LastOutput) Emit(OnnxGraphBuilder g, Jordan j, string path, OnnxValue x, OnnxValue? y0)
    {
        if (x.Rank != 3 || x.Shape[2].IsDynamic || x.Shape[2].Value != j.InputSize)
            throw new ArgumentException($"ONNX export: '{path}' (Jordan, input_size {j.InputSize}) gets input {x.ShapeString}; expected " +
                (j.BatchFirst ? $"(batch, sequence, {j.InputSize})." : $"(sequence, batch, {j.InputSize})."), "inputShape");
        int O = j.OutputSize, L = j.NumLayers, H = j.HiddenSize, timeAxis = j.BatchFirst ? 1 : 0;
        OnnxDim bDim = x.Shape[1 - timeAxis], tDim = x.Shape[timeAxis];
        var p = j.NamedParameters().ToDictionary(t => t.Name, t => t.Value);

        string zeros = y0 is null ? Zeros(g, x, 1 - timeAxis, O, path + ".y0") : "";

        string input = x.Name;
        var lasts = new List<string>();
        for (int l = 0; l < L; l++)
        {
            string name = $"{path}.l{l}";
            int inF = l == 0 ? j.InputSize : O;
            string yInit = y0 is null ? zeros
                : g.Node("Reshape", [g.Node("Slice", [y0.Name, g.Int64s(name + ".y0_start", l), g.Int64s(name + ".y0_end", l + 1), g.Int64s(name + ".y0_axes", 0)], name + ".y0_row"),
                    g.Int64s(name + ".y0_shape", -1, O)], name + ".y0");

            var body = g.Subgraph();
            var yPrev = body.Input(name + ".y_prev", [bDim, OnnxDim.Fixed(O)]);
            var xt = body.Input(name + ".x_t", [bDim, OnnxDim.Fixed(inF)]);
            string sfx = $"_l{l}";
            string a = body.Node("Gemm", [xt.Name, body.Weight(name + ".weight_ih", p["weight_ih" + sfx].Data, H, inF), body.Weight(name + ".bias_h", p["bias_h" + sfx].Data, H)],
                name + ".ih", OnnxAttribute.Of("transB", 1L));
            string pre = body.Node("Gemm", [yPrev.Name, body.Weight(name + ".weight_yh", p["weight_yh" + sfx].Data, H, O), a], name + ".h_pre", OnnxAttribute.Of("transB", 1L));
            string h = Activation(body, j.HiddenActivation, pre, name + ".h");
            string o = body.Node("Gemm", [h, body.Weight(name + ".weight_ho", p["weight_ho" + sfx].Data, O, H), body.Weight(name + ".bias_o", p["bias_o" + sfx].Data, O)],
                name + ".o_pre", OnnxAttribute.Of("transB", 1L));
            string y = Activation(body, j.OutputActivation, o, name + ".y");
            body.Output(name + ".y_next", new OnnxValue(y, [bDim, OnnxDim.Fixed(O)]));
            body.Output(name + ".y_step", new OnnxValue(y, [bDim, OnnxDim.Fixed(O)]));

            var outs = g.Node("Scan", [yInit, input], [name + ".y_last", name + ".y_all"],
                OnnxAttribute.Of("body", body.ToGraph(name + ".step")),
                OnnxAttribute.Of("num_scan_inputs", 1L),
                OnnxAttribute.Of("scan_input_axes", new long[] { timeAxis }),
                OnnxAttribute.Of("scan_output_axes", new long[] { timeAxis }));
            lasts.Add(g.Node("Reshape", [outs[0], g.Int64s(name + ".last_shape", 1, -1, O)], name + ".last"));
            input = outs[1];
        }
        var output = new OnnxValue(input, j.BatchFirst ? [bDim, tDim, OnnxDim.Fixed(O)] : [tDim, bDim, OnnxDim.Fixed(O)]);
        var last = new OnnxValue(L == 1 ? lasts[0] : g.Node("Concat", [.. lasts], path + ".last_output", OnnxAttribute.Of("axis", 0L)),
            [OnnxDim.Fixed(L), bDim, OnnxDim.Fixed(O)]);
        return (output, last);
    }

    /// <summary>(B, n) zeros for any batch: ConstantOfShape(concat(shape(x)[batchAxis], [n])), float 0 by default.</summary>
    internal static string Zeros(OnnxGraphBuilder g, OnnxValue x, int batchAxis, int n, string hint)
    {
        string shape = g.Node("Shape", [x.Name], hint + ".input_shape");
        string batch = g.Node("Slice", [shape, g.Int64s(hint + ".batch_start", batchAxis), g.Int64s(hint + ".batch_end", batchAxis + 1)], hint + ".batch");
        string target = g.Node("Concat", [batch, g.Int64s(hint + ".features", n)], hint + ".shape", OnnxAttribute.Of("axis", 0L));
        return g.Node("ConstantOfShape", [target], hint);
    }

    private static string Activation(OnnxGraphBuilder g, JordanActivation f, string x, string hint) => f switch
    {
        JordanActivation.Identity => x,
        JordanActivation.Tanh => g.Node("Tanh", [x], hint),
        JordanActivation.Sigmoid => g.Node("Sigmoid", [x], hint),
        JordanActivation.Relu => g.Node("Relu", [x], hint),
        _ => throw new NotSupportedException($"ONNX export: Jordan activation {f} is not supported."),
    };
}
