using Hindsight.Layers.Recurrent;

namespace Hindsight.Text;

/// <summary>Generates text from a <see cref="CharLanguageModel"/> letter by letter (one-to-many), carrying the state.</summary>
public static class TextSampler
{
    /// <summary>
    /// Reads <paramref name="prompt"/> (empty or null: a '\n', as at the start of a paragraph), then
    /// <paramref name="length"/> times draws the next letter from <c>softmax(logits / temperature)</c> with a seeded
    /// <see cref="Rng"/> and feeds it back, the state carried from step to step. Temperature 0 takes the most likely
    /// letter (greedy, no randomness); small temperatures approach it, large ones approach uniform. The same model,
    /// prompt, temperature and seed always give the same text. A prompt letter outside the model's alphabet is an
    /// <see cref="ArgumentException"/> naming it. Returns the generated letters (without the prompt).
    /// </summary>
    public static string Sample(CharLanguageModel model, int length, float temperature, ulong seed, string? prompt = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"length must be >= 0, got {length}.");
        if (!(temperature >= 0 && float.IsFinite(temperature))) throw new ArgumentOutOfRangeException(nameof(temperature), $"temperature must be a finite number >= 0, got {temperature}.");
        var text = string.IsNullOrEmpty(prompt) ? "\n" : prompt;
        var codes = model.Alphabet.Encode(text);
        var rng = new Rng(seed);
        int A = model.Alphabet.Count;
        var probabilities = new double[A];
        var output = new System.Text.StringBuilder(length);
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            if (!InferencePath.Off) return SampleWithPredictor(model, codes, length, temperature, rng);
            using var _ = Tape.NoGrad();
            var state = new RecurrentState();
            var logits = model.Forward(model.OneHot(codes, [0], codes.Length), state); // (P, A): the last row predicts the first letter
            var last = logits.Data.AsSpan((codes.Length - 1) * A, A).ToArray();
            var one = new int[1];
            for (int i = 0; i < length; i++)
            {
                int next = Draw(last, temperature, rng, probabilities);
                output.Append(model.Alphabet[next]);
                one[0] = next;
                last = model.Forward(model.OneHot(one, [0], 1), state).Data;
            }
        }
        finally { model.Train(wasTraining); }
        return output.ToString();
    }

    // Sample's loop on the inference path: the prompt in one call, then one letter per call, the state carried.
    private static string SampleWithPredictor(CharLanguageModel model, int[] codes, int length, float temperature, Rng rng)
    {
        int A = model.Alphabet.Count;
        var probabilities = new double[A];
        var output = new System.Text.StringBuilder(length);
        var predictor = new CharModelPredictor(model);
        var letters = model.OneHot(codes, [0], codes.Length).Data;                   // (P, 1, A)
        var logits = predictor.Run(letters, codes.Length);                          // (P, A): the last row predicts the first letter
        var last = logits.Slice((codes.Length - 1) * A, A);
        var one = new float[A];
        for (int i = 0; i < length; i++)
        {
            int next = Draw(last, temperature, rng, probabilities);
            output.Append(model.Alphabet[next]);
            Array.Clear(one);
            one[next] = 1f;
            last = predictor.Run(one, 1);                                           // (1, A)
        }
        return output.ToString();
    }

    /// <summary>
    /// Index drawn from <c>softmax(logits / temperature)</c> (computed in double, max subtracted); temperature 0 is the
    /// arg-max (first of ties).
    /// </summary>
    public static int Draw(ReadOnlySpan<float> logits, float temperature, Rng rng, double[] scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int best = LanguageIdModel.ArgMax(logits);
        if (temperature == 0) return best;
        double max = logits[best], sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += scratch[k] = Math.Exp((logits[k] - max) / temperature);
        double u = rng.NextDouble() * sum, cumulative = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            cumulative += scratch[k];
            if (u < cumulative) return k;
        }
        return best; // rounding left u at the very top: the most likely letter
    }
}
