using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// Forward-only execution of the fused engine for <see cref="Hindsight.Inference.RecurrentPredictor"/>: no tape, no
/// workspace kept for a backward, weights transposed once (at <see cref="InferenceWeights.Refresh"/>, not per call),
/// buffers sized once per input shape, the input projection computed a block of time steps at a time (so the
/// gates stay in cache), and the top layer's output sequence written only when it is asked for. Every product and
/// cell formula is the training forward's own call on the same operands, so the values are the same bits.
/// </summary>
public abstract partial class RecurrentBase
{
    /// <summary>Rows of the gate block projected at once (a block of time steps times the batch), at least one step.</summary>
    private const int InferenceGateRows = 256;

    /// <summary>Whether <see cref="InferForward"/> runs this layer: one direction (the path has no reverse pass).</summary>
    internal bool SupportsInference => !Bidirectional;

    /// <summary>The parameters as the inference path reads them: W_ih^T, W_hh^T and the bias rows, per layer.</summary>
    internal sealed class InferenceWeights
    {
        private readonly RecurrentBase _layer;
        /// <summary>[l]: W_ih^T (inF, G*H), W_hh^T (H, G*H).</summary>
        public readonly float[][] WeightIhT, WeightHhT;
        /// <summary>[l]: W_hh^T's first G*H / 128 * 128 columns in panels of 128 (<see cref="RowTimesMatrix.Pack"/>), read in order at batch 1-3.</summary>
        public readonly float[][] WeightHhPanels;
        /// <summary>[l]: the bias row added before the input projection: b_ih + b_hh (GRU: b_ih), empty without bias.</summary>
        public readonly float[][] InputBias;
        // [l]: the bits of W_ih, W_hh, b_ih, b_hh last read, one after the other (a refresh with unchanged weights skips the transposes)
        private readonly int[][] _read;

        public InferenceWeights(RecurrentBase layer)
        {
            _layer = layer;
            int L = layer.NumLayers, GH = layer.GateCount * layer.HiddenSize;
            WeightIhT = new float[L][]; WeightHhT = new float[L][]; WeightHhPanels = new float[L][]; InputBias = new float[L][]; _read = new int[L][];
            for (int l = 0; l < L; l++)
            {
                int inF = l == 0 ? layer.InputSize : layer.HiddenSize;
                WeightIhT[l] = new float[inF * GH];
                WeightHhT[l] = new float[layer.HiddenSize * GH];
                WeightHhPanels[l] = new float[RowTimesMatrix.PackedLength(GH, layer.HiddenSize)];
                InputBias[l] = layer.HasBias ? new float[GH] : [];
                _read[l] = new int[(inF + layer.HiddenSize + (layer.HasBias ? 2 : 0)) * GH];
                Read(l);
            }
        }

        /// <summary>Copies the layer's current parameters (after training or loading new weights); layers whose parameters did not change are skipped.</summary>
        public void Refresh()
        {
            for (int l = 0; l < _layer.NumLayers; l++)
                if (Changed(l)) Read(l);
        }

        // Whether any bit of layer l's parameters differs from what was last read.
        private bool Changed(int l)
        {
            ReadOnlySpan<int> read = _read[l];
            for (int k = 0; k < 4; k++)
            {
                if (Parameter(l, k) is not { } p) continue;
                var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(p.AsSpan());
                if (!bits.SequenceEqual(read[..bits.Length])) return true;
                read = read[bits.Length..];
            }
            return false;
        }

        private void Read(int l)
        {
            var o = _layer;
            int GH = o.GateCount * o.HiddenSize, H = o.HiddenSize, inF = l == 0 ? o.InputSize : H;
            Transpose(o._wIh[l].Data, WeightIhT[l], GH, inF);
            Transpose(o._wHh[l].Data, WeightHhT[l], GH, H);
            RowTimesMatrix.Pack(WeightHhT[l], GH, GH, H, WeightHhPanels[l]);
            if (o._bIh[l] is { } bIh)
            {
                bIh.Data.CopyTo(InputBias[l], 0);
                if (o.Kind != CellKind.Gru) TensorPrimitives.Add(InputBias[l], o._bHh[l]!.Data, InputBias[l]);
            }
            Span<int> read = _read[l];
            for (int k = 0; k < 4; k++)
            {
                if (Parameter(l, k) is not { } p) continue;
                System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(p.AsSpan()).CopyTo(read);
                read = read[p.Length..];
            }
        }

