using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// The state a recurrent layer starts from and ends in (PyTorch's <c>hx</c>: <c>h</c> for <c>nn.RNN</c>/<c>nn.GRU</c>,
/// the pair <c>(h, c)</c> for <c>nn.LSTM</c>). <see cref="H"/> is (L*D, B, H) for <see cref="Rnn"/>, <see cref="Lstm"/>
/// and <see cref="Gru"/>, and the fed-back outputs (L, B, O) for <see cref="Jordan"/>; <see cref="C"/> is the LSTM
/// cell state (L*D, B, H), null for every other cell. A tensor converts to a state without a cell
/// (<c>gru.Forward(x, h0)</c>); as input to an <see cref="Lstm"/>, a null <see cref="C"/> means zeros.
/// A value type, so a steady-state training step allocates nothing for it; <c>default</c> (H null) means zeros too.
/// </summary>
/// <param name="H">The hidden state (Jordan: the last outputs).</param>
/// <param name="C">The LSTM cell state, or null.</param>
public readonly record struct HiddenState(Tensor H, Tensor? C = null)
{
    /// <summary>The hidden state.</summary>
    public Tensor H { get; } = H ?? throw new ArgumentNullException(nameof(H));

    /// <summary>A state without a cell (<c>null</c> stays null: start from zeros).</summary>
    public static implicit operator HiddenState?(Tensor? h) => h is null ? null : new HiddenState(h);

    /// <summary>The same values cut from the tape (PyTorch's <c>h.detach()</c>, and <c>c.detach()</c>).</summary>
    public HiddenState Detach() => new(H.Detach(), C?.Detach());
}

/// <summary>
/// What <see cref="RecurrentLayer.Forward(Tensor, HiddenState?, int[])"/> returns: the output sequence and the final
/// state. Deconstructs as <c>var (y, state) = m.Forward(x, state)</c>, or as <c>var (y, h, c) = lstm.Forward(x)</c>
/// (c null for cells without one).
/// </summary>
/// <param name="Output">(T, B, F) or (B, T, F) with batch-first; F = <see cref="RecurrentLayer.OutputSize"/>.</param>
/// <param name="State">The final state: each sequence's state at its last valid step.</param>
public readonly record struct RecurrentOutput(Tensor Output, HiddenState State)
{
    /// <summary>The final hidden state, <c>State.H</c> (PyTorch's <c>h_n</c>; Jordan: the last outputs).</summary>
    public Tensor Hidden => State.H;

    /// <summary>The final LSTM cell state, <c>State.C</c> (PyTorch's <c>c_n</c>), null for other cells.</summary>
    public Tensor? Cell => State.C;

    /// <summary>Output, hidden state and cell state (null except for an LSTM).</summary>
    public void Deconstruct(out Tensor output, out Tensor hidden, out Tensor? cell)
    {
        output = Output; hidden = State.H; cell = State.C;
    }
}

