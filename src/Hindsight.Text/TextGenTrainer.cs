using System.Diagnostics;
using Hindsight.Data;
using Hindsight.Layers.Recurrent;
using Hindsight.Optimizers;
using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>The recurrent layer of a <see cref="CharLanguageModel"/>.</summary>
public enum TextGenLayer
{
    /// <summary>LSTM.</summary>
    Lstm,
    /// <summary>GRU.</summary>
    Gru,
}

/// <summary>How to train a <see cref="CharLanguageModel"/> (help, range and default of each setting declared once, here).</summary>
public sealed record TextGenOptions
{
    /// <summary>The recurrent layer (default LSTM).</summary>
    [Setting("Recurrent layer")]
    public TextGenLayer Layer { get; init; } = TextGenLayer.Lstm;
    /// <summary>GRU instead of LSTM (<see cref="Layer"/> is <see cref="TextGenLayer.Gru"/>).</summary>
    public bool Gru
    {
        get => Layer == TextGenLayer.Gru;
        init => Layer = value ? TextGenLayer.Gru : TextGenLayer.Lstm;
    }
    /// <summary>Hidden size.</summary>
    [Setting("Hidden size", Min = 1, Max = SizeLimits.Hidden)]
    public int Hidden { get; init; } = 128;
    /// <summary>Stacked layers.</summary>
    [Setting("Stacked recurrent layers", Min = 1, Max = SizeLimits.Layers)]
    public int Layers { get; init; } = 1;
    /// <summary>Passes over the training text.</summary>
    [Setting("Passes over the training text", Min = 1, Max = SizeLimits.Epochs)]
    public int Epochs { get; init; } = 30;
    /// <summary>Letters per chunk: back-propagation is truncated after this many steps (state is carried further).</summary>
    [Setting("Letters per chunk (back-propagation is truncated there; the state is carried on)", Min = 1, Max = SizeLimits.Length)]
    public int SeqLength { get; init; } = 64;
    /// <summary>Parallel streams: the training text is cut into this many contiguous pieces read side by side.</summary>
    [Setting("Parallel streams the text is cut into", Min = 1, Max = SizeLimits.Batch)]
    public int BatchSize { get; init; } = 8;
    /// <summary>Adam learning rate.</summary>
    [Setting("Adam learning rate", Min = 0, MinExclusive = true)]
    public float LearningRate { get; init; } = 0.005f;
    /// <summary>Gradient norm limit (0: none).</summary>
    [Setting("Gradient norm limit (0: none)", Min = 0)]
    public float ClipNorm { get; init; } = 5f;
    /// <summary>The last this fraction of the text is held out for the validation loss (0: none).</summary>
    [Setting("Share of the text held out at its end for the validation loss (0: none)", Min = 0, Max = 0.5, MaxExclusive = true)]
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Seed of the initial weights.</summary>
    [Setting("Seed of the initial weights (and of the sample shown)")]
    public ulong Seed { get; init; }

    /// <summary>Checks every value; a bad one is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names it.</summary>
    public void Validate() => SettingTable.Check(this);
}

/// <summary>How <see cref="TextSampler"/> draws text from a trained model (the settings of <c>hindsight generate sample</c>).</summary>
public sealed record TextSampleOptions
{
    /// <summary>Letters to generate.</summary>
    [Setting("Letters to generate", Min = 1, Max = SizeLimits.SampleLength)]
    public int Length { get; init; } = 300;
    /// <summary>Softmax temperature: 0 always takes the most likely letter, 1 the model's distribution.</summary>
    [Setting("Softmax temperature: 0 = always the most likely letter, 1 = the model's distribution, higher = wilder", Min = 0)]
    public float Temperature { get; init; } = 0.8f;
    /// <summary>Seed of the draws (same seed, same text).</summary>
    [Setting("Seed of the draws (same seed, same text)")]
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks every value; a bad one is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names it.</summary>
    public void Validate() => SettingTable.Check(this);
}

/// <summary>
/// One finished epoch: mean cross-entropy per letter (nats) on the training text and on the held-out end of the text,
/// with perplexities exp(loss); validation values are NaN without a held-out part.
/// </summary>
public sealed record TextGenEpoch(int Epoch, double TrainLoss, double ValidationLoss, double Seconds)
{
    /// <summary>exp(TrainLoss).</summary>
    public double TrainPerplexity => Math.Exp(TrainLoss);
    /// <summary>exp(ValidationLoss).</summary>
    public double ValidationPerplexity => Math.Exp(ValidationLoss);
}

