using System.Diagnostics;
using Hindsight.Data;
using Hindsight.Optimizers;
using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>How to train a language identifier (help, range and default of each setting declared once, here).</summary>
public sealed record LanguageIdOptions
{
    /// <summary>The network (default GRU).</summary>
    [Setting("cell: the seed's from-scratch RnnCell, one word at a time, NLL + SGD; gru/lstm: padded batches with lengths, linear head, cross-entropy + Adam")]
    public LanguageIdArchitecture Architecture { get; init; } = LanguageIdArchitecture.Gru;
    /// <summary>Hidden size (the seed's tutorial uses 128).</summary>
    [Setting("Hidden size", Min = 1, Max = SizeLimits.Hidden)]
    public int Hidden { get; init; } = 128;
    /// <summary>Passes over the training words; null: <see cref="DefaultEpochs"/> of the architecture.</summary>
    [Setting("Passes over the training words", Min = 1, Max = SizeLimits.Epochs, DefaultText = "20 for cell, 10 for gru/lstm")]
    public int? Epochs { get; init; }
    /// <summary>Learning rate; null picks the architecture's default: 0.005 for the cell's plain SGD (the tutorial's), 0.005 for Adam.</summary>
    [Setting("Learning rate (SGD for cell, Adam for gru/lstm)", Min = 0, MinExclusive = true, DefaultText = "0.005")]
    public float? LearningRate { get; init; }
    /// <summary>Words per Adam step for the batched layers (the cell always takes one word per SGD step).</summary>
    [Setting("Words per Adam step (gru/lstm)", Min = 1, Max = SizeLimits.Batch)]
    public int BatchSize { get; init; } = 64;
    /// <summary>Gradient norm limit for the batched layers (0: none). The cell, as the tutorial, is not clipped.</summary>
    [Setting("Gradient norm limit of gru/lstm (0: none)", Min = 0)]
    public float ClipNorm { get; init; } = 5f;
    /// <summary>Seed of the initial weights and the order of the words.</summary>
    [Setting("Seed of the split, the initial weights and the word order")]
    public ulong Seed { get; init; }

    /// <summary>Default epochs: the cell takes one SGD step per word (20 passes), the batched layers one Adam step per batch (10).</summary>
    public static int DefaultEpochs(LanguageIdArchitecture architecture) => architecture == LanguageIdArchitecture.Cell ? 20 : 10;

    /// <summary>The epochs actually run.</summary>
    public int EffectiveEpochs => Epochs ?? DefaultEpochs(Architecture);

    /// <summary>The learning rate actually used.</summary>
    public float EffectiveLearningRate => LearningRate ?? 0.005f;

    /// <summary>Checks every value; a bad one is an <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names it.</summary>
    public void Validate() => SettingTable.Check(this);
}

/// <summary>One finished epoch: mean training loss and accuracy over the epoch's words (as the weights changed).</summary>
public sealed record LanguageIdEpoch(int Epoch, double Loss, double TrainAccuracy, double Seconds);

/// <summary>Accuracy of one language on held-out words; <paramref name="Unreadable"/> of them (counted wrong) hold a letter the model never saw.</summary>
public sealed record LanguageAccuracy(string Language, int Words, int Correct, int Unreadable)
{
    /// <summary>Correct / Words (NaN for no words).</summary>
    public double Accuracy => Words == 0 ? double.NaN : (double)Correct / Words;
}

/// <summary>
/// Held-out results: accuracy overall and per language, and the confusion matrix (rows: true language, columns:
/// predicted) of the readable words. <paramref name="Unreadable"/> words hold a letter absent from the training words:
/// the model cannot read them, they count as wrong and are not in the matrix.
/// </summary>
public sealed record LanguageIdEvaluation(int Words, int Correct, int Unreadable, IReadOnlyList<LanguageAccuracy> PerLanguage, int[][] Confusion)
{
    /// <summary>Correct / Words.</summary>
    public double Accuracy => Words == 0 ? double.NaN : (double)Correct / Words;
}

/// <summary>Trains and evaluates <see cref="LanguageIdModel"/>s.</summary>
public static class LanguageIdTrainer
{
    /// <summary>
    /// Trains a new model on <paramref name="train"/>: the alphabet is every letter of the training words, the languages
    /// those of the set. <list type="bullet">
    /// <item><b>cell</b>: the seed's way. Each epoch visits the words in a seeded random order, one word at a time:
    /// <c>hidden = init_hidden()</c>, the cell steps over the letters, the last output is scored by NLL and
    /// back-propagated through every step, then plain SGD.</item>
    /// <item><b>gru/lstm</b>: shuffled batches of words of different lengths, padded with <c>lengths</c>; a linear head
    /// on the final state; cross-entropy on logits; Adam with gradient-norm clipping.</item></list>
    /// A non-finite loss, or an epoch loss that grew past the bounds of <see cref="DivergenceGuard"/>, throws <see cref="TrainingDivergedException"/>.
    /// </summary>
    public static (LanguageIdModel Model, IReadOnlyList<LanguageIdEpoch> Epochs) Train(LanguageWords train, LanguageIdOptions options, Action<LanguageIdEpoch>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("LanguageIdTrainer: no training words.", nameof(train));
        var alphabet = Alphabet.FromTexts(train.Words);
        var model = new LanguageIdModel(options.Architecture, alphabet, train.Languages, options.Hidden, new Rng(options.Seed));
        var order = new Rng(options.Seed ^ 0x9E3779B97F4A7C15UL);
        var codes = train.Words.Select(alphabet.Encode).ToArray();
        var epochs = new List<LanguageIdEpoch>();
        var clock = Stopwatch.StartNew();
        Tape.Clear();
        model.Network.Train();
        Optimizer optimizer = options.Architecture == LanguageIdArchitecture.Cell
            ? new Sgd(model.Network.Parameters(), options.EffectiveLearningRate)
            : new Adam(model.Network.Parameters(), options.EffectiveLearningRate);
        var guard = new DivergenceGuard($"language id ({LanguageIdModel.Name(options.Architecture)})");
        for (int epoch = 1; epoch <= options.EffectiveEpochs; epoch++)
        {
            var perm = order.Permutation(train.Count);
            var (loss, correct) = options.Architecture == LanguageIdArchitecture.Cell
                ? CellEpoch(model, optimizer, codes, train.Labels, perm, epoch)
                : BatchEpoch(model, optimizer, codes, train.Labels, perm, options, epoch);
            guard.Check(epoch, loss / train.Count);
            var e = new LanguageIdEpoch(epoch, loss / train.Count, (double)correct / train.Count, clock.Elapsed.TotalSeconds);
            epochs.Add(e);
            progress?.Invoke(e);
        }
        model.Network.Eval();
        return (model, epochs);
    }

