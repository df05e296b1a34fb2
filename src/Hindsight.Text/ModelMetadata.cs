using System.Globalization;
using System.Text.Json;
using Hindsight.Serialization;
using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>
/// Reads the string metadata of a text model file; a missing, malformed or out-of-range entry names the file and the key.
/// Sizes read here are checked against the limits of the options record that trains them (<see cref="SettingTable"/>) and,
/// with <see cref="CheckTensors"/>, against the shapes of the tensors in the file before a network is built from them, so a
/// forged size can neither allocate more than the file holds nor reach a constructor.
/// </summary>
internal sealed class ModelMetadata(string path, IReadOnlyDictionary<string, string> values)
{
    public const string KindKey = "hindsight.kind";

    public string Path { get; } = path;

    public string Required(string key) =>
        values.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new InvalidDataException($"{Path}: metadata entry '{key}' is missing (is this a model file written by this command?).");

    public void ExpectKind(string kind)
    {
        values.TryGetValue(KindKey, out var actual);
        if (actual != kind)
            throw new InvalidDataException($"{Path}: not a '{kind}' model file (metadata '{KindKey}' is {(actual is null ? "missing" : $"'{actual}'")}).");
    }

    public int PositiveInt(string key)
    {
        var text = Required(key);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw new InvalidDataException($"{Path}: metadata entry '{key}' is '{text}', expected a positive integer.");
    }

    /// <summary>A positive integer that also lies within <paramref name="limit"/>'s range (the training option's limits).</summary>
    public int Size(string key, Setting limit)
    {
        int v = PositiveInt(key);
        return limit.Problem(v) is { } problem
            ? throw new InvalidDataException($"{Path}: metadata entry '{key}' is {v.ToString(CultureInfo.InvariantCulture)}: {problem}")
            : v;
    }

    /// <summary>A JSON array of at least two distinct non-empty strings (language names).</summary>
    public string[] DistinctNames(string key)
    {
        var items = StringArray(key);
        if (items.Length < 2) throw new InvalidDataException($"{Path}: metadata entry '{key}' names {items.Length} item; a model tells at least 2 apart.");
        var twice = items.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InvalidDataException($"{Path}: metadata entry '{key}' names '{twice.Key}' twice.");
        return items;
    }

    /// <summary>
    /// Checks that <paramref name="file"/> holds exactly the tensors <paramref name="expected"/> (in order, sizes as longs so
    /// a forged size cannot overflow), which <paramref name="entries"/> (e.g. "hidden_size 64, alphabet of 26 letters")
    /// call for. The sequence is read lazily: a forged layer count stops at the first missing layer.
    /// </summary>
    public void CheckTensors(SafeTensorsFile file, string entries, IEnumerable<(string Name, long[] Shape)> expected)
    {
        int count = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            count++;
            names.Add(name);
            if (!file.Tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{Path}: metadata entries {entries} call for tensor '{name}' ({string.Join(", ", shape)}), which the file does not hold.");
            if (!t.Shape.ToArray().Select(d => (long)d).SequenceEqual(shape))
                throw new InvalidDataException($"{Path}: metadata entries {entries} disagree with tensor '{name}': it has shape {t.ShapeString}, expected ({string.Join(", ", shape)}).");
        }
        if (file.Tensors.Count != count)
            throw new InvalidDataException($"{Path}: tensor '{file.Tensors.Keys.First(k => !names.Contains(k))}' is not a parameter of the network that metadata entries {entries} describe.");
    }

    /// <summary>The parameters PyTorch's <c>nn.RNN/LSTM/GRU</c> (one direction, with biases) registers under <paramref name="prefix"/>.</summary>
    public static IEnumerable<(string Name, long[] Shape)> RecurrentTensors(string prefix, long gates, long input, long hidden, int layers)
    {
        for (int k = 0; k < layers; k++)
        {
            yield return ($"{prefix}.weight_ih_l{k}", [gates * hidden, k == 0 ? input : hidden]);
            yield return ($"{prefix}.weight_hh_l{k}", [gates * hidden, hidden]);
            yield return ($"{prefix}.bias_ih_l{k}", [gates * hidden]);
            yield return ($"{prefix}.bias_hh_l{k}", [gates * hidden]);
        }
    }

    /// <summary>The parameters of <c>nn.Linear(input, output)</c> under <paramref name="prefix"/>.</summary>
    public static IEnumerable<(string Name, long[] Shape)> LinearTensors(string prefix, long input, long output)
    {
        yield return ($"{prefix}.weight", [output, input]);
        yield return ($"{prefix}.bias", [output]);
    }

    public string[] StringArray(string key)
    {
        var text = Required(key);
        try
        {
            var items = JsonSerializer.Deserialize<string[]>(text);
            if (items is { Length: > 0 } && items.All(s => !string.IsNullOrEmpty(s))) return items;
        }
        catch (JsonException) { }
        throw new InvalidDataException($"{Path}: metadata entry '{key}' is not a JSON array of non-empty strings.");
    }

    public Alphabet Alphabet(string key)
    {
        var letters = Required(key);
        try { return new Alphabet(letters); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{Path}: metadata entry '{key}': {ex.Message}"); }
    }

    public static string Json(IEnumerable<string> items) => JsonSerializer.Serialize(items.ToArray());

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
