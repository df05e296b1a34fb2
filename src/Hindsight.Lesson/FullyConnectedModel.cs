using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Lesson;

/// <summary>
/// The seed's <c>FullyConnected</c>: <c>Linear(seqLength, h) -> Tanh -> Linear(h, h) -> Tanh -> Linear(h, seqLength)</c>
/// applied to the whole window at once (<c>wx + b</c> with non-linearities; no notion of order).
/// Parameters are named as in the seed: <c>linear_with_tanh.0.weight</c>, ...
/// </summary>
public sealed partial class FullyConnectedModel : Module, IOnnxExportable, ISequenceModel
{
    private readonly Sequential _net;

    /// <summary>Creates the model with PyTorch's Linear initialisation drawn from <paramref name="rng"/>.</summary>
    public FullyConnectedModel(int seqLength, int hidden, Rng rng)
    {
        _net = RegisterModule("linear_with_tanh", new Sequential(
            new Linear(seqLength, hidden, rng: rng), new Tanh(),
            new Linear(hidden, hidden, rng: rng), new Tanh(),
            new Linear(hidden, seqLength, rng: rng)));
    }

    /// <inheritdoc/>
    public string Name => "fc";
    /// <inheritdoc/>
    public Module Module => this;
    /// <inheritdoc/>
    public bool SkipsShortBatch => false;
    /// <inheritdoc/>
    public (string Name, Tensor Value) FirstWeight => ("linear_with_tanh.0.weight", ((Linear)_net.Layers[0]).Weight);

    /// <inheritdoc/>
    public Tensor Forward(Tensor x) => _net.Forward(x); // x (B,T) -> (B,T)

    private Inference.SequentialPredictor? _predictor;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> x, int batch, int steps, Span<float> y)
    {
        if (_predictor is null) _predictor = new Inference.SequentialPredictor(_net);
        else _predictor.Refresh();                        // weights changed by training since the last call
        if (steps != _predictor.InputSize)
            throw new ArgumentException($"fc: the model reads windows of {_predictor.InputSize} values, got steps {steps}.", nameof(steps));
        _predictor.Run(x, batch, y);                      // (B,T) -> (B,T)
    }
}
