namespace Hindsight.Layers.Recurrent;

/// <summary>
/// The carried state of stateful training with truncated backpropagation through time (Keras' <c>stateful=True</c>,
/// made explicit). Pass <see cref="State"/> as the next batch's initial state, then <see cref="Carry(HiddenState)"/>
/// the batch's final state: it is kept detached, so the next forward starts where this one ended while gradients
/// stop at the batch boundary. The same loop serves every cell (<see cref="Rnn"/>, <see cref="Lstm"/>,
/// <see cref="Gru"/>, <see cref="Jordan"/>):
/// <code>
/// var (y, final) = layer.Forward(chunk, carried.State);
/// ...
/// carried.Carry(final);
/// </code>
/// <para>
/// When state resets: only when <see cref="Reset"/> is called (or null is passed as the initial state); then the next
/// forward starts from zeros. Nothing resets it implicitly: not a new epoch, not <c>Train()</c>/<c>Eval()</c>, not the
/// optimizer. Call <see cref="Reset"/> whenever the next batch does not continue the previous one (start of an epoch,
/// a new independent series, a shuffled batch). A batch of a different size cannot continue: the layer rejects the
/// carried state with an <see cref="ArgumentException"/> naming h0 and both shapes, so reset first.
/// </para>
/// </summary>
public sealed class RecurrentState
{
    /// <summary>The hidden state to start the next batch from (L*D, B, H), or null for zeros.</summary>
    public Tensor? Hidden { get; private set; }

    /// <summary>The LSTM cell state to start the next batch from, or null for zeros.</summary>
    public Tensor? Cell { get; private set; }

    /// <summary>The state to start the next batch from (<see cref="Hidden"/> and <see cref="Cell"/>), or null for zeros.</summary>
    public HiddenState? State => Hidden is null ? null : new HiddenState(Hidden, Cell);

    /// <summary>Keeps detached copies of the final states of a batch (PyTorch's <c>h_n.detach()</c>).</summary>
    public void Carry(Tensor hidden, Tensor? cell = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Hidden = hidden.Detach();
        Cell = cell?.Detach();
    }

    /// <summary>Keeps a detached copy of a batch's final state (what <c>Forward</c> returned as its state).</summary>
    public void Carry(HiddenState state) => Carry(state.H, state.C);

    /// <summary>Forgets the carried state: the next forward starts from zeros.</summary>
    public void Reset()
    {
        Hidden = null;
        Cell = null;
    }
}
