namespace Hindsight.Lesson;

/// <summary>The models that can enter the lesson's race, by name.</summary>
public static class LessonModels
{
    /// <summary>Names accepted by <see cref="Create"/>, in a fixed order (also the order of their seeds).</summary>
    public static IReadOnlyList<string> Available { get; } = ["fc", "rnn", "jordan", "lstm", "gru"];

    /// <summary>Builds model <paramref name="name"/> for windows of <paramref name="seqLength"/> and batches of <paramref name="batchRows"/> rows.</summary>
    public static ISequenceModel Create(string name, int seqLength, int hidden, int batchRows, Rng rng) => name switch
    {
        "fc" => new FullyConnectedModel(seqLength, hidden, rng),
        "rnn" => new SimpleRnnModel(hidden, batchRows, rng),
        "jordan" => new JordanModel(hidden, rng),
        "lstm" => new GatedModel(lstm: true, hidden, rng),
        "gru" => new GatedModel(lstm: false, hidden, rng),
        _ => throw new ArgumentException($"unknown model '{name}'; available: {string.Join(",", Available)}."),
    };

    /// <summary>
    /// A batch-first one-feature recurrent layer with <paramref name="head"/> on every step, through the kept
    /// <paramref name="predictor"/> (made on the first call, its recurrent weights re-read on every later one):
    /// x (B,T,1) -> y (B,T,1).
    /// </summary>
    internal static void RunEveryStep(ref Inference.RecurrentPredictor? predictor, Layers.Recurrent.RecurrentBase layer, Layers.Linear head,
        ReadOnlySpan<float> x, int batch, int steps, Span<float> y)
    {
        if (predictor is null) predictor = new Inference.RecurrentPredictor(layer, head, Inference.RecurrentReadout.EveryStep);
        else predictor.Refresh();
        predictor.Run(x, batch, steps, y);
    }

    /// <summary>The parameters <paramref name="left"/> and <paramref name="right"/> of <paramref name="module"/> side by side (same rows), named "left | right".</summary>
    internal static (string Name, Tensor Value) SideBySide(Layers.Module module, string left, string right)
    {
        var all = module.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        using var _ = Tape.NoGrad();
        return ($"{left} | {right}", Ops.Concat(1, all[left], all[right]));
    }
}
