using System.Globalization;
using System.Text.Json;

namespace Hindsight.Text;

/// <summary>Reads the string metadata of a text model file; a missing or malformed entry names the file and the key.</summary>
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
