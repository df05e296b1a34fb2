using System.Globalization;
using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;
using Hindsight.Serialization;
using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>The network of a language identifier.</summary>
public enum LanguageIdArchitecture
{
    /// <summary>The seed's from-scratch <see cref="RnnCell"/> (i2h, i2o on cat(letter, hidden)), one word at a time.</summary>
    Cell,
    /// <summary>A fused <see cref="Gru"/> over padded batches, then a linear head on the final state.</summary>
    Gru,
    /// <summary>A fused <see cref="Lstm"/> over padded batches, then a linear head on the final state.</summary>
    Lstm,
}

/// <summary>
/// A recurrent layer and a linear head on its final hidden state (many-to-one): letters (T, B, A) with per-word
/// lengths give logits (B, L). Parameters <c>rnn.weight_ih_l0</c>, ..., <c>out.weight</c>, <c>out.bias</c>.
/// </summary>
public sealed partial class RecurrentWordClassifier : Module, IOnnxExportable
{
    /// <summary>The recurrent layer (time-first, one layer).</summary>
    public RecurrentBase Rnn { get; }
    /// <summary><c>out = Linear(H, L)</c> on the final state.</summary>
    public Linear Out { get; }

    /// <summary>Creates the network: <paramref name="gru"/> picks <see cref="Gru"/>, otherwise <see cref="Lstm"/>.</summary>
    public RecurrentWordClassifier(bool gru, int alphabetSize, int hiddenSize, int languages, Rng rng)
    {
        Rnn = RegisterModule<RecurrentBase>("rnn", gru ? new Gru(alphabetSize, hiddenSize, rng: rng) : new Lstm(alphabetSize, hiddenSize, rng: rng));
        Out = RegisterModule("out", new Linear(hiddenSize, languages, rng: rng));
    }

    /// <summary>
    /// Logits (B, L) from one-hot letters (T, B, A) padded after each word's end; <paramref name="lengths"/>[b] is
    /// word b's length, so the head reads the state after the word's last letter (the padding never enters it).
    /// </summary>
    public Tensor Forward(Tensor letters, int[] lengths)
    {
        var hidden = Rnn.Forward(letters, null, lengths).Hidden;    // (1, B, H)
        return Out.Forward(Ops.Reshape(hidden, hidden.Dim(1), hidden.Dim(2))); // (B, L)
    }
}

/// <summary>
/// A word's language from its letters: an alphabet, the language names and a network
/// (<see cref="RnnCell"/> or <see cref="RecurrentWordClassifier"/>). Words given to <see cref="Predict"/> and
/// <see cref="Top"/> are trimmed and lower-cased (the training words are lower case); a letter the
/// model never saw is an <see cref="ArgumentException"/> naming it.
/// </summary>
public sealed class LanguageIdModel
{
    internal const string Kind = "langid";

