using System.Globalization;
using System.Text.Json;
using Hindsight.Serialization;
using Hindsight.Settings;

namespace Hindsight.Images;

/// <summary>
/// An image classifier in one safetensors file: the network's weights under PyTorch names and, in the metadata, everything
/// needed to read an image the way training did (width, height, channels, pixel scale, layout, resize) plus the class
/// names and hidden sizes. Loading checks the metadata against the option limits and the tensors' shapes before building
/// a network, so a forged file is an <see cref="InvalidDataException"/> naming the file and the entry, never a crash.
/// </summary>
public static class ImageModelFile
{
    /// <summary>The value of <c>hindsight.kind</c> in an image model file.</summary>
    public const string Kind = "images";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically; <paramref name="extra"/> adds entries (training facts).</summary>
    public static void Save(ImageClassifier model, string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["hindsight.kind"] = Kind,
            ["classes"] = JsonSerializer.Serialize(model.Classes.ToArray()),
            ["hidden"] = JsonSerializer.Serialize(model.Hidden.ToArray()),
            ["width"] = model.Shape.Width.ToString(CultureInfo.InvariantCulture),
            ["height"] = model.Shape.Height.ToString(CultureInfo.InvariantCulture),
            ["channels"] = ImageShape.Name(model.Shape.Channels),
            ["pixel_scale"] = "byte / 255, so each value is in [0, 1]; transparency composited over black; gray = 0.299 R + 0.587 G + 0.114 B",
            ["layout"] = "HWC: rows top to bottom, pixels left to right, a pixel's channels together (reshape(1, -1) of an (H, W, C) array)",
            ["resize"] = "area averaging (PIL Image.BOX)",
        };
        model.Network.SaveSafeTensors(path, meta);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; returns it with the file's metadata.</summary>
    /// <exception cref="InvalidDataException">Not an image model file, or its metadata and tensors disagree (the message says how).</exception>
    public static (ImageClassifier Model, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var file = SafeTensors.Load(path);
        var meta = file.Metadata;
        string Entry(string key) => meta.TryGetValue(key, out var v) && v.Length > 0 ? v
            : throw new InvalidDataException($"{path}: metadata entry '{key}' is missing (is this a model file written by 'hindsight images train'?).");
        meta.TryGetValue("hindsight.kind", out var kind);
        if (kind != Kind) throw new InvalidDataException($"{path}: not an image model file (metadata 'hindsight.kind' is {(kind is null ? "missing" : $"'{kind}'")}, expected '{Kind}').");
        int Size(string key, int max)
        {
            var text = Entry(key);
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= max ? v
                : throw new InvalidDataException($"{path}: metadata entry '{key}' is '{text}', expected a whole number from 1 to {max}.");
        }
        int width = Size("width", ImageReadOptions.MaxSide), height = Size("height", ImageReadOptions.MaxSide);
        var channels = Entry("channels") switch
        {
            "gray" => ImageChannels.Gray,
            "rgb" => ImageChannels.Rgb,
            var other => throw new InvalidDataException($"{path}: metadata entry 'channels' is '{other}', expected gray or rgb."),
        };
        var classes = Json<string[]>(path, "classes", Entry("classes"));
        if (classes.Length < 2 || classes.Any(string.IsNullOrEmpty) || classes.Distinct(StringComparer.Ordinal).Count() != classes.Length)
            throw new InvalidDataException($"{path}: metadata entry 'classes' must name at least 2 distinct non-empty classes.");
        var hidden = Json<int[]>(path, "hidden", meta.TryGetValue("hidden", out var h) ? h : "[]");
        var limit = SettingTable.Of<ImageTrainOptions>(nameof(ImageTrainOptions.Hidden));
        if (hidden.Length > SizeLimits.Layers || limit.Problem(hidden) is not null)
            throw new InvalidDataException($"{path}: metadata entry 'hidden' is {meta["hidden"]}: at most {SizeLimits.Layers} sizes, each from 1 to {SizeLimits.Hidden}.");
        var shape = new ImageShape(width, height, channels);
        // the tensors the metadata calls for, checked before anything is allocated
        long input = (long)width * height * (int)channels;
        var expected = new List<(string Name, long[] Shape)>();
        for (int k = 0; k <= hidden.Length; k++)
        {
            long output = k < hidden.Length ? hidden[k] : classes.Length;
            expected.Add(($"{2 * k}.weight", [output, input]));
            expected.Add(($"{2 * k}.bias", [output]));
            input = output;
        }
        foreach (var (name, dims) in expected)
        {
            if (!file.Tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{path}: the metadata ({shape}, hidden [{string.Join(",", hidden)}], {classes.Length} classes) calls for tensor '{name}' ({string.Join(", ", dims)}), which the file does not hold.");
            if (!t.Shape.ToArray().Select(d => (long)d).SequenceEqual(dims))
                throw new InvalidDataException($"{path}: tensor '{name}' has shape {t.ShapeString}, but the metadata ({shape}, hidden [{string.Join(",", hidden)}], {classes.Length} classes) calls for ({string.Join(", ", dims)}).");
        }
        var model = new ImageClassifier(shape, classes, hidden, new Rng(0));
        model.Network.LoadSafeTensors(file, path);
        return (model, meta);
    }

    private static T Json<T>(string path, string key, string text)
    {
        try
        {
            if (JsonSerializer.Deserialize<T>(text) is { } value) return value;
        }
        catch (JsonException) { }
        throw new InvalidDataException($"{path}: metadata entry '{key}' is not a JSON array of the expected kind ('{text}').");
    }
}
