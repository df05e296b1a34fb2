using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Lesson;

/// <summary>
/// The seed's other recurrent form (section 4), a Jordan network <c>Jordan(1, h, 1)</c> with identity output: the
/// prediction of step t is fed back into step t+1, starting from 0 (parameters <c>jordan.weight_ih_l0</c>, ...).
/// Not in the seed's race; trains on every batch like the FC.
/// </summary>
public sealed partial class JordanModel : Module, IOnnxExportable, ISequenceModel
{
    private readonly Jordan _jordan;

    /// <summary>Creates the model with U(-1/sqrt(h), 1/sqrt(h)) weights drawn from <paramref name="rng"/>.</summary>
    public JordanModel(int hidden, Rng rng)
    {
        _jordan = RegisterModule("jordan", new Jordan(1, hidden, 1, batchFirst: true, rng: rng));
    }

    /// <inheritdoc/>
    public string Name => "jordan";
    /// <inheritdoc/>
    public Module Module => this;
    /// <inheritdoc/>
    public bool SkipsShortBatch => false;
    /// <inheritdoc/>
    public (string Name, Tensor Value) FirstWeight => LessonModels.SideBySide(this, "jordan.weight_ih_l0", "jordan.weight_yh_l0");

    /// <inheritdoc/>
    public Tensor Forward(Tensor x) // x (B,T)
    {
        int b = x.Dim(0), t = x.Dim(1);
        var (output, _) = _jordan.Forward(Ops.Reshape(x, b, t, 1)); // (B,T,1)
        return Ops.Reshape(output, b, t);
    }

    private Inference.JordanPredictor? _predictor;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> x, int batch, int steps, Span<float> y)
    {
        _predictor ??= new Inference.JordanPredictor(_jordan, Inference.RecurrentReadout.EveryStep);
        _predictor.Run(x, batch, steps, y);              // (B,T,1) -> (B,T,1)
    }
}
