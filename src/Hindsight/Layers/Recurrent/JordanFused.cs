using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

public sealed partial class Jordan
{
    /// <summary>
    /// What the backward pass needs, per layer, time-first: the layer's input X (T,B,I_k), hidden activations
    /// Hs (T,B,H), raw outputs Ys (T,B,O), carried states S (T+1,B,O) with S[0] = y0 and the masked outputs
    /// Out (T,B,O); plus scratch for the backward. Stamped with the tape generation that recorded it.
    /// </summary>
    internal sealed class Workspace(Jordan owner, int t, int b) : IRecurrentWorkspace
    {
        public readonly Jordan Owner = owner;
        public readonly int T = t, B = b;
        public readonly float[][] X = new float[owner.NumLayers][];
        public readonly float[][] Hs = Alloc(owner.NumLayers, t * b * owner.HiddenSize);
        public readonly float[][] Ys = Alloc(owner.NumLayers, t * b * owner.OutputSize);
        public readonly float[][] S = Alloc(owner.NumLayers, (t + 1) * b * owner.OutputSize);
        public readonly float[][] Out = Alloc(owner.NumLayers, t * b * owner.OutputSize);
        public readonly float[] InputTimeFirst = owner.BatchFirst ? new float[t * b * owner.InputSize] : [];
        public readonly float[] DA = new float[t * b * owner.HiddenSize];
        public readonly float[] DZ = new float[t * b * owner.OutputSize];
        public readonly float[] DS = new float[b * owner.OutputSize];
        public readonly float[] DOut = new float[t * b * owner.OutputSize];
        public readonly float[] DX = new float[t * b * Math.Max(owner.InputSize, owner.OutputSize)];
        public int[]? Lengths;
        public long Stamp;
        public bool Recorded;

        private static float[][] Alloc(int n, int size)
        {
            var a = new float[n][];
            for (int i = 0; i < n; i++) a[i] = new float[size];
            return a;
        }

        public bool Valid(int step, int row) => Lengths is null || step < Lengths[row];

        /// <summary>Free when never recorded, or when the tape has moved past the forward that recorded it.</summary>
        public bool IsFree => !Recorded || Stamp < Tape.Generation;
    }

    private readonly WorkspacePool<Workspace> _pool = new();
    private Workspace? _workspace;

    /// <summary>The workspace the last forward used (for tests of the reuse rule).</summary>
    internal object? CurrentWorkspace => _workspace;

    /// <summary>Number of workspaces held (one per forward whose backward is still pending, at least one).</summary>
    internal int WorkspaceCount => _pool.Count;

    /// <summary>
    /// A workspace under the rule of every recurrent layer (<see cref="WorkspacePool{TWorkspace}"/>): the first one no
    /// pending tape entry needs, replaced when its (T, B) differs (Jordan's buffers are sized once), else a new one.
    /// </summary>
    private Workspace AcquireWorkspace(int t, int b, bool record)
    {
        var ws = _workspace = _pool.Acquire((Owner: this, T: t, B: b), static a => new Workspace(a.Owner, a.T, a.B), static (w, a) => w.T == a.T && w.B == a.B);
        ws.Stamp = Tape.Generation;
        ws.Recorded = record;
        return ws;
    }

