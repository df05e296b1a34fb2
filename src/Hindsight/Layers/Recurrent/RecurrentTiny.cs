using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// Tiny-hidden path of the fused engine (the seed's SimpleRNN, hidden 2): Elman cells with 2 &lt;= H &lt; 8, one
/// direction, no lengths. Same arithmetic as the general path (every product the GEMM would compute is the same
/// in-order FMA chain from zero added to the same value, every sum runs in the same order) without the
/// per-step GEMM calls, transposed weight copies and per-row vector calls, whose setup dominates at this size.
/// </summary>
public abstract partial class RecurrentBase
{
    /// <summary>Whether layer i of this forward takes the tiny path (decided by shape alone, so forward and backward agree).</summary>
    private bool IsTiny(RecurrentWorkspace ws) =>
        Kind is CellKind.RnnTanh or CellKind.RnnRelu && NumDirections == 1 && !ws.HasLengths && HiddenSize is >= 2 and < 8
        && FastPaths.On(FastPath.TinyRecurrent);

    /// <summary>
    /// Forward of one layer: x (T,B,inF) time-first, from <paramref name="h0"/> (B,H), this layer's initial state (empty:
    /// zeros); writes y (T,B,H) and the states (slot t+1 = h_t).
    /// </summary>
    private void ForwardTiny(RecurrentWorkspace ws, int i, ReadOnlySpan<float> x, int inF, Span<float> y, ReadOnlySpan<float> h0)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, BH = B * H;
        var gates = ws.Gates[i].AsSpan(0, T * BH);
        var states = ws.States[i].AsSpan(0, (T + 2) * BH);
        ReadOnlySpan<float> wIh = _wIh[i].Data, wHh = _wHh[i].Data;
        bool relu = Kind == CellKind.RnnRelu;

        // b = b_ih + b_hh (or 0): the general path's broadcast row
        Span<float> bias = stackalloc float[H];
        if (_bIh[i] is { } bIh) { var bHh = _bHh[i]!.Data; for (int j = 0; j < H; j++) bias[j] = bIh.Data[j] + bHh[j]; }
        else bias.Clear();

        var hInit = states.Slice(0, BH);
        if (!h0.IsEmpty) h0.CopyTo(hInit); else hInit.Clear();