        // W_ih, W_hh, b_ih, b_hh of layer l (null: no bias)
        private float[]? Parameter(int l, int k) => k switch
        {
            0 => _layer._wIh[l].Data,
            1 => _layer._wHh[l].Data,
            2 => _layer._bIh[l]?.Data,
            _ => _layer._bHh[l]?.Data,
        };
    }

    /// <summary>Buffers of one input shape (T, B); they only grow, so a steady shape allocates nothing.</summary>
    internal sealed class InferenceBuffers(RecurrentBase layer)
    {
        /// <summary>[l] for l &lt; L-1: the output sequence of layer l (T,B,H), the next layer's input.</summary>
        public readonly float[][] LayerOutput = new float[layer.NumLayers][];
        /// <summary>Time-first copy of a batch-first input (T,B,I).</summary>
        public float[] InputT = [];
        /// <summary>Gate pre-activations of a block of steps (rows, G*H).</summary>
        public float[] Gates = [];
        /// <summary>(B,H) each: ping-pong hidden and cell states, tanh(c), the GRU's W_hn h + b_hn, the GRU's hidden projection (B,G*H).</summary>
        public float[] H0 = [], H1 = [], C0 = [], C1 = [], TanhC = [], HiddenN = [], HiddenGates = [];
        /// <summary>The top layer's output sequence time-first (T,B,H) when the user's layout is batch-first.</summary>
        public float[] SequenceT = [];
        /// <summary>Workspace of the tiny-hidden path (it keeps its states per step; no tape entry is made).</summary>
        public RecurrentWorkspace? Tiny;
        /// <summary>A row range's carried states (L, rows, H), gathered from and written back to the caller's (L, B, H).</summary>
        public float[] RangeHidden = [], RangeCell = [];
        /// <summary>The split call's state and its ranges' buffers (<see cref="InferSplit"/>), made on the first split call.</summary>
        public SplitJob? Split;
    }

    /// <summary>
    /// <see cref="InferForward"/> in the layer's own layout: <paramref name="input"/> (T,B,I) or (B,T,I) batch-first,
    /// <paramref name="sequence"/> (T,B,H) or (B,T,H), or empty when only <paramref name="last"/> (B,H) is wanted.
    /// <paramref name="state"/>: lengths and carried states (see <see cref="InferenceState"/>).
    /// </summary>
    internal void InferInLayout(InferenceWeights w, InferenceBuffers buf, ReadOnlySpan<float> input, int T, int B, Span<float> sequence, Span<float> last,
        scoped in InferenceState state = default)
    {
        int I = InputSize, H = HiddenSize;
        // a batch worth two threads runs as row ranges, each over the whole sequence on its own thread
        if (SplitParts(T, B, !state.Lengths.IsEmpty) is int parts and > 1 && InferSplit(w, buf, input, T, B, sequence, last, in state, parts)) return;
        if (!BatchFirst) { InferForward(w, buf, input, T, B, sequence, last, in state); return; }
        ReadOnlySpan<float> x = input;
        if (B > 1 && T > 1)
        {
            RecurrentWorkspace.Grow(ref buf.InputT, T * B * I);
            SwapTimeBatch(input, buf.InputT, B, T, I, accumulate: false);
            x = buf.InputT.AsSpan(0, T * B * I);
        }
        if (sequence.IsEmpty || B == 1 || T == 1) { InferForward(w, buf, x, T, B, sequence, last, in state); return; }
        RecurrentWorkspace.Grow(ref buf.SequenceT, T * B * H);
        var seqT = buf.SequenceT.AsSpan(0, T * B * H);
        InferForward(w, buf, x, T, B, seqT, last, in state);
        SwapTimeBatch(seqT, sequence, T, B, H, accumulate: false);
    }

