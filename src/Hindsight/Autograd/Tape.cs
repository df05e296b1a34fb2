namespace Hindsight.Autograd;

/// <summary>Backward rule of one recorded operation: reads the output gradients and adds into the inputs' gradients.</summary>
internal delegate void BackwardFn(in TapeEntry entry);

/// <summary>
/// One recorded operation: up to three outputs, up to three inputs, two integer arguments and an optional
/// context object (a fused layer keeps its saved activations there). A struct, so recording does not allocate.
/// </summary>
internal readonly struct TapeEntry(BackwardFn backward, Tensor output, Tensor? a = null, Tensor? b = null, Tensor? c = null,
    int i0 = 0, int i1 = 0, object? context = null, Tensor? output2 = null, Tensor? output3 = null)
{
    public readonly BackwardFn Backward = backward;
    public readonly Tensor Output = output;
    public readonly Tensor? Output2 = output2;
    public readonly Tensor? Output3 = output3;
    public readonly Tensor? A = a;
    public readonly Tensor? B = b;
    public readonly Tensor? C = c;
    public readonly int I0 = i0;
    public readonly int I1 = i1;
    public readonly object? Context = context;
}

/// <summary>
/// The autograd tape of the current thread (reverse-mode automatic differentiation, as PyTorch's autograd).
/// Operations whose inputs require gradients append an entry; <see cref="Backward"/> walks the entries in
/// reverse once, then clears the tape (PyTorch frees the graph the same way unless <c>retain_graph</c>).
/// </summary>
public static class Tape
{
    [ThreadStatic] private static List<TapeEntry>? _entries;
    [ThreadStatic] private static int _noGradDepth;
    [ThreadStatic] private static int _pass;
    [ThreadStatic] private static long _generation;

    /// <summary>
    /// Increments whenever the tape is emptied (by <see cref="Backward"/> or <see cref="Clear"/>). A fused layer that
    /// saved activations for its backward at generation g may reuse that workspace once the generation is past g.
    /// </summary>
    internal static long Generation => _generation;

    private static List<TapeEntry> Entries => _entries ??= new List<TapeEntry>(256);

    internal static int CurrentPass => _pass;

    /// <summary>Whether operations are being recorded on this thread (false inside <see cref="NoGrad"/>).</summary>
    public static bool IsRecording => _noGradDepth == 0;

    /// <summary>Number of recorded operations waiting for a backward pass.</summary>
    public static int Count => Entries.Count;

    /// <summary>Whether an op with these inputs must be recorded.</summary>
    internal static bool ShouldRecord(Tensor? a, Tensor? b = null, Tensor? c = null) =>
        _noGradDepth == 0 && ((a?.RequiresGrad ?? false) || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    internal static void Record(in TapeEntry entry)
    {
        entry.Output.MarkOpOutput();
        entry.Output2?.MarkOpOutput();
        entry.Output3?.MarkOpOutput();
        Entries.Add(entry);
    }

    /// <summary>
    /// Records a user-defined operation whose backward is <paramref name="backward"/>: it reads
    /// <c>output.Grad</c>-style buffers through <see cref="OutputGrad"/> and adds into inputs with <see cref="InputGrad"/>.
    /// </summary>
    public static void RecordCustom(Tensor output, Action backward)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(backward);
        if (_noGradDepth != 0) return;
        Record(new TapeEntry(static (in TapeEntry e) => ((Action)e.Context!)(), output, context: backward));
    }

    /// <summary>During a backward pass: the gradient flowing into <paramref name="output"/> (zeros if none reached it).</summary>
    public static ReadOnlySpan<float> OutputGrad(Tensor output) => output.HasGradInPass ? output.GradData : output.GradForAccumulate();

    /// <summary>During a backward pass: the gradient buffer of <paramref name="input"/> to add into, or empty if it needs none.</summary>
    public static Span<float> InputGrad(Tensor input) => input.RequiresGrad ? input.GradForAccumulate() : Span<float>.Empty;

    /// <summary>
    /// Back-propagates from the scalar <paramref name="loss"/> (gradient 1) through every recorded operation it
    /// depends on, adding into the gradients of leaf tensors that require them, then clears the tape.
    /// </summary>
    public static void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Length != 1)
            throw new InvalidOperationException($"Backward: the loss must have one element, got shape {loss.ShapeString}.");
        if (!loss.RequiresGrad)
            throw new InvalidOperationException("Backward: the loss does not require gradients (no parameter or input with RequiresGrad reached it, or it was computed under NoGrad).");
        var entries = Entries;
        if (!loss.IsLeaf && !IsRecordedOutput(entries, loss))
            throw new InvalidOperationException("Backward: the tape is empty; the graph of this loss was already used by an earlier Backward (retain_graph is not supported).");
        _pass++;
        loss.GradForAccumulate()[0] += 1f;
        try
        {
            for (int i = entries.Count - 1; i >= 0; i--)
            {
                var e = entries[i];
                if (!(e.Output.HasGradInPass || (e.Output2?.HasGradInPass ?? false) || (e.Output3?.HasGradInPass ?? false))) continue;
                // Outputs that received no gradient are read as zeros.
                e.Output.GradForAccumulate();
                e.Output2?.GradForAccumulate();
                e.Output3?.GradForAccumulate();
                e.Backward(in e);
            }
        }
        finally
        {
            entries.Clear();
            _generation++;
        }
    }

    /// <summary>Whether <paramref name="t"/> is the output of a recorded entry (searched from the end, where a loss usually is).</summary>
    private static bool IsRecordedOutput(List<TapeEntry> entries, Tensor t)
    {
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            var e = entries[i];
            if (ReferenceEquals(e.Output, t) || ReferenceEquals(e.Output2, t) || ReferenceEquals(e.Output3, t)) return true;
        }
        return false;
    }

    /// <summary>Drops every recorded operation without back-propagating (for example after an evaluation forward).</summary>
    public static void Clear() { Entries.Clear(); _generation++; }

    /// <summary>Disables recording until disposed (PyTorch's <c>torch.no_grad()</c>).</summary>
    public static NoGradScope NoGrad() { _noGradDepth++; return new NoGradScope(); }

    /// <summary>Scope returned by <see cref="NoGrad"/>.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Re-enables recording.</summary>
        public void Dispose() { if (_noGradDepth > 0) _noGradDepth--; }
    }
}
