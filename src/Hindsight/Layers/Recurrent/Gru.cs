using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// Gated recurrent unit (PyTorch's <c>nn.GRU</c>). Gates in PyTorch's order r, z, n:
/// <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r (W_hn h + b_hn))</c> (b_hn inside the reset product), <c>h_t = (1 - z) n + z h_{t-1}</c>.
/// Parameters <c>weight_ih_l{k}</c> (3H, I or D*H), <c>weight_hh_l{k}</c> (3H, H), <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (3H),
/// <c>..._reverse</c>; init U(-1/sqrt(H), 1/sqrt(H)).
/// </summary>
public sealed class Gru : RecurrentBase
{
    /// <summary>Creates the layer (arguments as <c>nn.GRU</c>); <paramref name="rng"/> draws the initial weights and the dropout masks.</summary>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, float dropout = 0,
        bool bidirectional = false, Rng? rng = null)
        : base(CellKind.Gru, "Gru", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, rng) { }

    // Gates holds the input part (W_i x + b_i); HiddenGates the hidden part (W_h h + b_h).
    private protected override void StepForward(ref StepSpans s)
    {
        int H = s.H, G = 3 * H;
        for (int b = 0; b < s.B; b++)
        {
            var hCur = s.HCur.Slice(b * H, H);
            var hPrev = s.HPrev.Slice(b * H, H);
            if (!s.Valid(b)) { hPrev.CopyTo(hCur); continue; }
            var g = s.Gates.Slice(b * G, G); var gh = s.HiddenGates.Slice(b * G, G);
            var rz = g.Slice(0, 2 * H);
            TensorPrimitives.Add(rz, gh.Slice(0, 2 * H), rz);
            TensorPrimitives.Sigmoid(rz, rz);
            var hn = s.HiddenN.Slice(b * H, H);
            gh.Slice(2 * H, H).CopyTo(hn);
            var n = g.Slice(2 * H, H);
            TensorPrimitives.FusedMultiplyAdd(g.Slice(0, H), hn, n, n);    // n_pre = x-part + r * hn
            TensorPrimitives.Tanh(n, n);
            // h = n + z * (h_prev - n)
            TensorPrimitives.Subtract(hPrev, n, hCur);
            TensorPrimitives.FusedMultiplyAdd(g.Slice(H, H), hCur, n, hCur);
        }
    }

    private protected override void StepBackward(ref StepSpans s)
    {
        int H = s.H, G = 3 * H;
        for (int b = 0; b < s.B; b++)
        {
            var dh = s.Dh.Slice(b * H, H); var dhPrev = s.DhPrev.Slice(b * H, H);
            var dgi = s.DGi.Slice(b * G, G); var dgh = s.DGh.Slice(b * G, G);
            if (!s.Valid(b)) { dgi.Clear(); dgh.Clear(); dh.CopyTo(dhPrev); continue; }
            var g = s.Gates.Slice(b * G, G);
            var hn = s.HiddenN.Slice(b * H, H); var hPrev = s.HPrev.Slice(b * H, H);
            int j = 0;
            var one = Vector<float>.One;
            for (; j <= H - Vector<float>.Count; j += Vector<float>.Count)
            {
                var r = new Vector<float>(g.Slice(j)); var z = new Vector<float>(g.Slice(H + j));
                var n = new Vector<float>(g.Slice(2 * H + j)); var d = new Vector<float>(dh.Slice(j));
                var dnPre = d * (one - z) * (one - n * n);
                var drPre = dnPre * new Vector<float>(hn.Slice(j)) * r * (one - r);
                var dzPre = d * (new Vector<float>(hPrev.Slice(j)) - n) * z * (one - z);
                drPre.CopyTo(dgi.Slice(j)); drPre.CopyTo(dgh.Slice(j));
                dzPre.CopyTo(dgi.Slice(H + j)); dzPre.CopyTo(dgh.Slice(H + j));
                dnPre.CopyTo(dgi.Slice(2 * H + j)); (dnPre * r).CopyTo(dgh.Slice(2 * H + j));
                (d * z).CopyTo(dhPrev.Slice(j));
            }
            for (; j < H; j++)
            {
                float r = g[j], z = g[H + j], n = g[2 * H + j], d = dh[j];
                float dnPre = d * (1f - z) * (1f - n * n);
                float drPre = dnPre * hn[j] * r * (1f - r);
                float dzPre = d * (hPrev[j] - n) * z * (1f - z);
                dgi[j] = drPre; dgh[j] = drPre;
                dgi[H + j] = dzPre; dgh[H + j] = dzPre;
                dgi[2 * H + j] = dnPre; dgh[2 * H + j] = dnPre * r;
                dhPrev[j] = d * z;
            }
        }
    }
}