        for (int t = 0; t < T; t++)
        {
            ReadOnlySpan<float> hPrev = states.Slice(t * BH, BH);
            var g = gates.Slice(t * BH, BH);
            if (H == 2 && inF == 1)
            {
                // the loop below unrolled for the seed's SimpleRNN
                float b0 = bias[0], b1 = bias[1], wi0 = wIh[0], wi1 = wIh[1], w00 = wHh[0], w01 = wHh[1], w10 = wHh[2], w11 = wHh[3];
                var xt = x.Slice(t * B, B);
                for (int b = 0; b < xt.Length; b++)
                {
                    float h0v = hPrev[2 * b], h1v = hPrev[2 * b + 1], xv = xt[b];
                    g[2 * b] = (b0 + xv * wi0) + MathF.FusedMultiplyAdd(h1v, w01, MathF.FusedMultiplyAdd(h0v, w00, 0f));
                    g[2 * b + 1] = (b1 + xv * wi1) + MathF.FusedMultiplyAdd(h1v, w11, MathF.FusedMultiplyAdd(h0v, w10, 0f));
                }
            }
            else for (int b = 0; b < B; b++)
            {
                int r = t * B + b;
                for (int j = 0; j < H; j++)
                {
                    // pre = (b + x_t W_ih^T) + h_{t-1} W_hh^T, each product an FMA chain from zero
                    float xs;
                    if (inF == 1) xs = bias[j] + x[r] * wIh[j];
                    else
                    {
                        float s = 0f;
                        for (int q = 0; q < inF; q++) s = MathF.FusedMultiplyAdd(x[r * inF + q], wIh[j * inF + q], s);
                        xs = bias[j] + s;
                    }
                    float hs = 0f;
                    for (int p = 0; p < H; p++) hs = MathF.FusedMultiplyAdd(hPrev[b * H + p], wHh[j * H + p], hs);
                    g[b * H + j] = xs + hs;
                }
            }
            if (relu) TensorPrimitives.Max(g, 0f, g); else Activation.Tanh(g, g);
            g.CopyTo(states.Slice((t + 1) * BH, BH));
            g.CopyTo(y.Slice(t * BH, BH));
        }
    }

    /// <summary>Backward of one layer (see <see cref="BackwardDirection"/>): dY (T,B,H); adds into the parameter gradients, dh0 and dX.</summary>
    private void BackwardTiny(RecurrentWorkspace ws, int i, ReadOnlySpan<float> x, int inF, ReadOnlySpan<float> dY,
        ReadOnlySpan<float> dHn, Span<float> dh0, Span<float> dX, bool accumulateDx)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, BH = B * H, rows = T * B;
        var sc = _scratch;
        ReadOnlySpan<float> gates = ws.Gates[i].AsSpan(0, T * BH);
        ReadOnlySpan<float> states = ws.States[i].AsSpan(0, (T + 2) * BH);
        var dGi = sc.Get(ref sc.DGi, T * BH);
        var dh = sc.Get(ref sc.Dh, BH); var dhPrev = sc.Get(ref sc.DhPrev, BH);
        dHn.Slice(i * BH, BH).CopyTo(dh);
        ReadOnlySpan<float> wHh = _wHh[i].Data;
        bool relu = Kind == CellKind.RnnRelu;

        for (int t = T - 1; t >= 0; t--)
        {
            ReadOnlySpan<float> h = gates.Slice(t * BH, BH), dy = dY.Slice(t * BH, BH);
            var dg = dGi.Slice(t * BH, BH);
            if (H == 2 && !relu)
            {
                // the two loops below fused and unrolled for hidden size 2 (tanh)
                float w00 = wHh[0], w01 = wHh[1], w10 = wHh[2], w11 = wHh[3];
                for (int b = 0; b < B; b++)
                {
                    int e = 2 * b;
                    float h0v = h[e], h1v = h[e + 1];
                    float g0 = (1f - h0v * h0v) * (dh[e] + dy[e]), g1 = (1f - h1v * h1v) * (dh[e + 1] + dy[e + 1]);
                    dg[e] = g0; dg[e + 1] = g1;
                    dhPrev[e] = 0f + MathF.FusedMultiplyAdd(g1, w10, MathF.FusedMultiplyAdd(g0, w00, 0f));
                    dhPrev[e + 1] = 0f + MathF.FusedMultiplyAdd(g1, w11, MathF.FusedMultiplyAdd(g0, w01, 0f));
                }
                var swap = dh; dh = dhPrev; dhPrev = swap;
                continue;
            }
            for (int e = 0; e < BH; e++)
            {
                float d = dh[e] + dy[e];
                dg[e] = relu ? (h[e] > 0f ? d : 0f) : (1f - h[e] * h[e]) * d;
            }
            // dh_{t-1} (B,H) = dg (B,H) W_hh (H,H)
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++)
                {
                    float s = 0f;
                    for (int p = 0; p < H; p++) s = MathF.FusedMultiplyAdd(dg[b * H + p], wHh[p * H + j], s);
                    dhPrev[b * H + j] = 0f + s;
                }
            var tmp = dh; dh = dhPrev; dhPrev = tmp;
        }
        if (!dh0.IsEmpty) { var d0 = dh0.Slice(i * BH, BH); for (int e = 0; e < BH; e++) d0[e] += dh[e]; }

        // Parameter gradients in one pass over the T*B rows: dW_ih[j,q] = sum_r dG[r,j] x[r,q], dW_hh[j,q] =
        // sum_r dG[r,j] h_{t-1}[r,q] (h_{t-1} of row r = t*B+b sits at row r of the states), db[j] = sum_r dG[r,j].
        Span<float> aIh = stackalloc float[H * inF], aHh = stackalloc float[H * H], sIh = stackalloc float[H], sHh = stackalloc float[H];
        aIh.Clear(); aHh.Clear();
        var pBIh = _bIh[i]; var pBHh = _bHh[i];
        Span<float> gBIh = pBIh is { RequiresGrad: true } ? pBIh.GradForAccumulate() : default;
        Span<float> gBHh = pBHh is { RequiresGrad: true } ? pBHh.GradForAccumulate() : default;
        if (gBIh.IsEmpty) sIh.Clear(); else gBIh.Slice(0, H).CopyTo(sIh);
        if (gBHh.IsEmpty) sHh.Clear(); else gBHh.Slice(0, H).CopyTo(sHh);
        if (H == 2 && inF == 1) ParameterSums2(x, dGi, states, rows, aIh, aHh, sIh, sHh);
        else for (int r = 0; r < rows; r++)
            for (int j = 0; j < H; j++)
            {
                float d = dGi[r * H + j];
                sIh[j] += d; sHh[j] += d;
                for (int q = 0; q < inF; q++) aIh[j * inF + q] = MathF.FusedMultiplyAdd(x[r * inF + q], d, aIh[j * inF + q]);
                for (int q = 0; q < H; q++) aHh[j * H + q] = MathF.FusedMultiplyAdd(states[r * H + q], d, aHh[j * H + q]);
            }
        if (_wIh[i].RequiresGrad) { var g = _wIh[i].GradForAccumulate(); for (int e = 0; e < H * inF; e++) g[e] += 0f + aIh[e]; }
        if (_wHh[i].RequiresGrad) { var g = _wHh[i].GradForAccumulate(); for (int e = 0; e < H * H; e++) g[e] += 0f + aHh[e]; }
        if (!gBIh.IsEmpty) sIh.CopyTo(gBIh);
        if (!gBHh.IsEmpty) sHh.CopyTo(gBHh);
        // dX (T*B, inF) (+)= dG (T*B, H) W_ih (H, inF)
        if (!dX.IsEmpty) Gemm.Run(false, false, rows, inF, H, dGi, H, _wIh[i].Data, inF, dX, inF, accumulate: accumulateDx);
    }

    /// <summary>The parameter-gradient pass above for H = 2 and one input feature, every chain in a register.</summary>
    private static void ParameterSums2(ReadOnlySpan<float> x, ReadOnlySpan<float> dG, ReadOnlySpan<float> states, int rows,
        Span<float> aIh, Span<float> aHh, Span<float> sIh, Span<float> sHh)
    {
        float i0 = 0f, i1 = 0f, h00 = 0f, h01 = 0f, h10 = 0f, h11 = 0f;
        float bi0 = sIh[0], bi1 = sIh[1], bh0 = sHh[0], bh1 = sHh[1];
        dG = dG.Slice(0, 2 * rows); states = states.Slice(0, 2 * rows); x = x.Slice(0, rows);
        for (int r = 0; r < x.Length; r++)
        {
            float d0 = dG[2 * r], d1 = dG[2 * r + 1], xr = x[r], s0 = states[2 * r], s1 = states[2 * r + 1];
            bi0 += d0; bh0 += d0; bi1 += d1; bh1 += d1;
            i0 = MathF.FusedMultiplyAdd(xr, d0, i0);
            i1 = MathF.FusedMultiplyAdd(xr, d1, i1);
            h00 = MathF.FusedMultiplyAdd(s0, d0, h00);
            h01 = MathF.FusedMultiplyAdd(s1, d0, h01);
            h10 = MathF.FusedMultiplyAdd(s0, d1, h10);
            h11 = MathF.FusedMultiplyAdd(s1, d1, h11);
        }
        aIh[0] = i0; aIh[1] = i1; aHh[0] = h00; aHh[1] = h01; aHh[2] = h10; aHh[3] = h11;
        sIh[0] = bi0; sIh[1] = bi1; sHh[0] = bh0; sHh[1] = bh1;
    }
}
