using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Lesson;

/// <summary>
/// The seed's <c>SimpleRNN</c>: <c>nn.RNN(1, h, 1, batch_first = True)</c> started from a zero hidden state built for
/// exactly <c>batchRows</c> rows on every forward, then <c>Linear(h, 1)</c> on every step's output. Parameters:
/// <c>rnn.weight_ih_l0</c>, ..., <c>out.weight</c>, <c>out.bias</c>. Because the zero state has a fixed batch size,
/// it skips a last batch with fewer rows, as the seed's loop does.
/// </summary>
public sealed partial class SimpleRnnModel : Module, IOnnxExportable, ISequenceModel
{
    private readonly Rnn _rnn;
    private readonly Linear _out;
    private readonly int _batchRows, _hidden;

    /// <summary>Creates the model with PyTorch's initialisation drawn from <paramref name="rng"/>.</summary>
    public SimpleRnnModel(int hidden, int batchRows, Rng rng)
    {
        _rnn = RegisterModule("rnn", new Rnn(1, hidden, 1, batchFirst: true, rng: rng));
        _out = RegisterModule("out", new Linear(hidden, 1, rng: rng));
        _batchRows = batchRows; _hidden = hidden;
    }

    /// <inheritdoc/>
    public string Name => "rnn";
    /// <inheritdoc/>
    public Module Module => this;
    /// <inheritdoc/>
    public bool SkipsShortBatch => true;
    /// <inheritdoc/>
    public (string Name, Tensor Value) FirstWeight => LessonModels.SideBySide(this, "rnn.weight_ih_l0", "rnn.weight_hh_l0");

    /// <inheritdoc/>
    public Tensor Forward(Tensor x) // x (B,T)
    {
        int b = x.Dim(0), t = x.Dim(1);
        var h0 = Tensor.Zeros(1, _batchRows, _hidden);                 // the seed's __init__hidden(): (layers, batch_size, hidden)
        var (output, _) = _rnn.Forward(Ops.Reshape(x, b, t, 1), h0);   // (B,T,H)
        return Ops.Reshape(_out.Forward(output), b, t);                 // (B,T,1) -> (B,T)
    }

    private Inference.RecurrentPredictor? _predictor;

    /// <inheritdoc/>
    /// <remarks>Any number of rows: the zero initial state has the batch's size (<see cref="Forward"/> needs the training batch's).</remarks>
    public void Predict(ReadOnlySpan<float> x, int batch, int steps, Span<float> y) =>
        LessonModels.RunEveryStep(ref _predictor, _rnn, _out, x, batch, steps, y);
}

/// <summary>
/// <c>nn.LSTM(1, h, 1, batch_first = True)</c> or <c>nn.GRU(...)</c> from a zero state, then <c>Linear(h, 1)</c> on every
/// step (parameters <c>lstm.*</c> / <c>gru.*</c>, <c>out.*</c>). Not in the seed; trains on every batch like the FC.
/// </summary>
public sealed partial class GatedModel : Module, IOnnxExportable, ISequenceModel
{
    private readonly Lstm? _lstm;
    private readonly Gru? _gru;
    private readonly Linear _out;

    /// <summary>Creates an LSTM (<paramref name="lstm"/> true) or GRU model.</summary>
    public GatedModel(bool lstm, int hidden, Rng rng)
    {
        if (lstm) _lstm = RegisterModule("lstm", new Lstm(1, hidden, 1, batchFirst: true, rng: rng));
        else _gru = RegisterModule("gru", new Gru(1, hidden, 1, batchFirst: true, rng: rng));
        _out = RegisterModule("out", new Linear(hidden, 1, rng: rng));
    }

    /// <inheritdoc/>
    public string Name => _lstm is not null ? "lstm" : "gru";
    /// <inheritdoc/>
    public Module Module => this;
    /// <inheritdoc/>
    public bool SkipsShortBatch => false;
    /// <inheritdoc/>
    public (string Name, Tensor Value) FirstWeight => LessonModels.SideBySide(this, $"{Name}.weight_ih_l0", $"{Name}.weight_hh_l0");

    /// <inheritdoc/>
    public Tensor Forward(Tensor x) // x (B,T)
    {
        int b = x.Dim(0), t = x.Dim(1);
        var input = Ops.Reshape(x, b, t, 1);
        var output = _lstm is not null ? _lstm.Forward(input).Output : _gru!.Forward(input).Output; // (B,T,H)
        return Ops.Reshape(_out.Forward(output), b, t);
    }

    private Inference.RecurrentPredictor? _predictor;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> x, int batch, int steps, Span<float> y) =>
        LessonModels.RunEveryStep(ref _predictor, (RecurrentBase?)_lstm ?? _gru!, _out, x, batch, steps, y);
}