    /// <summary>
    /// Per-row lengths and carried states of an inference call (every span may be empty). <see cref="Lengths"/> (B): the
    /// valid leading steps of each row, as the layer's <c>lengths</c> (the state stops at a row's last valid step, its
    /// outputs past it are zero). <see cref="Hidden"/> and <see cref="Cell"/> (L, B, H): read as the initial state h0
    /// (c0, LSTM only) when not empty, and overwritten with the final state h_n (c_n); empty: start from zeros.
    /// </summary>
    internal readonly ref struct InferenceState(ReadOnlySpan<int> lengths, Span<float> hidden, Span<float> cell)
    {
        public readonly ReadOnlySpan<int> Lengths = lengths;
        public readonly Span<float> Hidden = hidden, Cell = cell;
    }

    /// <summary>
    /// Runs all layers from zero states (or <paramref name="state"/>'s). <paramref name="x"/> is (T,B,I) time-first. Writes
    /// the top layer's output sequence (T,B,H) into <paramref name="sequence"/> when it is not empty, and its last hidden
    /// state (B,H) into <paramref name="last"/> when that is not empty.
    /// </summary>
    internal void InferForward(InferenceWeights w, InferenceBuffers buf, ReadOnlySpan<float> x, int T, int B, Span<float> sequence, Span<float> last,
        scoped in InferenceState state = default)
        => InferRows(w, buf, x, T, B, B, sequence, B * HiddenSize, last, in state);

    /// <summary>
    /// <see cref="InferForward"/> on <paramref name="B"/> rows of a batch of <paramref name="wholeB"/> (the rows of one
    /// thread, or all): the choices that depend on the batch are made for the whole batch, so a row gets the same bits
    /// in a range as in the whole. Step t of the top layer's output starts at t * <paramref name="sequenceStride"/> of
    /// <paramref name="sequence"/>.
    /// </summary>
    private void InferRows(InferenceWeights w, InferenceBuffers buf, ReadOnlySpan<float> x, int T, int B, int wholeB, Span<float> sequence,
        int sequenceStride, Span<float> last, scoped in InferenceState state)
    {
        int H = HiddenSize, L = NumLayers, GH = GateCount * H, BH = B * H;
        bool hasLengths = !state.Lengths.IsEmpty;
        if (IsTinyShape(hasLengths)) { InferTiny(buf, x, T, B, sequence, last, state.Hidden); return; }
        bool lstm = Kind == CellKind.Lstm, gru = Kind == CellKind.Gru;
        int stepsPerBlock = Math.Clamp(InferenceGateRows / B, 1, T);
        RecurrentWorkspace.Grow(ref buf.Gates, stepsPerBlock * B * GH);
        RecurrentWorkspace.Grow(ref buf.H0, BH); RecurrentWorkspace.Grow(ref buf.H1, BH);
        if (lstm) { RecurrentWorkspace.Grow(ref buf.C0, BH); RecurrentWorkspace.Grow(ref buf.C1, BH); RecurrentWorkspace.Grow(ref buf.TanhC, BH); }
        if (gru) { RecurrentWorkspace.Grow(ref buf.HiddenN, BH); RecurrentWorkspace.Grow(ref buf.HiddenGates, B * GH); }

        ReadOnlySpan<float> input = x;
        for (int l = 0; l < L; l++)
        {
            int inF = l == 0 ? InputSize : H;
            Span<float> y;
            if (l < L - 1) { RecurrentWorkspace.Grow(ref buf.LayerOutput[l], T * BH); y = buf.LayerOutput[l].AsSpan(0, T * BH); }
            else y = sequence;
            var layerState = new LayerState
            {
                Lengths = state.Lengths,
                Hidden = state.Hidden.IsEmpty ? default : state.Hidden.Slice(l * BH, BH),
                Cell = lstm && !state.Cell.IsEmpty ? state.Cell.Slice(l * BH, BH) : default,
            };
            InferLayer(w, buf, l, input, inF, T, B, wholeB, stepsPerBlock, y, l == L - 1 ? sequenceStride : BH, l == L - 1 ? last : default,
                ref layerState);
            input = y;
        }
    }

    /// <summary>One layer's lengths and its slice (B,H) of the carried states (read at the start, written at the end).</summary>
    private ref struct LayerState
    {
        public ReadOnlySpan<int> Lengths;
        public Span<float> Hidden, Cell;
    }