/// <summary>
/// Base of every sequence layer, <see cref="Rnn"/>, <see cref="Lstm"/>, <see cref="Gru"/> and <see cref="Jordan"/>:
/// one call, <c>Forward(x, state, lengths)</c> (PyTorch's <c>module(x, hx)</c>), so user code is written once for every
/// cell:
/// <code>
/// static Tensor Run(RecurrentLayer m, Tensor x) => m.Forward(x).Output;
/// var (y, state) = m.Forward(x, state, lengths);   // any cell
/// </code>
/// As a <see cref="Layer"/> it can sit in a <see cref="Sequential"/>, where it passes on its output sequence only
/// and starts from zeros (PyTorch users write a small wrapper module for that).
/// The layer keeps no state between calls; see <see cref="RecurrentState"/> for carrying it across batches.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private protected RecurrentLayer() { }

    /// <summary>Features per time step of the input.</summary>
    public abstract int InputSize { get; }

    /// <summary>Features per time step of the output (D*H for Rnn, Lstm and Gru; O for Jordan).</summary>
    public abstract int OutputSize { get; }

    /// <summary>Number of stacked layers.</summary>
    public abstract int NumLayers { get; }

    /// <summary>Input and output are (batch, seq, feature) instead of (seq, batch, feature).</summary>
    public abstract bool BatchFirst { get; }

    /// <summary>
    /// Runs the sequence. <paramref name="input"/> is (T, B, I), or (B, T, I) when batch-first. <paramref name="state"/>
    /// is the initial state (shapes in <see cref="HiddenState"/>), or null for zeros. <paramref name="lengths"/>, one per
    /// batch element, each 1..T, gives PyTorch's <c>pack_padded_sequence</c> semantics without packing or sorting:
    /// steps past a sequence's length output zeros and leave its state unchanged, so the returned state is each
    /// sequence's state at its own last valid step. Returns the output (T, B, F) / (B, T, F) and the final state.
    /// Errors (<see cref="ArgumentException"/>) name the argument (<c>input</c>, <c>h0</c>, <c>c0</c>, <c>lengths</c>) and the shapes.
    /// </summary>
    public RecurrentOutput Forward(Tensor input, HiddenState? state = null, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ForwardSequence(input, state, lengths);
    }

    /// <summary>The output sequence only, from a zero state (how <see cref="Sequential"/> calls the layer).</summary>
    public sealed override Tensor Forward(Tensor input) => Forward(input, null, null).Output;

    /// <summary>The cell's forward; arguments as <see cref="Forward(Tensor, HiddenState?, int[])"/>, input not null.</summary>
    private protected abstract RecurrentOutput ForwardSequence(Tensor input, HiddenState? state, int[]? lengths);

    /// <summary>
    /// Checks <paramref name="lengths"/> against the batch: one entry per batch element, each 1..T (the same rule for
    /// every cell, as <c>pack_padded_sequence</c>, which rejects empty sequences).
    /// </summary>
    private protected static void ValidateLengths(string op, int[]? lengths, int T, int B, Tensor input)
    {
        if (lengths is null) return;
        if (lengths.Length != B)
            throw new ArgumentException($"{op}: lengths has {lengths.Length} entries; expected one per batch element ({B}) of input {input.ShapeString}.", nameof(lengths));
        for (int b = 0; b < B; b++)
            if (lengths[b] < 1 || lengths[b] > T)
                throw new ArgumentException($"{op}: lengths[{b}] = {lengths[b]} is out of range 1..{T} (seq_len of input {input.ShapeString}).", nameof(lengths));
    }

    /// <summary>
    /// (A, Bd, C) to (Bd, A, C): <c>dst[b, a, :] (=|+=) src[a, b, :]</c>. Turns batch-first into time-first and back
    /// (the one copy every recurrent layer uses).
    /// </summary>
    internal static void SwapTimeBatch(ReadOnlySpan<float> src, Span<float> dst, int a, int bd, int c, bool accumulate)
    {
        if (c == 1)
        {
            // one feature (W1): a plain transpose of an (a, bd) matrix
            src = src.Slice(0, a * bd); dst = dst.Slice(0, a * bd);
            for (int i = 0; i < a; i++)
            {
                var row = src.Slice(i * bd, bd);
                if (accumulate) for (int j = 0; j < row.Length; j++) dst[j * a + i] += row[j];
                else for (int j = 0; j < row.Length; j++) dst[j * a + i] = row[j];
            }
            return;
        }
        for (int i = 0; i < a; i++)
            for (int j = 0; j < bd; j++)
            {
                int si = (i * bd + j) * c, di = (j * a + i) * c;
                if (c < 16)
                {
                    // short rows: a scalar loop beats a call per row
                    if (accumulate) for (int k = 0; k < c; k++) dst[di + k] += src[si + k];
                    else for (int k = 0; k < c; k++) dst[di + k] = src[si + k];
                }
                else if (accumulate) TensorPrimitives.Add(dst.Slice(di, c), src.Slice(si, c), dst.Slice(di, c));
                else src.Slice(si, c).CopyTo(dst.Slice(di, c));
            }
    }
}

/// <summary>
/// The workspace rule shared by every recurrent layer: a forward takes the first workspace that no pending tape
/// entry needs (never recorded, or the tape was emptied since), else adds a new one; so steady-state training
/// reuses one workspace and two forwards recorded before one backward each keep their own.
/// </summary>
internal sealed class WorkspacePool<TWorkspace> where TWorkspace : class, IRecurrentWorkspace
{
    private readonly List<TWorkspace> _items = [];

    /// <summary>Workspaces held.</summary>
    public int Count => _items.Count;

    /// <summary>A free workspace (replaced by <paramref name="create"/> when it cannot take the shape), or a new one.</summary>
    /// <remarks>Pass static lambdas and the values they need as <paramref name="arg"/>, so a call allocates nothing.</remarks>
    public TWorkspace Acquire<TArg>(TArg arg, Func<TArg, TWorkspace> create, Func<TWorkspace, TArg, bool>? fits = null)
    {
        for (int i = 0; i < _items.Count; i++)
            if (_items[i].IsFree)
                return fits is null || fits(_items[i], arg) ? _items[i] : _items[i] = create(arg);
        var ws = create(arg);
        _items.Add(ws);
        return ws;
    }
}

/// <summary>A workspace that knows whether a pending tape entry still needs its buffers.</summary>
internal interface IRecurrentWorkspace
{
    /// <summary>Whether a new forward may overwrite the buffers.</summary>
    bool IsFree { get; }
}
