using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// The inference path on several threads: the rows of a batch are independent through the whole sequence, so the batch
/// is cut into row ranges (one per <see cref="KernelThreads"/> thread) and each range runs every layer and step on its
/// own thread, joined once at the end (not once per step and product, as the GEMM's own split would). A range is cut
/// only where every product of the range takes the loop the whole batch's product takes (<see cref="Gemm.RowLoop"/>),
/// and every choice that depends on the batch is made for the whole batch, so each row gets the same bits on any thread
/// count, and the same as the layer's <c>Forward</c>.
/// </summary>
public abstract partial class RecurrentBase
{
    /// <summary>
    /// Ranges start at multiples of this many rows, and have at least as many: the packed GEMM's register tile is 8 rows
    /// (a range of 4 rows would pay for 8 in every per-step product), and the per-step product keeps its many-row loop.
    /// </summary>
    private const int SplitRowUnit = 8;

    /// <summary>
    /// Multiply-adds of a call (all layers and steps) from which the batch is split. Measured on the LSTM(1,64) at batch
    /// 16, load 3-4 (<c>inferprof lstm 16 1 1|2 T</c>): two threads took 0.85x the time of one at 0.5M multiply-adds (T=2),
    /// 0.83x at 1M, 0.66-0.95x at 2M; under load a split call can wait for the second thread, so small calls stay whole.
    /// </summary>
    internal const long SplitThreshold = 1L << 20;

    /// <summary>This thread's threshold in place of <see cref="SplitThreshold"/> when positive (tests split small shapes with 1).</summary>
    [ThreadStatic] internal static long SplitThresholdOverride;

    /// <summary>How many row ranges a call of T steps and B rows (with or without lengths) runs as (1: not split).</summary>
    internal int SplitParts(int T, int B, bool hasLengths = false)
    {
        int parts = Math.Min(KernelThreads.Count, B / SplitRowUnit);
        if (parts < 2 || !SupportsInference || IsTinyShape(hasLengths)) return 1;
        int H = HiddenSize, GH = GateCount * H;
        long work = 0;
        for (int l = 0; l < NumLayers; l++) work += (long)T * B * GH * ((l == 0 ? InputSize : H) + H);
        if (work < (SplitThresholdOverride > 0 ? SplitThresholdOverride : SplitThreshold)) return 1;
        // every range must take the whole batch's loops
        for (int p = 0; p < parts; p++)
            if (!RangeKeepsBits(T, B, RangeStart(B, parts, p + 1) - RangeStart(B, parts, p))) return 1;
        return parts;
    }

    /// <summary>First row of range <paramref name="part"/> of <paramref name="parts"/> (B for part = parts): near B part / parts, a multiple of 8 rows.</summary>
    internal static int RangeStart(int B, int parts, int part) =>
        part >= parts ? B : (int)((long)B * part / parts / SplitRowUnit) * SplitRowUnit;

    /// <summary>Whether rows computed B at a time and <paramref name="rows"/> at a time get the same bits, layer by layer.</summary>
    private bool RangeKeepsBits(int T, int B, int rows)
    {
        int H = HiddenSize, GH = GateCount * H;
        if (RowProducts(rows) != RowProducts(B) || Gemm.RowLoop(rows, GH, H) != Gemm.RowLoop(B, GH, H)) return false;
        for (int l = 0; l < NumLayers; l++)
        {
            int inF = l == 0 ? InputSize : H;
            if (FewInputs(inF, T, B)) continue;
            // the whole batch's projection (the training forward's one product over T*B rows) against the range's blocks
            int whole = Gemm.RowLoop((long)T * B, GH, inF);
            int steps = ProjectionBlockSteps(false, inF, T, rows, Math.Clamp(InferenceGateRows / rows, 1, T));
            if (Gemm.RowLoop((long)steps * rows, GH, inF) != whole) return false;
            if (T % steps != 0 && Gemm.RowLoop((long)(T % steps) * rows, GH, inF) != whole) return false;
        }
        return true;
    }

    /// <summary>One split call: the caller's spans as pointers (pinned while the call runs), the ranges' buffers.</summary>
    internal sealed unsafe class SplitJob(RecurrentBase layer)
    {
        public readonly RecurrentBase Layer = layer;
        public InferenceWeights? Weights;
        public InferenceBuffers[] Parts = [];
        public float* Input, Sequence, Last, Hidden, Cell;
        public int* Lengths;
        public int T, B, PartCount;
        public bool HasSequence, HasLast, HasLengths, HasHidden, HasCell;
        /// <summary>The calling thread's fast-path switches, applied on the thread that runs a range.</summary>
        public FastPath Disabled;
        public int MaxVectorBits;
        /// <summary>Calls that ran split (a test's evidence that the split path ran).</summary>
        public int Runs;
    }