/// <summary>Trains a <see cref="CharLanguageModel"/> with truncated back-propagation through time and carried state.</summary>
public static class TextGenTrainer
{
    /// <summary>
    /// Trains on <paramref name="corpus"/>: the alphabet is every letter of the whole text; the first
    /// 1 - ValidationFraction of it is cut into <c>BatchSize</c> contiguous streams read side by side in chunks of
    /// <c>SeqLength</c> letters. Each chunk starts from the state the previous chunk ended in (a
    /// <see cref="RecurrentState"/>, reset at the start of every epoch), predicts every next letter (cross-entropy),
    /// back-propagates within the chunk only, clips and takes an Adam step.
    /// </summary>
    public static (CharLanguageModel Model, IReadOnlyList<TextGenEpoch> Epochs) Train(TextCorpus corpus, TextGenOptions options, Action<TextGenEpoch>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var alphabet = Alphabet.FromTexts([corpus.Text]);
        var codes = alphabet.Encode(corpus.Text);
        int nTrain = options.ValidationFraction > 0 ? (int)Math.Round(codes.Length * (1 - options.ValidationFraction)) : codes.Length;
        var train = codes.AsSpan(0, nTrain).ToArray();
        var validation = codes.AsSpan(nTrain).ToArray();
        int B = options.BatchSize, S = (train.Length - 1) / B; // letters per stream
        if (S < 2)
            throw new DataFormatException(corpus.Source, null, null, $"the training text has {train.Length} letters, too few for {B} streams; use a longer text or a smaller batchSize.");

        var model = new CharLanguageModel(options.Gru, alphabet, options.Hidden, options.Layers, new Rng(options.Seed));
        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        var state = new RecurrentState();
        var starts = new int[B];
        var epochs = new List<TextGenEpoch>();
        var clock = Stopwatch.StartNew();
        var guard = new DivergenceGuard("text generation");
        Tape.Clear();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.Train();
            state.Reset();                                    // a new pass does not continue the last chunk
            double total = 0; long letters = 0;
            for (int offset = 0; offset < S; offset += options.SeqLength)
            {
                int T = Math.Min(options.SeqLength, S - offset);
                for (int b = 0; b < B; b++) starts[b] = b * S + offset;
                var x = model.OneHot(train, starts, T);       // (T, B, A)
                var targets = new int[T * B];
                for (int t = 0; t < T; t++)
                    for (int b = 0; b < B; b++) targets[t * B + b] = train[starts[b] + t + 1];
                optimizer.ZeroGrad();
                var logits = model.Forward(x, state);         // (T*B, A); state now holds this chunk's end, detached
                var loss = Ops.CrossEntropyLoss(logits, targets);
                float value = loss.Item();
                if (!float.IsFinite(value))
                {
                    Tape.Clear();
                    throw new TrainingDivergedException($"text generation: loss is {value} at epoch {epoch}, letter {offset + 1} of each stream; try a smaller learningRate.");
                }
                loss.Backward();
                if (options.ClipNorm > 0) GradClip.ClipGradNorm(optimizer.Parameters, options.ClipNorm);
                optimizer.Step();
                total += (double)value * T * B; letters += T * B;
            }
            guard.Check(epoch, total / letters);
            double valLoss = validation.Length > 1 ? Loss(model, validation, options.SeqLength) : double.NaN;
            var e = new TextGenEpoch(epoch, total / letters, valLoss, clock.Elapsed.TotalSeconds);
            epochs.Add(e);
            progress?.Invoke(e);
        }
        model.Eval();
        return (model, epochs);
    }

    /// <summary>
    /// Mean cross-entropy per letter (nats) of predicting each letter of <paramref name="codes"/> from the ones before,
    /// read as one stream from a zero state with the state carried across chunks of <paramref name="chunk"/> letters.
    /// </summary>
    public static double Loss(CharLanguageModel model, int[] codes, int chunk = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Length < 2) throw new ArgumentException("TextGenTrainer.Loss: need at least 2 letters.", nameof(codes));
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Tape.NoGrad();
            var state = new RecurrentState();
            var predictor = InferencePath.Off ? null : new CharModelPredictor(model);
            double total = 0;
            for (int offset = 0; offset < codes.Length - 1; offset += chunk)
            {
                int T = Math.Min(chunk, codes.Length - 1 - offset);
                var letters = model.OneHot(codes, [offset], T);
                Tensor logits;
                if (predictor is null) logits = model.Forward(letters, state);
                else
                {
                    logits = new Tensor(T, model.Alphabet.Count);
                    predictor.Run(letters.Data, T).CopyTo(logits.Data);
                }
                var targets = codes.AsSpan(offset + 1, T).ToArray();
                total += (double)Ops.CrossEntropyLoss(logits, targets, Losses.Reduction.Sum).Item();
            }
            return total / (codes.Length - 1);
        }
        finally { model.Train(wasTraining); }
    }
}
