using Hindsight.Inference;

namespace Hindsight.Text;

/// <summary>
/// Forward-only execution of a <see cref="CharLanguageModel"/> that carries its state from call to call (generation one
/// letter at a time, or a long text read in chunks): a <see cref="RecurrentPredictor"/> with the head on every step, its
/// hidden (and LSTM cell) state kept here. No tape; buffers sized once per shape (a call with a shape seen before
/// allocates nothing). The logits are the bits of <see cref="CharLanguageModel.Forward"/> with a
/// <see cref="Layers.Recurrent.RecurrentState"/> carried the same way. The weights are read when the predictor is made.
/// One predictor serves one thread at a time.
/// </summary>
public sealed class CharModelPredictor
{
    private readonly RecurrentPredictor _predictor;
    private readonly float[] _hidden, _cell;
    private float[] _logits = [];

    /// <summary>Plans <paramref name="model"/> for <paramref name="batch"/> streams read side by side, from a zero state.</summary>
    public CharModelPredictor(CharLanguageModel model, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "CharModelPredictor: batch must be positive.");
        Batch = batch;
        _predictor = new RecurrentPredictor(model.Rnn, model.Out, RecurrentReadout.EveryStep);
        _hidden = new float[_predictor.StateLength(batch)];
        _cell = model.IsGru ? [] : new float[_predictor.StateLength(batch)];
    }

    /// <summary>Streams read side by side (B).</summary>
    public int Batch { get; }

    /// <summary>
    /// Logits (T*B, A) of the next letter after each input letter (row t*B + b) from one-hot letters <paramref name="letters"/>
    /// (T, B, A), starting from the carried state and carrying the final state on. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Run(ReadOnlySpan<float> letters, int steps)
    {
        int need = _predictor.OutputLength(Batch, steps);
        if (_logits.Length < need) _logits = new float[need];
        var logits = _logits.AsSpan(0, need);
        _predictor.Run(letters, Batch, steps, logits, default, _hidden, _cell);
        return logits;
    }

    /// <summary>Forgets the carried state: the next call starts from zeros.</summary>
    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }
}