    /// <summary>
    /// One layer over all steps of B rows (of a batch of <paramref name="wholeB"/>): y (T,B,H), step t at t * <paramref name="yStride"/>,
    /// written when not empty; the last state into <paramref name="last"/>.
    /// </summary>
    private void InferLayer(InferenceWeights w, InferenceBuffers buf, int l, ReadOnlySpan<float> x, int inF, int T, int B, int wholeB,
        int stepsPerBlock, Span<float> y, int yStride, Span<float> last, ref LayerState state)
    {
        int H = HiddenSize, GH = GateCount * H, BH = B * H;
        bool lstm = Kind == CellKind.Lstm, gru = Kind == CellKind.Gru;
        ReadOnlySpan<float> wIhT = w.WeightIhT[l], wHhT = w.WeightHhT[l], wHhPanels = w.WeightHhPanels[l], bias = w.InputBias[l];
        ReadOnlySpan<float> bHh = gru && _bHh[l] is { } bh ? bh.Data : default;
        bool fewInputs = FewInputs(inF, T, wholeB);
        int blockSteps = ProjectionBlockSteps(fewInputs, inF, T, B, stepsPerBlock);
        if (!fewInputs) RecurrentWorkspace.Grow(ref buf.Gates, blockSteps * B * GH);
        bool rowProducts = RowProducts(B);
        bool fused = HasFusedInferenceStep;
        Span<float> hA = buf.H0.AsSpan(0, BH), hB = buf.H1.AsSpan(0, BH);
        Span<float> cA = lstm ? buf.C0.AsSpan(0, BH) : default, cB = lstm ? buf.C1.AsSpan(0, BH) : default;
        if (state.Hidden.IsEmpty) hA.Clear(); else state.Hidden.CopyTo(hA);
        if (lstm) { if (state.Cell.IsEmpty) cA.Clear(); else state.Cell.CopyTo(cA); }
        // with lengths, the steps from the shortest length on keep the state of finished rows (the training step's own
        // handling of invalid rows); their outputs are written row by row (zero past a row's length)
        ReadOnlySpan<int> lengths = state.Lengths;
        int minLength = MinLength(lengths, T);
        Span<float> gh = gru ? buf.HiddenGates.AsSpan(0, B * GH) : default;
        Span<float> hPrev = hA, cPrev = cA;

        // the few-inputs projection starts every chain from this row (GH <= 4096 there)
        Span<float> biasRow = fewInputs ? stackalloc float[GH] : default;
        if (fewInputs) { if (bias.IsEmpty) biasRow.Clear(); else bias.CopyTo(biasRow); }
        for (int t0 = 0; t0 < T; t0 += blockSteps)
        {
            int steps = Math.Min(blockSteps, T - t0), rows = steps * B;
            var gates = buf.Gates.AsSpan(0, rows * GH);
            var xBlock = x.Slice(t0 * B * inF, rows * inF);
            if (fewInputs)
                ProjectFewInputs(xBlock, inF, wIhT, biasRow, gates, rows, GH);
            else
            {
                if (!bias.IsEmpty) for (int r = 0; r < rows; r++) bias.CopyTo(gates.Slice(r * GH, GH));
                Gemm.Run(false, false, rows, GH, inF, xBlock, inF, wIhT, GH, gates, GH, accumulate: !bias.IsEmpty);
            }
            for (int s = 0; s < steps; s++)
            {
                int t = t0 + s;
                var g = gates.Slice(s * B * GH, B * GH);
                // (B, GH) += h_{t-1} (B, H) W_hh^T (H, GH); GRU: gh = b_hh + h_{t-1} W_hh^T
                var target = g;
                if (gru)
                {
                    if (!bHh.IsEmpty) for (int b = 0; b < B; b++) bHh.CopyTo(gh.Slice(b * GH, GH));
                    else gh.Clear();
                    target = gh;
                }
                if (rowProducts)
                    for (int b = 0; b < B; b++) RowTimesMatrix.AccumulatePacked(hPrev.Slice(b * H, H), wHhPanels, wHhT, GH, target.Slice(b * GH, GH), GH, H);
                else Gemm.Run(false, false, B, GH, H, hPrev, H, wHhT, GH, target, GH, accumulate: true, sameB: t > 0);
                // h_t straight into the output sequence when there is one (and every row is valid), else into the other
                // ping-pong buffer
                bool allValid = t < minLength;
                Span<float> hCur = !y.IsEmpty && allValid ? y.Slice(t * yStride, BH) : (t % 2 == 0 ? hB : hA);
                Span<float> cCur = lstm ? (t % 2 == 0 ? cB : cA) : default;
                var step = new StepSpans
                {
                    B = B, H = H, T = t, Lengths = lengths, AllValid = allValid, Gates = g, HPrev = hPrev, HCur = hCur,
                    CPrev = lstm ? cPrev : default, CCur = cCur,
                    TanhC = lstm ? buf.TanhC.AsSpan(0, BH) : default,
                    HiddenN = gru ? buf.HiddenN.AsSpan(0, BH) : default,
                    HiddenGates = gh,
                };
                if (fused && allValid) FusedInferenceStep(ref step); else StepForward(ref step);
                if (!allValid && !y.IsEmpty)
                    for (int b = 0; b < B; b++)
                    {
                        var dst = y.Slice(t * yStride + b * H, H);
                        if (t < lengths[b]) hCur.Slice(b * H, H).CopyTo(dst); else dst.Clear();
                    }
                hPrev = hCur; cPrev = cCur;
            }
        }
        if (!last.IsEmpty) hPrev.CopyTo(last);
        if (!state.Hidden.IsEmpty) hPrev.CopyTo(state.Hidden);
        if (!state.Cell.IsEmpty) cPrev.CopyTo(state.Cell);
    }

