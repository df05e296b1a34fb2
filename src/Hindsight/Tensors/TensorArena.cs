namespace Hindsight.Tensors;

/// <summary>
/// Opt-in reuse of operation outputs across training steps, so a steady-state step allocates nothing.
/// Inside <see cref="Step"/>, every tensor an operation or layer creates (through the engine's single allocation
/// point) is taken from this arena in call order: the i-th output of a step reuses the i-th output of the previous
/// step when its shape matches. A training loop repeats the same sequence of operations, so after the first step
/// no new tensors or buffers are created.
/// </summary>
/// <remarks>
/// <para><b>The rule:</b> a tensor produced by an operation inside a step scope is valid until the next
/// <see cref="Step"/> of the same arena begins; it is then overwritten. Copy what you want to keep
/// (<see cref="Tensor.Clone"/>, <see cref="Tensor.Item"/>) before the next step. Tensors you create yourself
/// (<c>new Tensor</c>, <see cref="Tensor.Zeros"/>, parameters, optimizer state) are never recycled, and outside a
/// step scope every operation allocates fresh outputs as usual, so code that does not opt in is unaffected.</para>
/// <para>Run the whole step (forward, loss, backward, optimizer step) inside the scope. Disposing the scope drops
/// whatever is still on the tape, since those entries refer to tensors the next step will overwrite.
/// Scopes do not nest; an arena belongs to the thread that uses it.</para>
/// <example><code>
/// var arena = new TensorArena();
/// for (int step = 0; step &lt; steps; step++)
/// {
///     using var _ = arena.Step();
///     var loss = Ops.MseLoss(model.Forward(x), y);
///     optimizer.ZeroGrad(); loss.Backward(); optimizer.Step();
///     lastLoss = loss.Item();
/// }
/// </code></example>
/// </remarks>
public sealed class TensorArena
{
    [ThreadStatic] private static TensorArena? _current;

    private readonly List<Tensor> _tensors = [];
    private readonly List<float[]> _floats = [];
    private readonly List<int[]> _ints = [];
    private int _nextTensor, _nextFloat, _nextInt;

    /// <summary>The arena of the step scope open on this thread, if any.</summary>
    internal static TensorArena? Current => _current;

    /// <summary>Number of tensors the arena holds (the outputs of one step once warmed up).</summary>
    public int TensorCount => _tensors.Count;

    /// <summary>Begins a step: outputs of the previous step of this arena are recycled from now on.</summary>
    public StepScope Step()
    {
        if (_current is not null)
            throw new InvalidOperationException("TensorArena.Step: a step scope is already open on this thread; dispose it first (scopes do not nest).");
        _nextTensor = _nextFloat = _nextInt = 0;
        _current = this;
        return new StepScope(this);
    }

    /// <summary>An op output of <paramref name="shape"/>, zero-filled, recycled when possible.</summary>
    internal Tensor Take(ReadOnlySpan<int> shape)
    {
        if (_nextTensor < _tensors.Count)
        {
            var t = _tensors[_nextTensor];
            if (t.Shape.SequenceEqual(shape) && !t.IsView)
            {
                _nextTensor++;
                t.ResetForReuse();
                Array.Clear(t.Data);
                return t;
            }
            var fresh = new Tensor(shape.ToArray());
            _tensors[_nextTensor++] = fresh;
            return fresh;
        }
        var added = new Tensor(shape.ToArray());
        _tensors.Add(added);
        _nextTensor++;
        return added;
    }

    /// <summary>A tensor sharing <paramref name="data"/> with a new shape (reshape), recycled when possible.</summary>
    internal Tensor TakeView(float[] data, ReadOnlySpan<int> shape)
    {
        if (_nextTensor < _tensors.Count)
        {
            var t = _tensors[_nextTensor];
            if (ReferenceEquals(t.Data, data) && t.Shape.SequenceEqual(shape))
            {
                _nextTensor++;
                t.ResetForReuse();
                return t;
            }
            var fresh = Tensor.NewView(data, shape);
            _tensors[_nextTensor++] = fresh;
            return fresh;
        }
        var added = Tensor.NewView(data, shape);
        _tensors.Add(added);
        _nextTensor++;
        return added;
    }

    /// <summary>A float buffer of exactly <paramref name="length"/> (contents unspecified) that lives until the next step.</summary>
    internal float[] TakeFloats(int length) => TakeArray(_floats, ref _nextFloat, length);

    /// <summary>An int buffer of exactly <paramref name="length"/> (contents unspecified) that lives until the next step.</summary>
    internal int[] TakeInts(int length) => TakeArray(_ints, ref _nextInt, length);

    private static T[] TakeArray<T>(List<T[]> pool, ref int next, int length)
    {
        if (next < pool.Count && pool[next].Length == length) return pool[next++];
        var fresh = new T[length];
        if (next < pool.Count) pool[next] = fresh; else pool.Add(fresh);
        next++;
        return fresh;
    }

    private void End()
    {
        if (!ReferenceEquals(_current, this)) return;
        _current = null;
        if (Tape.Count > 0) Tape.Clear();
    }

    /// <summary>The scope returned by <see cref="Step"/>; disposing it ends the step.</summary>
    public readonly struct StepScope : IDisposable
    {
        private readonly TensorArena _arena;
        internal StepScope(TensorArena arena) => _arena = arena;
        /// <summary>Ends the step (outputs stay readable until the arena's next step begins).</summary>
        public void Dispose() => _arena?.End();
    }
}
