using System.Globalization;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;
using Hindsight.Serialization;
using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>
/// A character-level language model (one-to-many when sampled): one-hot letters (T, B, A) through an
/// <see cref="Lstm"/> or <see cref="Gru"/> (<c>rnn</c>), then <c>out = Linear(H, A)</c> on every step's output gives the
/// logits of the next letter. State is carried between calls through a <see cref="RecurrentState"/>.
/// Parameters: <c>rnn.weight_ih_l0</c>, ..., <c>out.weight</c>, <c>out.bias</c>.
/// </summary>
public sealed partial class CharLanguageModel : Module, IOnnxExportable
{
    internal const string Kind = "generate";

    /// <summary>Whether the layer is a GRU (otherwise an LSTM).</summary>
    public bool IsGru { get; }
    /// <summary>The letters read and written.</summary>
    public Alphabet Alphabet { get; }
    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get; }
    /// <summary>The recurrent layer (time-first).</summary>
    public RecurrentBase Rnn { get; }
    /// <summary>The head: next-letter logits from each step's output.</summary>
    public Linear Out { get; }

    /// <summary>Creates an untrained model; <paramref name="rng"/> draws the initial weights.</summary>
    public CharLanguageModel(bool gru, Alphabet alphabet, int hiddenSize, int numLayers, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(rng);
        IsGru = gru; Alphabet = alphabet; HiddenSize = hiddenSize; NumLayers = numLayers;
        Rnn = RegisterModule<RecurrentBase>("rnn", gru ? new Gru(alphabet.Count, hiddenSize, numLayers, rng: rng) : new Lstm(alphabet.Count, hiddenSize, numLayers, rng: rng));
        Out = RegisterModule("out", new Linear(hiddenSize, alphabet.Count, rng: rng));
    }

    /// <summary>The architecture's name: <c>lstm</c> or <c>gru</c>.</summary>
    public string ArchitectureName => IsGru ? "gru" : "lstm";

    /// <summary>
    /// Logits (T*B, A) of the next letter after each input letter (row t*B + b), from one-hot letters (T, B, A).
    /// Starts from <paramref name="state"/> (zeros when reset) and carries the final state into it, detached.
    /// </summary>
    public Tensor Forward(Tensor letters, RecurrentState state)
    {
        ArgumentNullException.ThrowIfNull(letters);
        ArgumentNullException.ThrowIfNull(state);
        var (y, final) = Rnn.Forward(letters, state.State);         // (T, B, H), LSTM or GRU alike
        state.Carry(final);
        var logits = Out.Forward(y);                                // (T, B, A)
        return Ops.Reshape(logits, letters.Dim(0) * letters.Dim(1), Alphabet.Count);
    }

    /// <summary>One-hot letters (T, B, A) of B streams: letter t of stream b is <c>codes[starts[b] + t]</c>.</summary>
    public Tensor OneHot(ReadOnlySpan<int> codes, ReadOnlySpan<int> starts, int steps)
    {
        int B = starts.Length, A = Alphabet.Count;
        var x = new Tensor(steps, B, A);
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < B; b++)
                x.Data[(t * B + b) * A + codes[starts[b] + t]] = 1f;
        return x;
    }

    /// <summary>Writes the parameters to a safetensors file with the alphabet and architecture (and <paramref name="extra"/>) in <c>__metadata__</c>.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var metadata = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            [ModelMetadata.KindKey] = Kind,
            ["architecture"] = ArchitectureName,
            ["hidden_size"] = HiddenSize.ToString(CultureInfo.InvariantCulture),
            ["num_layers"] = NumLayers.ToString(CultureInfo.InvariantCulture),
            ["alphabet"] = Alphabet.Letters,
        };
        this.SaveSafeTensors(path, metadata);
    }

    /// <summary>
    /// Loads a model written by <see cref="Save"/>. Every value is checked before it is used: the kind, the architecture,
    /// <c>hidden_size</c> and <c>num_layers</c> within the limits of <see cref="TextGenOptions.Hidden"/> and
    /// <see cref="TextGenOptions.Layers"/>, every weight finite, and the sizes against the shapes of the file's tensors
    /// before the network is built. A failure is an <see cref="InvalidDataException"/> naming the file and the entry or tensor.
    /// </summary>
    public static (CharLanguageModel Model, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Load(path);
        var meta = new ModelMetadata(path, file.Metadata);
        meta.ExpectKind(Kind);
        var arch = meta.Required("architecture");
        if (arch is not ("lstm" or "gru")) throw new InvalidDataException($"{path}: metadata entry 'architecture' is '{arch}', expected lstm or gru.");
        var alphabet = meta.Alphabet("alphabet");
        int hidden = meta.Size("hidden_size", SettingTable.Of<TextGenOptions>(nameof(TextGenOptions.Hidden)));
        int layers = meta.Size("num_layers", SettingTable.Of<TextGenOptions>(nameof(TextGenOptions.Layers)));
        ModelFile.RequireFinite(file, path);
        long a = alphabet.Count;
        meta.CheckTensors(file, $"hidden_size {hidden}, num_layers {layers}, alphabet of {a} letters",
            ModelMetadata.RecurrentTensors("rnn", arch == "gru" ? 3 : 4, a, hidden, layers).Concat(ModelMetadata.LinearTensors("out", hidden, a)));
        var model = new CharLanguageModel(arch == "gru", alphabet, hidden, layers, new Rng(0));
        model.LoadSafeTensors(file, path);
        model.Eval();
        return (model, file.Metadata);
    }
}
