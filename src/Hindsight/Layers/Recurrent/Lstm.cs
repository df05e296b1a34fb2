using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

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
        // tanh(c) for the whole step in one call (fewer calls) gives the same bits as one call per row when every
        // row is valid and Activation runs each row on whole Vector512s (H a multiple of 16).
        bool wholeStep = s.AllValid && H % 16 == 0 && FastPaths.Use512 && FastPaths.On(FastPath.LstmWholeStep);
        for (int b = 0; b < s.B; b++)
        {
            var hCur = s.HCur.Slice(b * H, H); var cCur = s.CCur.Slice(b * H, H);
            if (!s.Valid(b)) { s.HPrev.Slice(b * H, H).CopyTo(hCur); s.CPrev.Slice(b * H, H).CopyTo(cCur); continue; }
            var g = s.Gates.Slice(b * G, G);
            Activation.Sigmoid(g.Slice(0, 2 * H), g.Slice(0, 2 * H));   // i, f
            Activation.Tanh(g.Slice(2 * H, H), g.Slice(2 * H, H));       // g
            Activation.Sigmoid(g.Slice(3 * H, H), g.Slice(3 * H, H));    // o
            var cell = new CellUpdate { Gates = g, CPrev = s.CPrev.Slice(b * H, H), CCur = cCur, H = H };
            Lanes.ForEach(ref cell, H);
            if (wholeStep) continue;
            var tc = s.TanhC.Slice(b * H, H);
            Activation.Tanh(cCur, tc);
            var output = new HiddenUpdate { O = g.Slice(3 * H, H), TanhC = tc, HCur = hCur };
            Lanes.ForEach(ref output, H);
        }
        if (!wholeStep) return;
        Activation.Tanh(s.CCur, s.TanhC);
        for (int b = 0; b < s.B; b++)
        {
            var output = new HiddenUpdate { O = s.Gates.Slice(b * G + 3 * H, H), TanhC = s.TanhC.Slice(b * H, H), HCur = s.HCur.Slice(b * H, H) };
            Lanes.ForEach(ref output, H);
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
            var k = new CellBackward
            {
                Gates = s.Gates.Slice(b * G, G), TanhC = s.TanhC.Slice(b * H, H), CPrev = s.CPrev.Slice(b * H, H),
                Dh = dh, Dc = dc, DGates = dg, DcPrev = dcPrev, H = H,
            };
            Lanes.ForEach(ref k, H);
            dhPrev.Clear();
        }
    }

    // The cell formulas, each written once for every width (see Lanes): lanes j.. of one row.

    /// <summary>c = f c_prev + i g (a product, then one FMA).</summary>
    private ref struct CellUpdate : ILaneKernel
    {
        public ReadOnlySpan<float> Gates, CPrev;
        public Span<float> CCur;
        public int H;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Apply<TL>(int j) where TL : struct, ILanes<TL>
        {
            ref float g = ref MemoryMarshal.GetReference(Gates);
            var fc = TL.Load(ref g, H + j) * TL.Load(ref MemoryMarshal.GetReference(CPrev), j);
            TL.Store(TL.Fma(TL.Load(ref g, j), TL.Load(ref g, 2 * H + j), fc), ref MemoryMarshal.GetReference(CCur), j);
        }
    }

    /// <summary>h = o tanh(c).</summary>
    private ref struct HiddenUpdate : ILaneKernel
    {
        public ReadOnlySpan<float> O, TanhC;
        public Span<float> HCur;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Apply<TL>(int j) where TL : struct, ILanes<TL> =>
            TL.Store(TL.Load(ref MemoryMarshal.GetReference(O), j) * TL.Load(ref MemoryMarshal.GetReference(TanhC), j),
                ref MemoryMarshal.GetReference(HCur), j);
    }

    /// <summary>Gate gradients (i, f, g, o pre-activations) and dc_{t-1} from dh_t, dc_t.</summary>
    private ref struct CellBackward : ILaneKernel
    {
        public ReadOnlySpan<float> Gates, TanhC, CPrev, Dh, Dc;
        public Span<float> DGates, DcPrev;
        public int H;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Apply<TL>(int j) where TL : struct, ILanes<TL>
        {
            ref float g = ref MemoryMarshal.GetReference(Gates);
            ref float dg = ref MemoryMarshal.GetReference(DGates);
            var one = TL.One;
            var ig = TL.Load(ref g, j); var fg = TL.Load(ref g, H + j);
            var gg = TL.Load(ref g, 2 * H + j); var og = TL.Load(ref g, 3 * H + j);
            var t = TL.Load(ref MemoryMarshal.GetReference(TanhC), j); var dhv = TL.Load(ref MemoryMarshal.GetReference(Dh), j);
            var dct = TL.Load(ref MemoryMarshal.GetReference(Dc), j) + dhv * og * (one - t * t);
            TL.Store(dct * gg * ig * (one - ig), ref dg, j);
            TL.Store(dct * TL.Load(ref MemoryMarshal.GetReference(CPrev), j) * fg * (one - fg), ref dg, H + j);
            TL.Store(dct * ig * (one - gg * gg), ref dg, 2 * H + j);
            TL.Store(dhv * t * og * (one - og), ref dg, 3 * H + j);
            TL.Store(dct * fg, ref MemoryMarshal.GetReference(DcPrev), j);
        }
    }
}
