using Hindsight.Layers;

namespace Hindsight.Lesson;

/// <summary>
/// A model in the lesson's race: reads a batch of windows x (batch, seqLength) and predicts the same windows one
/// step later, (batch, seqLength). Each model plugs in through this interface (see <see cref="LessonModels"/>).
/// </summary>
public interface ISequenceModel
{
    /// <summary>Short name used on the command line and in charts (<c>fc</c>, <c>rnn</c>, ...).</summary>
    string Name { get; }

    /// <summary>The module holding every trainable parameter (PyTorch state_dict names).</summary>
    Module Module { get; }

    /// <summary>
    /// True when the model only accepts full batches of rows. The seed's SimpleRNN builds its zero initial state
    /// for exactly <c>batch_size</c> rows, so its loop skips a short last batch (<c>if t.shape[0] != seq_length:
    /// continue</c>); the fully connected model trains on it.
    /// </summary>
    bool SkipsShortBatch { get; }

    /// <summary>
    /// The first layer's weight matrix (shown as a heat map before training), with its parameter name; for a recurrent
    /// layer its input and recurrent weights side by side, e.g. <c>rnn.weight_ih_l0 | rnn.weight_hh_l0</c> (H, 1 + H).
    /// </summary>
    (string Name, Tensor Value) FirstWeight { get; }

    /// <summary>x (batch, seqLength) to predictions (batch, seqLength).</summary>
    Tensor Forward(Tensor x);

    /// <summary>
    /// The same predictions for serving, through the model's inference path (<see cref="Hindsight.Inference"/>): no tape,
    /// buffers kept by the model between calls (a call with a shape seen before allocates nothing), the bits of
    /// <see cref="Forward"/> under <c>Tape.NoGrad()</c>. <paramref name="x"/> (batch, steps) into <paramref name="y"/>
    /// (batch, steps); reads the current weights. One thread at a time per model.
    /// </summary>
    void Predict(ReadOnlySpan<float> x, int batch, int steps, Span<float> y);
}
