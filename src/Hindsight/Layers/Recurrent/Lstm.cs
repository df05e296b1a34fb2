using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// Long short-term memory (PyTorch's <c>nn.LSTM</c>, without <c>proj_size</c>). Gates in PyTorch's order i, f, g, o:
/// <c>i = σ(.), f = σ(.), g = tanh(.), o = σ(.)</c> of <c>x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh</c>;
/// <c>c_t = f c_{t-1} + i g</c>, <c>h_t = o tanh(c_t)</c>. Parameters <c>weight_ih_l{k}</c> (4H, I or D*H),
/// <c>weight_hh_l{k}</c> (4H, H), <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (4H), <c>..._reverse</c>; init U(-1/sqrt(H), 1/sqrt(H)).
/// </summary>
public sealed class Lstm : RecurrentBase
{
    /// <summary>Creates the layer (arguments as <c>nn.LSTM</c>); <paramref name="rng"/> draws the initial weights and the dropout masks.</summary>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, float dropout = 0,
        bool bidirectional = false, Rng? rng = null)
        : base(CellKind.Lstm, "Lstm", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, rng) { }

    private protected override void StepForward(ref StepSpans s)
    {
        int H = s.H, G = 4 * H;
        if (s.AllValid && Vector512.IsHardwareAccelerated && H % 16 == 0)
        {
            // Same operations per element, fewer calls: the activations per row, c = f c_prev + i g fused into one
            // pass (a product, then an FMA, as the two calls below), tanh(c) for the whole step at once.
            for (int b = 0; b < s.B; b++)
            {
                var g = s.Gates.Slice(b * G, G);
                TensorPrimitives.Sigmoid(g.Slice(0, 2 * H), g.Slice(0, 2 * H));   // i, f
                TensorPrimitives.Tanh(g.Slice(2 * H, H), g.Slice(2 * H, H));       // g
                TensorPrimitives.Sigmoid(g.Slice(3 * H, H), g.Slice(3 * H, H));    // o
                ref float gr = ref MemoryMarshal.GetReference(g);
                ref float cp = ref MemoryMarshal.GetReference(s.CPrev.Slice(b * H, H));
                ref float cc = ref MemoryMarshal.GetReference(s.CCur.Slice(b * H, H));
                for (int j = 0; j < H; j += 16)
                {
                    var fc = Vector512.LoadUnsafe(ref gr, (nuint)(H + j)) * Vector512.LoadUnsafe(ref cp, (nuint)j);
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gr, (nuint)j), Vector512.LoadUnsafe(ref gr, (nuint)(2 * H + j)), fc)
                        .StoreUnsafe(ref cc, (nuint)j);
                }
            }
            TensorPrimitives.Tanh(s.CCur, s.TanhC);
            for (int b = 0; b < s.B; b++)
            {
                ref float o = ref MemoryMarshal.GetReference(s.Gates.Slice(b * G + 3 * H, H));
                ref float tc = ref MemoryMarshal.GetReference(s.TanhC.Slice(b * H, H));
                ref float h = ref MemoryMarshal.GetReference(s.HCur.Slice(b * H, H));
                for (int j = 0; j < H; j += 16)
                    (Vector512.LoadUnsafe(ref o, (nuint)j) * Vector512.LoadUnsafe(ref tc, (nuint)j)).StoreUnsafe(ref h, (nuint)j);
            }
            return;
        }
        for (int b = 0; b < s.B; b++)
        {
            var hCur = s.HCur.Slice(b * H, H); var cCur = s.CCur.Slice(b * H, H);
            if (!s.Valid(b)) { s.HPrev.Slice(b * H, H).CopyTo(hCur); s.CPrev.Slice(b * H, H).CopyTo(cCur); continue; }
            var g = s.Gates.Slice(b * G, G);
            TensorPrimitives.Sigmoid(g.Slice(0, 2 * H), g.Slice(0, 2 * H));   // i, f
            TensorPrimitives.Tanh(g.Slice(2 * H, H), g.Slice(2 * H, H));       // g
            TensorPrimitives.Sigmoid(g.Slice(3 * H, H), g.Slice(3 * H, H));    // o
            // c = f * c_prev + i * g; h = o * tanh(c)
            TensorPrimitives.Multiply(g.Slice(H, H), s.CPrev.Slice(b * H, H), cCur);
            TensorPrimitives.FusedMultiplyAdd(g.Slice(0, H), g.Slice(2 * H, H), cCur, cCur);
            var tc = s.TanhC.Slice(b * H, H);
            TensorPrimitives.Tanh(cCur, tc);
            TensorPrimitives.Multiply(g.Slice(3 * H, H), tc, hCur);
        }
    }

    private protected override void StepBackward(ref StepSpans s)
    {
        int H = s.H, G = 4 * H;
        for (int b = 0; b < s.B; b++)
        {
            var dh = s.Dh.Slice(b * H, H); var dc = s.Dc.Slice(b * H, H);
            var dhPrev = s.DhPrev.Slice(b * H, H); var dcPrev = s.DcPrev.Slice(b * H, H);
            var dg = s.DGi.Slice(b * G, G);
            if (!s.Valid(b)) { dg.Clear(); dh.CopyTo(dhPrev); dc.CopyTo(dcPrev); continue; }
            var g = s.Gates.Slice(b * G, G);
            var tc = s.TanhC.Slice(b * H, H); var cPrev = s.CPrev.Slice(b * H, H);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // the loop below, 16 lanes at a time (the same operations in the same order per element)
                var one16 = Vector512<float>.One;
                for (; j <= H - 16; j += 16)
                {
                    var ig = Vector512.Create(g.Slice(j, 16)); var fg = Vector512.Create(g.Slice(H + j, 16));
                    var gg = Vector512.Create(g.Slice(2 * H + j, 16)); var og = Vector512.Create(g.Slice(3 * H + j, 16));
                    var t = Vector512.Create(tc.Slice(j, 16)); var dhv = Vector512.Create(dh.Slice(j, 16));
                    var dct = Vector512.Create(dc.Slice(j, 16)) + dhv * og * (one16 - t * t);
                    (dct * gg * ig * (one16 - ig)).CopyTo(dg.Slice(j));
                    (dct * Vector512.Create(cPrev.Slice(j, 16)) * fg * (one16 - fg)).CopyTo(dg.Slice(H + j));
                    (dct * ig * (one16 - gg * gg)).CopyTo(dg.Slice(2 * H + j));
                    (dhv * t * og * (one16 - og)).CopyTo(dg.Slice(3 * H + j));
                    (dct * fg).CopyTo(dcPrev.Slice(j));
                }
            }
            var one = Vector<float>.One;
            for (; j <= H - Vector<float>.Count; j += Vector<float>.Count)
            {
                var ig = new Vector<float>(g.Slice(j)); var fg = new Vector<float>(g.Slice(H + j));
                var gg = new Vector<float>(g.Slice(2 * H + j)); var og = new Vector<float>(g.Slice(3 * H + j));
                var t = new Vector<float>(tc.Slice(j)); var dhv = new Vector<float>(dh.Slice(j));
                var dct = new Vector<float>(dc.Slice(j)) + dhv * og * (one - t * t);
                (dct * gg * ig * (one - ig)).CopyTo(dg.Slice(j));
                (dct * new Vector<float>(cPrev.Slice(j)) * fg * (one - fg)).CopyTo(dg.Slice(H + j));
                (dct * ig * (one - gg * gg)).CopyTo(dg.Slice(2 * H + j));
                (dhv * t * og * (one - og)).CopyTo(dg.Slice(3 * H + j));
                (dct * fg).CopyTo(dcPrev.Slice(j));
            }
            for (; j < H; j++)
            {
                float ig = g[j], fg = g[H + j], gg = g[2 * H + j], og = g[3 * H + j], t = tc[j];
                float dct = dc[j] + dh[j] * og * (1f - t * t);
                dg[j] = dct * gg * ig * (1f - ig);
                dg[H + j] = dct * cPrev[j] * fg * (1f - fg);
                dg[2 * H + j] = dct * ig * (1f - gg * gg);
                dg[3 * H + j] = dh[j] * t * og * (1f - og);
                dcPrev[j] = dct * fg;
            }
            dhPrev.Clear();
        }
    }
}