    /// <summary>Which network.</summary>
    public LanguageIdArchitecture Architecture { get; }
    /// <summary>The letters the model reads (one-hot width A).</summary>
    public Alphabet Alphabet { get; }
    /// <summary>Language names (output k is <c>Languages[k]</c>).</summary>
    public IReadOnlyList<string> Languages { get; }
    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }
    /// <summary>The network whose parameters are trained and saved: an <see cref="RnnCell"/> (names <c>i2h.weight</c>, ...)
    /// or a <see cref="RecurrentWordClassifier"/> (names <c>rnn.weight_ih_l0</c>, ..., <c>out.weight</c>).</summary>
    public Module Network { get; }

    // One inference path per network kept between calls (refreshed when rented: training may have changed the weights).
    private static readonly PredictorCache<RecurrentWordClassifier, RecurrentPredictor> Kept = new(n => new RecurrentPredictor(n.Rnn, n.Out), p => p.Refresh());

    internal RnnCell? Cell => Network as RnnCell;
    internal RecurrentWordClassifier? Recurrent => Network as RecurrentWordClassifier;

    /// <summary>Creates an untrained model; <paramref name="rng"/> draws the initial weights.</summary>
    public LanguageIdModel(LanguageIdArchitecture architecture, Alphabet alphabet, IReadOnlyList<string> languages, int hiddenSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(languages);
        ArgumentNullException.ThrowIfNull(rng);
        if (languages.Count < 2) throw new ArgumentException($"LanguageIdModel: need at least 2 languages, got {languages.Count}.", nameof(languages));
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"LanguageIdModel: hidden size must be positive, got {hiddenSize}.");
        Architecture = architecture; Alphabet = alphabet; Languages = languages.ToArray(); HiddenSize = hiddenSize;
        Network = architecture switch
        {
            LanguageIdArchitecture.Cell => new RnnCell(alphabet.Count, hiddenSize, languages.Count, rng),
            LanguageIdArchitecture.Gru => new RecurrentWordClassifier(true, alphabet.Count, hiddenSize, languages.Count, rng),
            LanguageIdArchitecture.Lstm => new RecurrentWordClassifier(false, alphabet.Count, hiddenSize, languages.Count, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), $"LanguageIdModel: unknown architecture {architecture}."),
        };
    }

    /// <summary>Parses <c>cell</c>, <c>gru</c> or <c>lstm</c> (case-insensitive).</summary>
    public static LanguageIdArchitecture ParseArchitecture(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cell" => LanguageIdArchitecture.Cell,
        "gru" => LanguageIdArchitecture.Gru,
        "lstm" => LanguageIdArchitecture.Lstm,
        _ => throw new ArgumentException($"unknown model '{text}'; expected cell, gru or lstm."),
    };

    /// <summary>The lower-case name (<c>cell</c>, <c>gru</c>, <c>lstm</c>).</summary>
    public static string Name(LanguageIdArchitecture architecture) => architecture.ToString().ToLowerInvariant();

    /// <summary>What <see cref="Predict"/> does to a word before reading it: trim and lower case (invariant culture).</summary>
    public static string NormalizeWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Log-probabilities (N, L) of every word's language (inference: no gradients, evaluation mode). Words are read
    /// exactly as given (no normalisation); the cell runs words of equal length together, the batched layers pad.
    /// </summary>
    public float[] LogProbabilities(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int L = Languages.Count;
        var result = new float[words.Count * L];
        var codes = words.Select(w => w.Length == 0 ? throw new ArgumentException("LanguageIdModel: empty word.") : Alphabet.Encode(w)).ToArray();
        bool wasTraining = Network.Training;
        Network.Eval();
        try
        {
            using var _ = Tape.NoGrad();
            if (Cell is { } cell)
            {
                var predictor = InferencePath.Off ? null : new CellWordPredictor(cell);
                foreach (var group in Enumerable.Range(0, words.Count).GroupBy(i => codes[i].Length))
                {
                    var members = group.ToArray();
                    var (x, _) = WordBatch.Encode(members.Select(i => codes[i]).ToArray(), Alphabet.Count); // (T, B, A), no padding
                    Tensor output;
                    if (predictor is null) output = CellForward(cell, x);
                    else
                    {
                        var logits = new Tensor(members.Length, L);
                        predictor.Run(x.Data, x.Dim(0), members.Length, logits.Data);           // (T, B, A) -> (B, L)
                        output = Ops.LogSoftmax(logits, 1);
                    }
                    for (int j = 0; j < members.Length; j++)
                        output.Data.AsSpan(j * L, L).CopyTo(result.AsSpan(members[j] * L, L));
                }
            }
            else
            {
                const int chunk = 256;
                var predictor = InferencePath.Off ? null : Kept.Rent(Recurrent!);
                for (int start = 0; start < words.Count; start += chunk)
                {
                    int n = Math.Min(chunk, words.Count - start);
                    var (x, lengths) = WordBatch.Encode(codes.AsSpan(start, n).ToArray(), Alphabet.Count);
                    Tensor logits;
                    if (predictor is null) logits = Recurrent!.Forward(x, lengths);                    // (n, L)
                    else
                    {
                        logits = new Tensor(n, L);
                        predictor.Run(x.Data, n, x.Dim(0), logits.Data, lengths);               // (T, n, A) with lengths -> (n, L)
                    }
                    var logp = Ops.LogSoftmax(logits, 1);
                    logp.Data.AsSpan().CopyTo(result.AsSpan(start * L, n * L));
                }
                if (predictor is not null) Kept.Return(Recurrent!, predictor);
            }
        }
        finally { Network.Train(wasTraining); }
        return result;
    }

    /// <summary>
    /// The seed's loop over the letters of a batch of equal-length words: x (T, B, A) one-hot; returns the
    /// log-probabilities (B, L) of the last step. On the tape when recording, so the loss back-propagates through every step.
    /// </summary>
    internal static Tensor CellForward(RnnCell cell, Tensor x)
    {
        var hidden = cell.InitHidden(x.Dim(1));
        Tensor? output = null;
        for (int t = 0; t < x.Dim(0); t++)
            (output, hidden) = cell.Forward(Ops.Select(x, 0, t), hidden);
        return output!;
    }

    /// <summary>The most likely language of each word (after <see cref="NormalizeWord"/>).</summary>
    public int[] Predict(IReadOnlyList<string> words)
    {
        var logp = LogProbabilities(words.Select(NormalizeWord).ToArray());
        int L = Languages.Count;
        var best = new int[words.Count];
        for (int i = 0; i < words.Count; i++)
            best[i] = ArgMax(logp.AsSpan(i * L, L));
        return best;
    }

    /// <summary>The <paramref name="k"/> most likely languages of <paramref name="word"/> with their probabilities, best first.</summary>
    public IReadOnlyList<(string Language, double Probability)> Top(string word, int k = 3)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), $"LanguageIdModel.Top: k must be positive, got {k}.");
        var normalized = NormalizeWord(word);
        if (normalized.Length == 0) throw new ArgumentException("an empty word has no language.");
        var logp = LogProbabilities([normalized]);
        return Enumerable.Range(0, Languages.Count)
            .OrderByDescending(i => logp[i]).ThenBy(i => i)
            .Take(k)
            .Select(i => (Languages[i], Math.Exp(logp[i])))
            .ToArray();
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>
    /// Writes the network's parameters to a safetensors file with the alphabet, languages and architecture in its
    /// <c>__metadata__</c> (plus <paramref name="extra"/> entries, e.g. how it was trained), so <see cref="Load"/> needs nothing else.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            [ModelMetadata.KindKey] = Kind,
            ["architecture"] = Name(Architecture),
            ["hidden_size"] = HiddenSize.ToString(CultureInfo.InvariantCulture),
            ["alphabet"] = Alphabet.Letters,
            ["languages"] = ModelMetadata.Json(Languages),
        };
        Network.SaveSafeTensors(path, metadata);
    }

    /// <summary>
    /// Loads a model written by <see cref="Save"/>; returns it and the file's metadata. Every value is checked before it is
    /// used: the kind, the architecture, <c>hidden_size</c> within the limits of <see cref="LanguageIdOptions.Hidden"/>, at
    /// least two distinct languages, every weight finite, and the sizes against the shapes of the file's tensors before the
    /// network is built. A failure is an <see cref="InvalidDataException"/> naming the file and the entry or tensor.
    /// </summary>
    public static (LanguageIdModel Model, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Load(path);
        var meta = new ModelMetadata(path, file.Metadata);
        meta.ExpectKind(Kind);
        LanguageIdArchitecture architecture;
        try { architecture = ParseArchitecture(meta.Required("architecture")); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{path}: metadata entry 'architecture': {ex.Message}"); }
        var alphabet = meta.Alphabet("alphabet");
        var languages = meta.DistinctNames("languages");
        int hidden = meta.Size("hidden_size", SettingTable.Of<LanguageIdOptions>(nameof(LanguageIdOptions.Hidden)));
        ModelFile.RequireFinite(file, path);
        long a = alphabet.Count, h = hidden, l = languages.Length;
        string entries = $"hidden_size {hidden}, alphabet of {a} letters, {l} languages";
        meta.CheckTensors(file, entries, architecture switch
        {
            LanguageIdArchitecture.Cell => ModelMetadata.LinearTensors("i2h", a + h, h).Concat(ModelMetadata.LinearTensors("i2o", a + h, l)),
            _ => ModelMetadata.RecurrentTensors("rnn", architecture == LanguageIdArchitecture.Gru ? 3 : 4, a, h, 1).Concat(ModelMetadata.LinearTensors("out", h, l)),
        });
        var model = new LanguageIdModel(architecture, alphabet, languages, hidden, new Rng(0));
        model.Network.LoadSafeTensors(file, path);
        return (model, file.Metadata);
    }
}