    // input (T,B,I) or (B,T,I), y0 (L,B,O) or null -> output (T,B,O) or (B,T,O), last (L,B,O)
    private void ForwardFused(Workspace ws, Tensor input, Tensor? y0, Tensor output, Tensor last)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, O = OutputSize, L = NumLayers;
        if (BatchFirst) SwapTimeBatch(input.Data, ws.InputTimeFirst, B, T, InputSize, accumulate: false);
        for (int l = 0; l < L; l++)
        {
            var w = _layers[l];
            int I = w.In;
            ws.X[l] = l == 0 ? (BatchFirst ? ws.InputTimeFirst : input.Data) : ws.Out[l - 1];
            float[] x = ws.X[l], hs = ws.Hs[l], ys = ws.Ys[l], s = ws.S[l], outl = ws.Out[l];
            if (y0 is not null) y0.Data.AsSpan(l * B * O, B * O).CopyTo(s);
            else s.AsSpan(0, B * O).Clear();
            // a = x W_ih^T + b_h for every step at once; the recurrent term is added step by step.
            Ops.LinearForward(hs, x, w.WeightIh.Data, w.BiasH.Data, T * B, I, H);
            for (int t = 0; t < T; t++)
            {
                var st = s.AsSpan(t * B * O, B * O);
                var ht = hs.AsSpan(t * B * H, B * H);
                var yt = ys.AsSpan(t * B * O, B * O);
                // h_t = act_h(a_t + y_{t-1} W_yh^T)
                Tensors.Kernels.Gemm.Run(false, true, B, H, O, st, O, w.WeightYh.Data, O, ht, H, accumulate: true);
                JordanActivationMath.Apply(HiddenActivation, ht);
                // y_t = act_y(h_t W_ho^T + b_o)
                Ops.LinearForward(yt, ht, w.WeightHo.Data, w.BiasO.Data, B, H, O);
                JordanActivationMath.Apply(OutputActivation, yt);
                var next = s.AsSpan((t + 1) * B * O, B * O);
                var ot = outl.AsSpan(t * B * O, B * O);
                for (int b = 0; b < B; b++)
                {
                    bool valid = ws.Valid(t, b);
                    (valid ? yt : st).Slice(b * O, O).CopyTo(next.Slice(b * O, O));
                    if (valid) yt.Slice(b * O, O).CopyTo(ot.Slice(b * O, O));
                    else ot.Slice(b * O, O).Clear();
                }
            }
            s.AsSpan(T * B * O, B * O).CopyTo(last.Data.AsSpan(l * B * O, B * O));
        }
        var top = ws.Out[L - 1];
        if (BatchFirst) SwapTimeBatch(top, output.Data, T, B, O, accumulate: false);
        else top.AsSpan(0, T * B * O).CopyTo(output.Data);
    }

    // Adds into the gradients of input, y0 and every parameter, reading the gradients of output and last.
    private void BackwardFused(Workspace ws, Tensor input, Tensor? y0, Tensor output, Tensor last)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, O = OutputSize, L = NumLayers;
        float[] dOut = ws.DOut, dA = ws.DA, dZ = ws.DZ, dS = ws.DS, dX = ws.DX;
        // dOut (T,B,O) of the top layer, time-first
        if (BatchFirst) SwapTimeBatch(output.GradData!, dOut, B, T, O, accumulate: false);
        else output.GradData!.AsSpan(0, T * B * O).CopyTo(dOut);
        var dLast = last.GradData!;
        for (int l = L - 1; l >= 0; l--)
        {
            var w = _layers[l];
            int I = w.In;
            float[] x = ws.X[l], hs = ws.Hs[l], ys = ws.Ys[l], s = ws.S[l];
            dLast.AsSpan(l * B * O, B * O).CopyTo(dS);
            for (int t = T - 1; t >= 0; t--)
            {
                var dzt = dZ.AsSpan(t * B * O, B * O);
                var dot = dOut.AsSpan(t * B * O, B * O);
                // dy_t = dOut_t + dS for valid rows (the state came from y_t, so dS stops there); invalid rows pass dS through.
                for (int b = 0; b < B; b++)
                {
                    var dzb = dzt.Slice(b * O, O);
                    var dsb = dS.AsSpan(b * O, O);
                    if (ws.Valid(t, b)) { TensorPrimitives.Add(dot.Slice(b * O, O), dsb, dzb); dsb.Clear(); }
                    else dzb.Clear();
                }
                JordanActivationMath.Backward(OutputActivation, dzt, ys.AsSpan(t * B * O, B * O));
                // dh_t = dz_t W_ho; da_t = dh_t * act_h'
                var dat = dA.AsSpan(t * B * H, B * H);
                Tensors.Kernels.Gemm.Run(false, false, B, H, O, dzt, O, w.WeightHo.Data, H, dat, H, accumulate: false);
                JordanActivationMath.Backward(HiddenActivation, dat, hs.AsSpan(t * B * H, B * H));
                // dS (gradient of y_{t-1}) += da_t W_yh
                Tensors.Kernels.Gemm.Run(false, false, B, O, H, dat, H, w.WeightYh.Data, O, dS, O, accumulate: true);
            }
            if (y0 is not null && y0.RequiresGrad)
            {
                var g = y0.GradForAccumulate().Slice(l * B * O, B * O);
                TensorPrimitives.Add(g, dS, g);
            }
            // Weight gradients over all steps at once.
            Ops.LinearBackward(default, Grad(w.WeightHo), Grad(w.BiasO), dZ, hs, w.WeightHo.Data, T * B, H, O);
            Ops.LinearBackward(default, Grad(w.WeightYh), default, dA, s.AsSpan(0, T * B * O), w.WeightYh.Data, T * B, O, H);
            bool needDx = l > 0 || input.RequiresGrad;
            var dx = needDx ? dX.AsSpan(0, T * B * I) : default;
            dx.Clear();
            Ops.LinearBackward(dx, Grad(w.WeightIh), Grad(w.BiasH), dA, x, w.WeightIh.Data, T * B, I, H);
            if (l > 0) dx.CopyTo(dOut);
            else if (needDx)
            {
                var gin = input.GradForAccumulate();
                if (BatchFirst) SwapTimeBatch(dX, gin, T, B, I, accumulate: true);
                else TensorPrimitives.Add(gin, dx, gin);
            }
        }
    }

    private static Span<float> Grad(Tensor p) => p.RequiresGrad ? p.GradForAccumulate() : default;
}
