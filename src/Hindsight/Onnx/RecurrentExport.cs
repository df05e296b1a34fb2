using Hindsight.Layers.Recurrent;

namespace Hindsight.Onnx;

/// <summary>
/// Rnn / Lstm / Gru as a chain of single-layer ONNX RNN / LSTM / GRU nodes, with the weights re-laid out as PyTorch's
/// exporter does: W (D, G*H, in), R (D, G*H, H), B (D, 2*G*H) = [b_ih | b_hh], gate blocks reordered from PyTorch's
/// LSTM i,f,g,o to ONNX i,o,f,c and GRU r,z,n to z,r,h (with <c>linear_before_reset = 1</c>, PyTorch's GRU).
/// </summary>
internal static class RecurrentExport
{
    /// <summary>
    /// x (T,B,I) or batch-first (B,T,I) to output (same layout, D*H features), h_n (L*D,B,H) and c_n (LSTM).
    /// <paramref name="lengths"/> (int32, one per batch row) becomes every node's <c>sequence_lens</c>: outputs past a
    /// row's length are zero and h_n holds the state at its last valid step, as in Hindsight. <paramref name="h0"/> and
    /// <paramref name="c0"/> (L*D, B, H) give the initial state (layer l reads rows l*D..l*D+D-1); without them it is zero.
    /// </summary>
    public static (OnnxValue Output, OnnxValue HiddenState, OnnxValue? CellState) Emit(OnnxGraphBuilder g, RecurrentBase r, string path, OnnxValue x,
        OnnxValue? lengths = null, OnnxValue? h0 = null, OnnxValue? c0 = null)
    {
        if (r.Dropout > 0 && r.Training && r.NumLayers > 1)
            throw OnnxExporter.Unsupported(path, r, $"has dropout>0 ({r.Dropout}) in training mode; call Eval() before exporting");
        if (x.Rank != 3 || x.Shape[2].IsDynamic || x.Shape[2].Value != r.InputSize)
            throw new ArgumentException($"ONNX export: '{path}' ({r.GetType().Name}, input_size {r.InputSize}) gets input {x.ShapeString}; expected " +
                (r.BatchFirst ? $"(batch, sequence, {r.InputSize})." : $"(sequence, batch, {r.InputSize})."), "inputShape");
        var (op, perm) = r switch
        {
            Lstm => ("LSTM", new[] { 0, 3, 1, 2 }),   // i,f,g,o -> i,o,f,c
            Gru => ("GRU", new[] { 1, 0, 2 }),         // r,z,n -> z,r,h
            Rnn => ("RNN", new[] { 0 }),
            _ => throw OnnxExporter.Unsupported(path, r),
        };
        int H = r.HiddenSize, D = r.NumDirections, L = r.NumLayers, G = perm.Length, GH = G * H;
        var p = r.NamedParameters().ToDictionary(t => t.Name, t => t.Value);
        OnnxDim tDim = r.BatchFirst ? x.Shape[1] : x.Shape[0], bDim = r.BatchFirst ? x.Shape[0] : x.Shape[1];

        // time-first for the ONNX ops (their default layout 0)
        string xt = r.BatchFirst ? g.Node("Transpose", [x.Name], path + ".input_tbi", OnnxAttribute.Of("perm", new long[] { 1, 0, 2 })) : x.Name;
        var hs = new List<string>(); var cs = new List<string>();
        string y4 = "";
        for (int l = 0; l < L; l++)
        {
            int inF = l == 0 ? r.InputSize : D * H;
            var w = new float[D * GH * inF]; var rr = new float[D * GH * H]; var b = new float[D * 2 * GH];
            for (int d = 0; d < D; d++)
            {
                string sfx = $"_l{l}" + (d == 1 ? "_reverse" : "");
                Reorder(p["weight_ih" + sfx].Data, w.AsSpan(d * GH * inF, GH * inF), perm, H * inF);
                Reorder(p["weight_hh" + sfx].Data, rr.AsSpan(d * GH * H, GH * H), perm, H * H);
                if (r.HasBias)
                {
                    Reorder(p["bias_ih" + sfx].Data, b.AsSpan(d * 2 * GH, GH), perm, H);
                    Reorder(p["bias_hh" + sfx].Data, b.AsSpan(d * 2 * GH + GH, GH), perm, H);
                }
            }
            string name = $"{path}.l{l}";
            // X, W, R, B, sequence_lens, initial_h, initial_c: "" skips an optional input before one that is given
            var inputs = new List<string>
            {
                xt, g.Weight(name + ".W", w, D, GH, inF), g.Weight(name + ".R", rr, D, GH, H),
                r.HasBias ? g.Weight(name + ".B", b, D, 2 * GH) : "",
                lengths?.Name ?? "",
                h0 is null ? "" : LayerState(g, h0, l, D, L, name + ".initial_h"),
                c0 is null ? "" : LayerState(g, c0, l, D, L, name + ".initial_c"),
            };
            while (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
            var attrs = new List<OnnxAttribute>
            {
                OnnxAttribute.Of("hidden_size", (long)H),
                OnnxAttribute.Of("direction", D == 2 ? "bidirectional" : "forward"),
            };
            if (r is Rnn rnn)
            {
                string act = rnn.Nonlinearity == RnnNonlinearity.Relu ? "Relu" : "Tanh";
                attrs.Add(OnnxAttribute.Of("activations", Enumerable.Repeat(act, D).ToArray()));
            }
            if (r is Gru) attrs.Add(OnnxAttribute.Of("linear_before_reset", 1L));
            string[] outs = r is Lstm ? [name + ".Y", name + ".Y_h", name + ".Y_c"] : [name + ".Y", name + ".Y_h"];
            outs = g.Node(op, [.. inputs], outs, [.. attrs]);
            y4 = outs[0];   // (T, D, B, H)
            hs.Add(outs[1]);
            if (r is Lstm) cs.Add(outs[2]);
            if (l < L - 1)
            {
                // (T, D, B, H) -> (T, B, D, H) -> (T, B, D*H): the next layer's input
                string tbdh = g.Node("Transpose", [y4], name + ".Y_tbdh", OnnxAttribute.Of("perm", new long[] { 0, 2, 1, 3 }));
                xt = g.Node("Reshape", [tbdh, g.Int64s(name + ".Y_shape", 0, 0, -1)], name + ".output");
            }
        }
        // last layer's Y to the layer's layout: (T,B,D*H) or batch-first (B,T,D*H)
        string last = $"{path}.l{L - 1}";
        string y = g.Node("Transpose", [y4], last + ".Y_perm", OnnxAttribute.Of("perm", r.BatchFirst ? new long[] { 2, 0, 1, 3 } : [0, 2, 1, 3]));
        y = g.Node("Reshape", [y, g.Int64s(last + ".Y_shape", 0, 0, -1)], path + ".output");
        var output = new OnnxValue(y, r.BatchFirst ? [bDim, tDim, OnnxDim.Fixed(D * H)] : [tDim, bDim, OnnxDim.Fixed(D * H)]);
        var stateShape = new[] { OnnxDim.Fixed(L * D), bDim, OnnxDim.Fixed(H) };
        var hn = new OnnxValue(L == 1 ? hs[0] : g.Node("Concat", [.. hs], path + ".h_n", OnnxAttribute.Of("axis", 0L)), stateShape);
        OnnxValue? cn = r is Lstm ? new OnnxValue(L == 1 ? cs[0] : g.Node("Concat", [.. cs], path + ".c_n", OnnxAttribute.Of("axis", 0L)), stateShape) : null;
        return (output, hn, cn);
    }

    /// <summary>Rows l*D..l*D+D-1 of a (L*D, B, H) state: the state itself for one layer, else a Slice on axis 0.</summary>
    private static string LayerState(OnnxGraphBuilder g, OnnxValue state, int l, int D, int L, string hint) =>
        L == 1 ? state.Name : g.Node("Slice", [state.Name, g.Int64s(hint + ".starts", l * D), g.Int64s(hint + ".ends", (l + 1) * D), g.Int64s(hint + ".axes", 0)], hint);

    /// <summary>dst block k = src block perm[k] (blocks of <paramref name="block"/> values: H rows of a gate).</summary>
    private static void Reorder(ReadOnlySpan<float> src, Span<float> dst, int[] perm, int block)
    {
        for (int k = 0; k < perm.Length; k++) src.Slice(perm[k] * block, block).CopyTo(dst.Slice(k * block, block));
    }
}