    /// <summary>
    /// <see cref="InferInLayout"/> as <paramref name="parts"/> row ranges on the kernel threads; false (nothing done) when
    /// the threads are busy with another parallel kernel.
    /// </summary>
    private unsafe bool InferSplit(InferenceWeights w, InferenceBuffers buf, ReadOnlySpan<float> input, int T, int B, Span<float> sequence,
        Span<float> last, scoped in InferenceState state, int parts)
    {
        var job = buf.Split ??= new SplitJob(this);
        if (job.Parts.Length < parts)
        {
            var grown = new InferenceBuffers[parts];
            job.Parts.CopyTo(grown, 0);
            for (int p = job.Parts.Length; p < parts; p++) grown[p] = new InferenceBuffers(this);
            job.Parts = grown;
        }
        if (!KernelThreads.TryBegin()) return false;
        fixed (float* x = input, seq = sequence, lst = last, hid = state.Hidden, cel = state.Cell)
        fixed (int* len = state.Lengths)
        {
            job.Weights = w; job.T = T; job.B = B; job.PartCount = parts;
            job.Input = x; job.Sequence = seq; job.Last = lst; job.Hidden = hid; job.Cell = cel; job.Lengths = len;
            job.HasSequence = !sequence.IsEmpty; job.HasLast = !last.IsEmpty; job.HasLengths = !state.Lengths.IsEmpty;
            job.HasHidden = !state.Hidden.IsEmpty; job.HasCell = !state.Cell.IsEmpty;
            job.Disabled = FastPaths.Disabled; job.MaxVectorBits = FastPaths.MaxVectorBits;
            var handle = GCHandle.Alloc(job);
            try { KernelThreads.Execute(&RunRange, (void*)GCHandle.ToIntPtr(handle), parts); job.Runs++; }
            finally { handle.Free(); job.Weights = null; }
        }
        return true;
    }

    private static unsafe void RunRange(void* state, int part)
    {
        var job = (SplitJob)GCHandle.FromIntPtr((IntPtr)state).Target!;
        var (disabled, maxBits) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
        FastPaths.Disabled = job.Disabled; FastPaths.MaxVectorBits = job.MaxVectorBits;
        try { job.Layer.InferRange(job, part); }
        finally { FastPaths.Disabled = disabled; FastPaths.MaxVectorBits = maxBits; }
    }

    /// <summary>Rows b0..b1 of a split call: their input gathered time-first, their states, every layer and step, their outputs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe void InferRange(SplitJob job, int part)
    {
        int T = job.T, B = job.B, I = InputSize, H = HiddenSize, L = NumLayers;
        int b0 = RangeStart(B, job.PartCount, part), b1 = RangeStart(B, job.PartCount, part + 1), rows = b1 - b0;
        var buf = job.Parts[part];
        // input rows b0..b1, time-first (T, rows, I)
        var input = new ReadOnlySpan<float>(job.Input, T * B * I);
        RecurrentWorkspace.Grow(ref buf.InputT, T * rows * I);
        var x = buf.InputT.AsSpan(0, T * rows * I);
        if (BatchFirst) SwapTimeBatch(input.Slice(b0 * T * I, rows * T * I), x, rows, T, I, accumulate: false);
        else for (int t = 0; t < T; t++) input.Slice((t * B + b0) * I, rows * I).CopyTo(x.Slice(t * rows * I));
        // carried states (L, B, H): the range's rows of every layer
        Span<float> hidden = default, cell = default;
        if (job.HasHidden) hidden = GatherState(ref buf.RangeHidden, job.Hidden, B, b0, rows);
        if (job.HasCell) cell = GatherState(ref buf.RangeCell, job.Cell, B, b0, rows);
        var state = new InferenceState(job.HasLengths ? new ReadOnlySpan<int>(job.Lengths + b0, rows) : default, hidden, cell);
        var last = job.HasLast ? new Span<float>(job.Last + b0 * H, rows * H) : default;
        if (!job.HasSequence) InferRows(job.Weights!, buf, x, T, rows, B, default, rows * H, last, in state);
        else if (!BatchFirst)
            // straight into the caller's (T, B, H): step t of the range at t*B*H + b0*H
            InferRows(job.Weights!, buf, x, T, rows, B, new Span<float>(job.Sequence + b0 * H, (T - 1) * B * H + rows * H), B * H, last, in state);
        else
        {
            RecurrentWorkspace.Grow(ref buf.SequenceT, T * rows * H);
            var seqT = buf.SequenceT.AsSpan(0, T * rows * H);
            InferRows(job.Weights!, buf, x, T, rows, B, seqT, rows * H, last, in state);
            SwapTimeBatch(seqT, new Span<float>(job.Sequence + b0 * T * H, rows * T * H), T, rows, H, accumulate: false);
        }
        for (int l = 0; l < L; l++)
        {
            if (job.HasHidden) hidden.Slice(l * rows * H, rows * H).CopyTo(new Span<float>(job.Hidden + (l * B + b0) * H, rows * H));
            if (job.HasCell) cell.Slice(l * rows * H, rows * H).CopyTo(new Span<float>(job.Cell + (l * B + b0) * H, rows * H));
        }
    }

    /// <summary>Rows b0..b0+rows of every layer of a state (L, B, H) into <paramref name="buffer"/> (L, rows, H).</summary>
    private unsafe Span<float> GatherState(ref float[] buffer, float* state, int B, int b0, int rows)
    {
        int H = HiddenSize, L = NumLayers;
        RecurrentWorkspace.Grow(ref buffer, L * rows * H);
        var range = buffer.AsSpan(0, L * rows * H);
        for (int l = 0; l < L; l++) new ReadOnlySpan<float>(state + (l * B + b0) * H, rows * H).CopyTo(range.Slice(l * rows * H));
        return range;
    }
}
