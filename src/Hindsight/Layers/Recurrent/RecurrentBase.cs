using System.Runtime.InteropServices;
using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>Cell type of a fused recurrent layer.</summary>
internal enum CellKind { RnnTanh, RnnRelu, Lstm, Gru }

/// <summary>
/// The fused multi-layer, optionally bidirectional recurrent engine shared by <see cref="Rnn"/>, <see cref="Lstm"/>
/// and <see cref="Gru"/> (PyTorch's <c>nn.RNNBase</c>). Per layer and direction: one GEMM projects the inputs of all
/// time steps, one GEMM per step adds the hidden projection, the cell's elementwise math runs on spans; the backward
/// walks time in reverse and accumulates the weight gradients with one GEMM over all steps.
/// The layer keeps no state between calls: every <c>Forward</c> starts from the given initial state, or zeros.
/// The public call is <see cref="RecurrentLayer.Forward(Tensor, HiddenState?, int[])"/>, the same for every cell.
/// </summary>
/// <remarks>
/// For backward, a time-first layer keeps a reference to the input's <c>Data</c> (not a copy). Changing the input's
/// <c>Data</c> between <c>Forward</c> and <c>Backward</c> therefore silently gives wrong weight gradients: PyTorch
/// detects such in-place changes with version counters, Hindsight does not. Write into a new tensor (or <c>Clone()</c>).
/// </remarks>
public abstract partial class RecurrentBase : RecurrentLayer
{
    /// <inheritdoc/>
    public override int InputSize { get; }
    /// <summary>Features of the hidden state (per direction).</summary>
    public int HiddenSize { get; }
    /// <inheritdoc/>
    public override int NumLayers { get; }
    /// <summary>Whether the layer has the biases <c>bias_ih</c> and <c>bias_hh</c>.</summary>
    public bool HasBias { get; }
    /// <inheritdoc/>
    public override bool BatchFirst { get; }
    /// <summary>Dropout probability applied to the outputs of every layer but the last, in training mode.</summary>
    public float Dropout { get; }
    /// <summary>Whether a reverse direction runs too (outputs concatenated, forward first).</summary>
    public bool Bidirectional { get; }
    /// <summary>1 or 2.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;
    /// <summary>Features per time step of the output: <see cref="NumDirections"/> * <see cref="HiddenSize"/>.</summary>
    public override int OutputSize => NumDirections * HiddenSize;

    internal readonly CellKind Kind;
    /// <summary>Gates per cell: 1 (RNN), 4 (LSTM: i,f,g,o), 3 (GRU: r,z,n).</summary>
    internal readonly int GateCount;
    private readonly string _op;
    private readonly Rng _rng;
    // [l*D+d]
    private readonly Tensor[] _wIh, _wHh;
    private readonly Tensor?[] _bIh, _bHh;
    private readonly Tensor[] _allParameters;
    private readonly WorkspacePool<RecurrentWorkspace> _pool = new();
    private readonly BackwardScratch _scratch = new();

