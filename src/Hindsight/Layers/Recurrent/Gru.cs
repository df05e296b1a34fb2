using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hindsight.Tensors.Kernels;
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
            Activation.Sigmoid(rz, rz);
            var hn = s.HiddenN.Slice(b * H, H);
            gh.Slice(2 * H, H).CopyTo(hn);
            var n = g.Slice(2 * H, H);
            TensorPrimitives.FusedMultiplyAdd(g.Slice(0, H), hn, n, n);    // n_pre = x-part + r * hn
            Activation.Tanh(n, n);
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
            var k = new CellBackward
            {
                Gates = s.Gates.Slice(b * G, G), HiddenN = s.HiddenN.Slice(b * H, H), HPrev = s.HPrev.Slice(b * H, H),
                Dh = dh, DGi = dgi, DGh = dgh, DhPrev = dhPrev, H = H,
            };
            Lanes.ForEach(ref k, H);
        }
    }

    /// <summary>
    /// The cell's backward formulas, written once for every width (see <see cref="Lanes"/>): lanes j.. of one row,
    /// input-side and hidden-side gate gradients (r, z, n) and dh_{t-1}'s direct part.
    /// </summary>
    private ref struct CellBackward : ILaneKernel
    {
        public ReadOnlySpan<float> Gates, HiddenN, HPrev, Dh;
        public Span<float> DGi, DGh, DhPrev;
        public int H;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Apply<TL>(int j) where TL : struct, ILanes<TL>
        {
            ref float g = ref MemoryMarshal.GetReference(Gates);
            ref float dgi = ref MemoryMarshal.GetReference(DGi);
            ref float dgh = ref MemoryMarshal.GetReference(DGh);
            var one = TL.One;
            var r = TL.Load(ref g, j); var z = TL.Load(ref g, H + j);
            var n = TL.Load(ref g, 2 * H + j); var d = TL.Load(ref MemoryMarshal.GetReference(Dh), j);
            var dnPre = d * (one - z) * (one - n * n);
            var drPre = dnPre * TL.Load(ref MemoryMarshal.GetReference(HiddenN), j) * r * (one - r);
            var dzPre = d * (TL.Load(ref MemoryMarshal.GetReference(HPrev), j) - n) * z * (one - z);
            TL.Store(drPre, ref dgi, j); TL.Store(drPre, ref dgh, j);
            TL.Store(dzPre, ref dgi, H + j); TL.Store(dzPre, ref dgh, H + j);
            TL.Store(dnPre, ref dgi, 2 * H + j); TL.Store(dnPre * r, ref dgh, 2 * H + j);
            TL.Store(d * z, ref MemoryMarshal.GetReference(DhPrev), j);
        }
    }
}