    /// <summary>The training forward's choice of the few-inputs projection, made on the whole sequence of the whole batch (a row's values do not depend on the others').</summary>
    private bool FewInputs(int inF, int T, int wholeB)
    {
        int GH = GateCount * HiddenSize;
        return inF <= 4 && GH is >= 8 and <= 4096 && (long)T * wholeB * GH * inF > 512 && FastPaths.On(FastPath.FewInputProjection);
    }

    /// <summary>
    /// Steps per input-projection block for B rows: a GEMM projection is cut into blocks only when every block takes the
    /// packed kernel (the smallest block, the last, has at least one step: B rows), which then gives the bits of the whole.
    /// </summary>
    private int ProjectionBlockSteps(bool fewInputs, int inF, int T, int B, int stepsPerBlock) =>
        fewInputs || Gemm.RowLoop(B, GateCount * HiddenSize, inF) == Gemm.PackedLoop ? stepsPerBlock : T;

    /// <summary>A few rows: the GEMM would take its one-row loop (m &lt; 4, n &gt;= 8, more than 512 multiply-adds); the same chains, wider.</summary>
    private bool RowProducts(int B)
    {
        int GH = GateCount * HiddenSize;
        return B < 4 && GH >= 8 && (long)B * GH * HiddenSize > 512;
    }

    /// <summary>The tiny-hidden Elman path without a tape: the training forward's own loop on a private workspace.</summary>
    private void InferTiny(InferenceBuffers buf, ReadOnlySpan<float> x, int T, int B, Span<float> sequence, Span<float> last, Span<float> hidden)
    {
        var ws = buf.Tiny ??= new RecurrentWorkspace(this);
        ws.Ensure(T, B);
        ws.HasLengths = false;
        int H = HiddenSize, L = NumLayers, BH = B * H;
        ReadOnlySpan<float> input = x;
        for (int l = 0; l < L; l++)
        {
            int inF = l == 0 ? InputSize : H;
            Span<float> y;
            if (l < L - 1 || sequence.IsEmpty)
            {
                RecurrentWorkspace.Grow(ref buf.LayerOutput[l], T * BH);
                y = buf.LayerOutput[l].AsSpan(0, T * BH);
            }
            else y = sequence;
            ForwardTiny(ws, l, input, inF, y, hidden.IsEmpty ? default : hidden.Slice(l * BH, BH));
            input = y;
            if (!hidden.IsEmpty) y.Slice((T - 1) * BH, BH).CopyTo(hidden.Slice(l * BH, BH));
        }
        if (!last.IsEmpty) input.Slice((T - 1) * BH, BH).CopyTo(last);
    }

    /// <summary>The tiny-path test of <see cref="IsTiny"/> without a workspace.</summary>
    private bool IsTinyShape(bool hasLengths) =>
        Kind is CellKind.RnnTanh or CellKind.RnnRelu && NumDirections == 1 && !hasLengths && HiddenSize is >= 2 and < 8
        && FastPaths.On(FastPath.TinyRecurrent);
}