    private protected RecurrentBase(CellKind kind, string op, int inputSize, int hiddenSize, int numLayers, bool bias,
        bool batchFirst, float dropout, bool bidirectional, Rng? rng)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"{op}: input_size must be positive, got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{op}: hidden_size must be positive, got {hiddenSize}.");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"{op}: num_layers must be positive, got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"{op}: dropout must be in [0, 1], got {dropout}.");
        Kind = kind; _op = op;
        GateCount = kind switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };
        InputSize = inputSize; HiddenSize = hiddenSize; NumLayers = numLayers; HasBias = bias;
        BatchFirst = batchFirst; Dropout = dropout; Bidirectional = bidirectional;
        _rng = rng ?? Rng.Default;

        // PyTorch's order and init: per layer, per direction, weight_ih, weight_hh, bias_ih, bias_hh, all U(-k, k), k = 1/sqrt(H).
        int d = NumDirections, gh = GateCount * hiddenSize;
        _wIh = new Tensor[numLayers * d]; _wHh = new Tensor[numLayers * d];
        _bIh = new Tensor?[numLayers * d]; _bHh = new Tensor?[numLayers * d];
        float k = 1f / MathF.Sqrt(hiddenSize);
        var all = new List<Tensor>();
        for (int l = 0; l < numLayers; l++)
            for (int dir = 0; dir < d; dir++)
            {
                int i = l * d + dir, inF = l == 0 ? inputSize : d * hiddenSize;
                string suffix = $"_l{l}" + (dir == 1 ? "_reverse" : "");
                all.Add(_wIh[i] = RegisterParameter("weight_ih" + suffix, Tensor.Uniform(-k, k, _rng, gh, inF)));
                all.Add(_wHh[i] = RegisterParameter("weight_hh" + suffix, Tensor.Uniform(-k, k, _rng, gh, hiddenSize)));
                if (bias)
                {
                    all.Add((_bIh[i] = RegisterParameter("bias_ih" + suffix, Tensor.Uniform(-k, k, _rng, gh)))!);
                    all.Add((_bHh[i] = RegisterParameter("bias_hh" + suffix, Tensor.Uniform(-k, k, _rng, gh)))!);
                }
            }
        _allParameters = [.. all];
    }

    /// <summary>Number of workspaces held (one per forward whose backward is still pending, at least one).</summary>
    internal int WorkspaceCount => _pool.Count;

    // ---------------------------------------------------------------------------------------------------------
    // Forward
    // ---------------------------------------------------------------------------------------------------------

    /// <inheritdoc/>
    private protected sealed override RecurrentOutput ForwardSequence(Tensor input, HiddenState? state, int[]? lengths)
    {
        if (state?.C is { } c && Kind != CellKind.Lstm)
            throw new ArgumentException($"{_op}: the initial state has a cell state c0 {c.ShapeString}; only an Lstm has one.", nameof(state));
        var (output, hn, cn) = ForwardCore(input, state?.H, state?.C, lengths);
        return new RecurrentOutput(output, new HiddenState(hn, cn));
    }

    /// <summary>Runs all layers and directions; returns (output, h_n, c_n or null).</summary>
    private (Tensor Output, Tensor HiddenState, Tensor? CellState) ForwardCore(Tensor input, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (T, B) = Validate(input, h0, c0, lengths);
        int H = HiddenSize, D = NumDirections, L = NumLayers, DH = D * H;
        bool lstm = Kind == CellKind.Lstm;
        bool record = Tape.IsRecording && (input.RequiresGrad || (h0?.RequiresGrad ?? false) || (c0?.RequiresGrad ?? false) || AnyParameterRequiresGrad());

        var ws = AcquireWorkspace();
        ws.Ensure(T, B);
        ws.Recorded = record;
        ws.Generation = Tape.Generation;
        ws.HasLengths = lengths is not null;
        if (lengths is not null)
        {
            if (ws.Lengths.Length != B) ws.Lengths = new int[B];
            lengths.CopyTo(ws.Lengths, 0);
        }
        ws.DropoutApplied = Dropout > 0 && Training && L > 1;

        var output = Tensor.Output(BatchFirst ? [B, T, DH] : [T, B, DH]);
        var hn = Tensor.Output(L * D, B, H);
        var cn = lstm ? Tensor.Output(L * D, B, H) : null;

        if (BatchFirst) { SwapTimeBatch(input.Data, ws.InputT, B, T, InputSize, accumulate: false); ws.Input0 = ws.InputT; }
        else ws.Input0 = input.Data;

        float[] x = ws.Input0;
        int inF = InputSize;
        for (int l = 0; l < L; l++)
        {
            float[] y = l == L - 1 ? (BatchFirst ? ws.OutputT : output.Data) : ws.LayerInput[l + 1];
            for (int dir = 0; dir < D; dir++)
                ForwardDirection(ws, l, dir, x.AsSpan(0, T * B * inF), inF, y.AsSpan(0, T * B * DH), h0, c0);
            if (l < L - 1)
            {
                if (ws.DropoutApplied) ApplyDropout(ws.Mask[l + 1].AsSpan(0, T * B * DH), y.AsSpan(0, T * B * DH));
                x = y; inF = DH;
            }
        }
        if (BatchFirst) SwapTimeBatch(ws.OutputT, output.Data, T, B, DH, accumulate: false);

        // Final states: forward direction slot T, reverse slot 1 (padded steps copy the state, so these hold each
        // sequence's state at its own last valid step).
        for (int l = 0; l < L; l++)
            for (int dir = 0; dir < D; dir++)
            {
                int i = l * D + dir, slot = dir == 0 ? T : 1;
                ws.States[i].AsSpan(slot * B * H, B * H).CopyTo(hn.Data.AsSpan(i * B * H, B * H));
                if (lstm) ws.Cells[i].AsSpan(slot * B * H, B * H).CopyTo(cn!.Data.AsSpan(i * B * H, B * H));
            }

        if (record)
            Tape.Record(new TapeEntry(BackwardEntry, output, input, h0, c0, context: ws, output2: hn, output3: cn));
        return (output, hn, cn);
    }

    /// <summary>One layer, one direction over all time steps. x is (T,B,inF) time-first; writes y[:, :, dir*H..] (T,B,D*H).</summary>
    private void ForwardDirection(RecurrentWorkspace ws, int l, int dir, ReadOnlySpan<float> x, int inF, Span<float> y, Tensor? h0, Tensor? c0)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, D = NumDirections, GH = GateCount * H, DH = D * H, i = l * D + dir;
        if (IsTiny(ws)) { ForwardTiny(ws, i, x, inF, y, h0 is null ? default : h0.Data.AsSpan(i * B * H, B * H)); return; }
        bool gru = Kind == CellKind.Gru, lstm = Kind == CellKind.Lstm;
        var gates = ws.Gates[i].AsSpan(0, T * B * GH);
        var states = ws.States[i].AsSpan(0, (T + 2) * B * H);
        var cells = lstm ? ws.Cells[i].AsSpan(0, (T + 2) * B * H) : default;
        var wIh = _wIh[i].Data; var wHh = _wHh[i].Data;
        var bIh = _bIh[i]?.Data; var bHh = _bHh[i]?.Data;

        // gates (T*B, GH) = x (T*B, inF) W_ih^T + b_ih (+ b_hh, except GRU whose b_hn sits inside the reset product)
        var wIhT = ws.WeightIhT[i].AsSpan(0, inF * GH);
        var wHhT = ws.WeightHhT[i].AsSpan(0, H * GH);
        Transpose(wIh, wIhT, GH, inF);
        Transpose(wHh, wHhT, GH, H);
        if (inF <= 4 && GH is >= 8 and <= 4096 && (long)T * B * GH * inF > 512 && FastPaths.On(FastPath.FewInputProjection))
        {
            // Few input features (W4 has one): bias and projection in one pass, without first broadcasting the bias
            // row over all T*B rows (the GEMM would take its row-times-matrix path: the same FMA chains from the bias).
            Span<float> biasRow = stackalloc float[GH];
            if (bIh is not null) { bIh.CopyTo(biasRow); if (!gru) TensorPrimitives.Add(biasRow, bHh!, biasRow); }
            else biasRow.Clear();
            ProjectFewInputs(x, inF, wIhT, biasRow, gates, T * B, GH);
        }
        else
        {
            if (bIh is not null)
            {
                var row = gates.Slice(0, GH);
                bIh.CopyTo(row);
                if (!gru) TensorPrimitives.Add(row, bHh!, row);
                for (int r = 1; r < T * B; r++) row.CopyTo(gates.Slice(r * GH, GH));
            }
            Gemm.Run(false, false, T * B, GH, inF, x, inF, wIhT, GH, gates, GH, accumulate: bIh is not null);
        }

        // initial state into slot 0 (forward) or T+1 (reverse)
        int h0Slot = dir == 0 ? 0 : T + 1;
        var hInit = states.Slice(h0Slot * B * H, B * H);
        if (h0 is not null) h0.Data.AsSpan(i * B * H, B * H).CopyTo(hInit); else hInit.Clear();
        if (lstm)
        {
            var cInit = cells.Slice(h0Slot * B * H, B * H);
            if (c0 is not null) c0.Data.AsSpan(i * B * H, B * H).CopyTo(cInit); else cInit.Clear();
        }

        ReadOnlySpan<int> lengths = ws.HasLengths ? ws.Lengths : default;
        int minLength = MinLength(lengths, T);
        var gh = gru ? _scratch.HiddenGates(B * GH) : default;
        for (int s = 0; s < T; s++)
        {
            int t = dir == 0 ? s : T - 1 - s, prev = dir == 0 ? t : t + 2, cur = t + 1;
            var hPrev = states.Slice(prev * B * H, B * H);
            var g = gates.Slice(t * B * GH, B * GH);
            if (gru)
            {
                // gh (B, 3H) = h_{t-1} W_hh^T + b_hh
                if (bHh is not null) for (int b = 0; b < B; b++) bHh.CopyTo(gh.Slice(b * GH, GH));
                Gemm.Run(false, false, B, GH, H, hPrev, H, wHhT, GH, gh, GH, accumulate: bHh is not null, sameB: s > 0);
            }
            else Gemm.Run(false, false, B, GH, H, hPrev, H, wHhT, GH, g, GH, accumulate: true, sameB: s > 0);

            var step = new StepSpans
            {
                B = B, H = H, T = t, Lengths = lengths, AllValid = t < minLength,
                Gates = g, HPrev = hPrev, HCur = states.Slice(cur * B * H, B * H),
                CPrev = lstm ? cells.Slice(prev * B * H, B * H) : default,
                CCur = lstm ? cells.Slice(cur * B * H, B * H) : default,
                TanhC = lstm ? ws.TanhCells[i].AsSpan(t * B * H, B * H) : default,
                HiddenN = gru ? ws.HiddenN[i].AsSpan(t * B * H, B * H) : default,
                HiddenGates = gh,
            };
            StepForward(ref step);

            // output row: h_t where the step is valid, zero past the sequence's length
            var hCur = step.HCur;
            if (D == 1 && step.AllValid) { hCur.CopyTo(y.Slice(t * B * H, B * H)); continue; }
            for (int b = 0; b < B; b++)
            {
                var dst = y.Slice((t * B + b) * DH + dir * H, H);
                if (lengths.IsEmpty || t < lengths[b]) hCur.Slice(b * H, H).CopyTo(dst); else dst.Clear();
            }
        }
    }

    private void ApplyDropout(Span<float> mask, Span<float> y)
    {
        float p = Dropout, scale = p >= 1 ? 0f : 1f / (1f - p);
        for (int j = 0; j < mask.Length; j++) mask[j] = _rng.NextFloat() < p ? 0f : scale;
        TensorPrimitives.Multiply(y, mask, y);
    }

    /// <summary>Spans of one time step handed to the cell math (rows b = 0..B-1; empty spans where the cell has none).</summary>
    private protected ref struct StepSpans
    {
        public int B, H, T;
        /// <summary>Lengths per row (empty: every row valid); row b is valid at this step when T &lt; Lengths[b].</summary>
        public ReadOnlySpan<int> Lengths;
        /// <summary>(B, G*H): pre-activations on entry to <see cref="StepForward"/> (GRU: input part only), activated on exit.</summary>
        public Span<float> Gates;
        public Span<float> HPrev, HCur, CPrev, CCur, TanhC, HiddenN;
        /// <summary>GRU: (B, 3H) hidden projection h_{t-1} W_hh^T + b_hh.</summary>
        public Span<float> HiddenGates;
        // backward
        /// <summary>(B,H) gradient reaching h_t (and c_t): read; then dh_{t-1}, dc_{t-1} are written into DhPrev/DcPrev.</summary>
        public Span<float> Dh, Dc, DhPrev, DcPrev;
        /// <summary>(B, G*H) gradient of the input-side (DGi) and hidden-side (DGh, GRU only) pre-activations.</summary>
        public Span<float> DGi, DGh;

        /// <summary>Every row is valid at this step (no lengths, or T below the shortest).</summary>
        public bool AllValid;

        public readonly bool Valid(int b) => AllValid || T < Lengths[b];
    }

    /// <summary>
    /// Cell math of one step: from <c>Gates</c> (pre-activations) and the previous state, writes the activated
    /// gates and <c>HCur</c> (and <c>CCur</c>, <c>TanhC</c>, <c>HiddenN</c>). Invalid rows copy the previous state.
    /// </summary>
    private protected abstract void StepForward(ref StepSpans s);

    /// <summary>
    /// Backward of one step: from <c>Dh</c> (and <c>Dc</c>) writes <c>DGi</c> (and <c>DGh</c>), the direct part of
    /// <c>DhPrev</c> (the GEMM with W_hh is added by the caller) and <c>DcPrev</c>. Invalid rows: zero gate
    /// gradients, <c>DhPrev = Dh</c>, <c>DcPrev = Dc</c>.
    /// </summary>
    private protected abstract void StepBackward(ref StepSpans s);

    // ---------------------------------------------------------------------------------------------------------
    // Backward
    // ---------------------------------------------------------------------------------------------------------

    private static void BackwardEntry(in TapeEntry e)
    {
        var ws = (RecurrentWorkspace)e.Context!;
        ws.Owner.Backward(ws, e.Output, e.Output2!, e.Output3, e.A!, e.B, e.C);
    }

    private void Backward(RecurrentWorkspace ws, Tensor output, Tensor hn, Tensor? cn, Tensor input, Tensor? h0, Tensor? c0)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, D = NumDirections, L = NumLayers, DH = D * H;
        var sc = _scratch;
        int maxIn = Math.Max(InputSize, DH);
        // dY (T,B,D*H) of the current layer, time-first
        var dY = sc.Get(ref sc.DY, T * B * DH);
        if (BatchFirst) SwapTimeBatch(output.GradData!, dY, B, T, DH, accumulate: false);
        else output.GradData.AsSpan(0, T * B * DH).CopyTo(dY);
        var dHn = hn.GradData!;
        var dCn = cn?.GradData;
        var dh0 = h0 is not null && h0.RequiresGrad ? h0.GradForAccumulate() : default;
        var dc0 = c0 is not null && c0.RequiresGrad ? c0.GradForAccumulate() : default;

        for (int l = L - 1; l >= 0; l--)
        {
            int inF = l == 0 ? InputSize : DH;
            ReadOnlySpan<float> x = l == 0 ? ws.Input0.AsSpan(0, T * B * inF) : ws.LayerInput[l].AsSpan(0, T * B * inF);
            // dX of this layer's input: straight into the input's gradient when possible
            bool needDx = l > 0 || input.RequiresGrad;
            Span<float> dX = default;
            bool dxAccumulates = false;
            if (needDx)
            {
                if (l == 0 && !BatchFirst) { dX = input.GradForAccumulate(); dxAccumulates = true; }
                else dX = sc.Get(ref sc.DX, T * B * maxIn).Slice(0, T * B * inF);
            }
            for (int dir = 0; dir < D; dir++)
                BackwardDirection(ws, l, dir, x, inF, dY, dHn, dCn, dh0, dc0, dX, accumulateDx: dxAccumulates || dir > 0);
            if (l > 0)
            {
                // through dropout into the previous layer's output gradient
                if (ws.DropoutApplied) TensorPrimitives.Multiply(dX, ws.Mask[l].AsSpan(0, dX.Length), dX);
                dX.CopyTo(dY);
            }
            else if (needDx && BatchFirst) SwapTimeBatch(dX, input.GradForAccumulate(), T, B, InputSize, accumulate: true);
        }
    }

    private void BackwardDirection(RecurrentWorkspace ws, int l, int dir, ReadOnlySpan<float> x, int inF, ReadOnlySpan<float> dY,
        ReadOnlySpan<float> dHn, ReadOnlySpan<float> dCn, Span<float> dh0, Span<float> dc0, Span<float> dX, bool accumulateDx)
    {
        int T = ws.T, B = ws.B, H = HiddenSize, D = NumDirections, GH = GateCount * H, DH = D * H, i = l * D + dir;
        bool gru = Kind == CellKind.Gru, lstm = Kind == CellKind.Lstm;
        if (IsTiny(ws)) { BackwardTiny(ws, i, x, inF, dY, dHn, dh0, dX, accumulateDx); return; }
        var sc = _scratch;
        var gates = ws.Gates[i].AsSpan(0, T * B * GH);
        var states = ws.States[i].AsSpan(0, (T + 2) * B * H);
        var cells = lstm ? ws.Cells[i].AsSpan(0, (T + 2) * B * H) : default;
        var dGi = sc.Get(ref sc.DGi, T * B * GH);
        var dGh = gru ? sc.Get(ref sc.DGh, T * B * GH) : dGi;
        var dh = sc.Get(ref sc.Dh, B * H); var dhPrev = sc.Get(ref sc.DhPrev, B * H);
        var dc = lstm ? sc.Get(ref sc.Dc, B * H) : default; var dcPrev = lstm ? sc.Get(ref sc.DcPrev, B * H) : default;
        dHn.Slice(i * B * H, B * H).CopyTo(dh);
        if (lstm) { if (dCn.IsEmpty) dc.Clear(); else dCn.Slice(i * B * H, B * H).CopyTo(dc); }
        var wHh = _wHh[i].Data;
        ReadOnlySpan<int> lengths = ws.HasLengths ? ws.Lengths : default;
        int minLength = MinLength(lengths, T);

        // reverse of processing order
        for (int s = T - 1; s >= 0; s--)
        {
            int t = dir == 0 ? s : T - 1 - s, prev = dir == 0 ? t : t + 2, cur = t + 1;
            // the output gradient of valid rows joins the state gradient
            if (D == 1 && t < minLength) TensorPrimitives.Add(dh, dY.Slice(t * B * H, B * H), dh);
            else for (int b = 0; b < B; b++)
                if (lengths.IsEmpty || t < lengths[b])
                {
                    var dst = dh.Slice(b * H, H);
                    TensorPrimitives.Add(dst, dY.Slice((t * B + b) * DH + dir * H, H), dst);
                }
            var step = new StepSpans
            {
                B = B, H = H, T = t, Lengths = lengths, AllValid = t < minLength,
                Gates = gates.Slice(t * B * GH, B * GH),
                HPrev = states.Slice(prev * B * H, B * H), HCur = states.Slice(cur * B * H, B * H),
                CPrev = lstm ? cells.Slice(prev * B * H, B * H) : default,
                CCur = lstm ? cells.Slice(cur * B * H, B * H) : default,
                TanhC = lstm ? ws.TanhCells[i].AsSpan(t * B * H, B * H) : default,
                HiddenN = gru ? ws.HiddenN[i].AsSpan(t * B * H, B * H) : default,
                Dh = dh, Dc = dc, DhPrev = dhPrev, DcPrev = dcPrev,
                DGi = dGi.Slice(t * B * GH, B * GH), DGh = dGh.Slice(t * B * GH, B * GH),
            };
            StepBackward(ref step);
            // dh_{t-1} (B,H) += dGh_t (B,GH) W_hh (GH,H)
            Gemm.Run(false, false, B, H, GH, step.DGh, GH, wHh, H, dhPrev, H, accumulate: true, sameB: s < T - 1);
            var tmp = dh; dh = dhPrev; dhPrev = tmp;
            if (lstm) { var tc = dc; dc = dcPrev; dcPrev = tc; }
        }
        if (!dh0.IsEmpty) { var d0 = dh0.Slice(i * B * H, B * H); TensorPrimitives.Add(d0, dh, d0); }
        if (!dc0.IsEmpty) { var d0 = dc0.Slice(i * B * H, B * H); TensorPrimitives.Add(d0, dc, d0); }

        // weight gradients over all steps at once, as dW^T = X^T dG (G*H the long, contiguous side), added transposed
        var pWIh = _wIh[i]; var pWHh = _wHh[i];
        if (pWIh.RequiresGrad)
        {
            var dWT = sc.Get(ref sc.DWT, inF * GH);
            Gemm.Run(true, false, inF, GH, T * B, x, inF, dGi, GH, dWT, GH, accumulate: false);
            AddTransposed(dWT, pWIh.GradForAccumulate(), inF, GH);
        }
        if (pWHh.RequiresGrad)
        {
            // h_{t-1} of time t sits in slot t (forward) or t+2 (reverse): one contiguous (T*B, H) block
            int first = dir == 0 ? 0 : 2;
            var dWT = sc.Get(ref sc.DWT, H * GH);
            Gemm.Run(true, false, H, GH, T * B, states.Slice(first * B * H, T * B * H), H, dGh, GH, dWT, GH, accumulate: false);
            AddTransposed(dWT, pWHh.GradForAccumulate(), H, GH);
        }
        if (_bIh[i] is { RequiresGrad: true } bIh) AddColumnSums(bIh.GradForAccumulate(), dGi, T * B, GH);
        if (_bHh[i] is { RequiresGrad: true } bHh) AddColumnSums(bHh.GradForAccumulate(), dGh, T * B, GH);
        // dX (T*B, inF) += dGi (T*B, GH) W_ih (GH, inF)
        // (few input features: dot products along G*H against W_ih^T instead of length-inF rows)
        if (!dX.IsEmpty)
        {
            if (inF < 8) Gemm.Run(false, true, T * B, inF, GH, dGi, GH, ws.WeightIhT[i], GH, dX, inF, accumulate: accumulateDx);
            else Gemm.Run(false, false, T * B, inF, GH, dGi, GH, _wIh[i].Data, inF, dX, inF, accumulate: accumulateDx);
        }
    }

    /// <summary>gates[r, :] = bias + sum_p x[r, p] wT[p, :], each element an in-order FMA chain over p starting from the bias.</summary>
    private static void ProjectFewInputs(ReadOnlySpan<float> x, int inF, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias, Span<float> gates, int rows, int n)
    {
        var k = new FewInputsRow { WeightT = wT.Slice(0, inF * n), Bias = bias.Slice(0, n), N = n };
        for (int r = 0; r < rows; r++)
        {
            k.X = x.Slice(r * inF, inF);
            k.Destination = gates.Slice(r * n, n);
            Lanes.ForEach(ref k, n);
        }
    }

    /// <summary>Lanes j.. of one row of <see cref="ProjectFewInputs"/> (written once for every width).</summary>
    private ref struct FewInputsRow : ILaneKernel
    {
        public ReadOnlySpan<float> X, WeightT, Bias;
        public Span<float> Destination;
        public int N;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply<TL>(int j) where TL : struct, ILanes<TL>
        {
            ref float w = ref MemoryMarshal.GetReference(WeightT);
            var acc = TL.Load(ref MemoryMarshal.GetReference(Bias), j);
            for (int p = 0; p < X.Length; p++) acc = TL.Fma(TL.Broadcast(X[p]), TL.Load(ref w, p * N + j), acc);
            TL.Store(acc, ref MemoryMarshal.GetReference(Destination), j);
        }
    }

    /// <summary>dst (cols, rows) = src (rows, cols)^T.</summary>
    private static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
    }

    /// <summary>dst (cols, rows) += src (rows, cols)^T.</summary>
    private static void AddTransposed(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * rows + r] += src[r * cols + c];
    }

    private static int MinLength(ReadOnlySpan<int> lengths, int T)
    {
        int min = T;
        foreach (int n in lengths) min = Math.Min(min, n);
        return min;
    }

    private static void AddColumnSums(Span<float> sums, ReadOnlySpan<float> m, int rows, int cols)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, m.Slice(r * cols, cols), sums);
    }

    /// <summary>Backward-only buffers, shared by all workspaces (a backward runs to completion before the next).</summary>
    private sealed class BackwardScratch
    {
        public float[] DY = [], DX = [], DWT = [], DGi = [], DGh = [], Dh = [], DhPrev = [], Dc = [], DcPrev = [], Gh = [];

        public Span<float> Get(ref float[] buffer, int length)
        {
            RecurrentWorkspace.Grow(ref buffer, length);
            return buffer.AsSpan(0, length);
        }

        public Span<float> HiddenGates(int length) => Get(ref Gh, length);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private RecurrentWorkspace AcquireWorkspace() => _pool.Acquire(this, static owner => new RecurrentWorkspace(owner));

    private bool AnyParameterRequiresGrad()
    {
        foreach (var p in _allParameters) if (p.RequiresGrad) return true;
        return false;
    }

    private (int T, int B) Validate(Tensor input, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        string layout = BatchFirst ? "(batch, seq_len, input_size)" : "(seq_len, batch, input_size)";
        if (input.Rank != 3)
            throw new ArgumentException($"{_op}: input must have rank 3 {layout}, got shape {input.ShapeString}.", nameof(input));
        int T = BatchFirst ? input.Dim(1) : input.Dim(0), B = BatchFirst ? input.Dim(0) : input.Dim(1);
        if (input.Dim(2) != InputSize)
            throw new ArgumentException($"{_op}: input shape {input.ShapeString} {layout} has {input.Dim(2)} features; expected input_size {InputSize}.", nameof(input));
        if (T == 0 || B == 0)
            throw new ArgumentException($"{_op}: input shape {input.ShapeString} {layout} is empty; seq_len and batch must be at least 1.", nameof(input));
        ReadOnlySpan<int> stateShape = [NumLayers * NumDirections, B, HiddenSize];
        if (h0 is not null && !h0.HasShape(stateShape))
            throw new ArgumentException($"{_op}: h0 must have shape {Tensor.FormatShape(stateShape)} (num_layers*num_directions, batch, hidden_size), got {h0.ShapeString}.", nameof(h0));
        if (c0 is not null && !c0.HasShape(stateShape))
            throw new ArgumentException($"{_op}: c0 must have shape {Tensor.FormatShape(stateShape)} (num_layers*num_directions, batch, hidden_size), got {c0.ShapeString}.", nameof(c0));
        ValidateLengths(_op, lengths, T, B, input);
        return (T, B);
    }
}