    // The seed's loop: one word, letter by letter, NLL on the last output, SGD.
    private static (double Loss, int Correct) CellEpoch(LanguageIdModel model, Optimizer optimizer, int[][] codes, IReadOnlyList<int> labels, int[] perm, int epoch)
    {
        var cell = model.Cell!;
        double total = 0; int correct = 0;
        var target = new int[1];
        foreach (int i in perm)
        {
            var (x, _) = WordBatch.Encode([codes[i]], model.Alphabet.Count); // (T, 1, A)
            target[0] = labels[i];
            optimizer.ZeroGrad();
            var output = LanguageIdModel.CellForward(cell, x);              // (1, L) log-probabilities
            var loss = Ops.NllLoss(output, target);
            float value = loss.Item();
            if (!float.IsFinite(value))
            {
                Tape.Clear();
                throw new TrainingDivergedException($"language id (cell): loss is {value} at epoch {epoch} on word {i + 1}; try a smaller learningRate or hidden.");
            }
            loss.Backward();
            optimizer.Step();
            total += value;
            if (LanguageIdModel.ArgMax(output.Data) == labels[i]) correct++;
        }
        return (total, correct);
    }

    // Padded batches of words of different lengths, final state -> Linear, cross-entropy, Adam.
    private static (double Loss, int Correct) BatchEpoch(LanguageIdModel model, Optimizer optimizer, int[][] codes, IReadOnlyList<int> labels, int[] perm,
        LanguageIdOptions options, int epoch)
    {
        var net = model.Recurrent!;
        int L = model.Languages.Count;
        double total = 0; int correct = 0;
        for (int start = 0; start < perm.Length; start += options.BatchSize)
        {
            int n = Math.Min(options.BatchSize, perm.Length - start);
            var rows = perm.AsSpan(start, n).ToArray();
            var (x, lengths) = WordBatch.Encode(rows.Select(i => codes[i]).ToArray(), model.Alphabet.Count); // (T, B, A)
            var targets = rows.Select(i => labels[i]).ToArray();
            optimizer.ZeroGrad();
            var logits = net.Forward(x, lengths);                                    // (B, L)
            var loss = Ops.CrossEntropyLoss(logits, targets);
            float value = loss.Item();
            if (!float.IsFinite(value))
            {
                Tape.Clear();
                throw new TrainingDivergedException($"language id ({LanguageIdModel.Name(model.Architecture)}): loss is {value} at epoch {epoch}, batch starting at word {start + 1}; try a smaller learningRate.");
            }
            loss.Backward();
            if (options.ClipNorm > 0) GradClip.ClipGradNorm(optimizer.Parameters, options.ClipNorm);
            optimizer.Step();
            total += value * n;
            for (int b = 0; b < n; b++)
                if (LanguageIdModel.ArgMax(logits.Data.AsSpan(b * L, L)) == targets[b]) correct++;
        }
        return (total, correct);
    }

    /// <summary>Accuracy of <paramref name="model"/> on <paramref name="test"/> (overall, per language) and the confusion matrix.</summary>
    public static LanguageIdEvaluation Evaluate(LanguageIdModel model, LanguageWords test)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        if (!test.Languages.SequenceEqual(model.Languages))
            throw new ArgumentException($"LanguageIdTrainer.Evaluate: the test set's languages ({string.Join(", ", test.Languages)}) differ from the model's ({string.Join(", ", model.Languages)}).");
        if (test.Count == 0) throw new ArgumentException("LanguageIdTrainer.Evaluate: the test set has no words, so there is no accuracy to measure.", nameof(test));
        int L = model.Languages.Count;
        var readable = Enumerable.Range(0, test.Count).Where(i => test.Words[i].All(model.Alphabet.Contains)).ToArray();
        var unreadable = new int[L];
        foreach (int i in Enumerable.Range(0, test.Count).Except(readable)) unreadable[test.Labels[i]]++;
        var logp = model.LogProbabilities(readable.Select(i => test.Words[i]).ToArray());
        var confusion = Enumerable.Range(0, L).Select(_ => new int[L]).ToArray();
        int correct = 0;
        for (int j = 0; j < readable.Length; j++)
        {
            int truth = test.Labels[readable[j]];
            int p = LanguageIdModel.ArgMax(logp.AsSpan(j * L, L));
            confusion[truth][p]++;
            if (p == truth) correct++;
        }
        var per = Enumerable.Range(0, L)
            .Select(l => new LanguageAccuracy(model.Languages[l], confusion[l].Sum() + unreadable[l], confusion[l][l], unreadable[l])).ToArray();
        return new LanguageIdEvaluation(test.Count, correct, unreadable.Sum(), per, confusion);
    }
}
