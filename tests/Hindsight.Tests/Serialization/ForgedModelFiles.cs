using System.Text.Json;
using System.Text.Json.Nodes;
using Hindsight.Forecasting;
using Hindsight.Serialization;
using Hindsight.Text;

namespace Hindsight.Tests.Serialization;

/// <summary>
/// Real small model files of every kind, written by the real <c>Save</c> methods into a temporary folder, and a way to
/// forge them: load, edit the metadata or the tensors, save again with <see cref="SafeTensors.Save"/>.
/// </summary>
public sealed class ForgedModelFiles : IDisposable
{
    /// <summary>The settings the forecaster files are trained with (small and quick).</summary>
    public static readonly ForecastSettings Settings = new() { Horizon = 4, Lookback = 8, SeasonalPeriod = 12, Hidden = 6, Epochs = 1, Seed = 3, Ensemble = 1 };

    /// <summary>Ids of the training series (the columns of <see cref="WriteData"/>).</summary>
    public static readonly string[] SeriesIds = ["s0", "s1"];

    public string Folder { get; } = Directory.CreateTempSubdirectory("hindsight-forged-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A trained forecaster file (<paramref name="model"/>: mlp, rnn, lstm, gru, jordan, ar), with conformal widths when asked.</summary>
    public string Forecaster(string model, ForecastSettings? settings = null, bool intervals = false)
    {
        settings ??= Settings;
        var series = Forecasting.ForecastFiles.Seasonal(SeriesIds.Length, 40);
        var m = settings.Create(model);
        m.Fit(series);
        var path = PathOf($"{model}-{Guid.NewGuid():N}.safetensors");
        var conformal = intervals ? new ConformalIntervals(0.8, Enumerable.Range(1, settings.Horizon).Select(k => 0.5f * k).ToArray(), 10) : null;
        ForecastModelFile.Save(path, m, settings, SeriesIds, new Frequency(TimeUnit.Month, 1), conformal);
        return path;
    }

    /// <summary>The series the forecasters were trained on as a long CSV (series s0, s1; monthly).</summary>
    public string WriteData()
    {
        using var f = new Forecasting.ForecastFiles();
        var source = f.WriteLong("d.csv", Forecasting.ForecastFiles.Seasonal(SeriesIds.Length, 40));
        var path = PathOf("data.csv");
        File.Copy(source, path);
        return path;
    }

    /// <summary>A language identifier file (untrained weights: a real file of the real format).</summary>
    public string LanguageId(LanguageIdArchitecture architecture)
    {
        var model = new LanguageIdModel(architecture, new Alphabet("abcdefgh"), ["en", "fr", "de"], 6, new Rng(1));
        var path = PathOf($"langid-{architecture}-{Guid.NewGuid():N}.safetensors");
        model.Save(path);
        return path;
    }

    /// <summary>A character language model file of <paramref name="layers"/> layers.</summary>
    public string Generate(bool gru, int layers = 1)
    {
        var model = new CharLanguageModel(gru, new Alphabet("abcdefgh "), 6, layers, new Rng(2));
        var path = PathOf($"generate-{(gru ? "gru" : "lstm")}-{Guid.NewGuid():N}.safetensors");
        model.Save(path);
        return path;
    }

    /// <summary>Rewrites <paramref name="path"/> after <paramref name="edit"/> changed its metadata or tensors.</summary>
    public static void Forge(string path, Action<Dictionary<string, string>, Dictionary<string, Tensor>> edit)
    {
        var file = SafeTensors.Load(path);
        var meta = new Dictionary<string, string>(file.Metadata);
        var tensors = new Dictionary<string, Tensor>(file.Tensors);
        edit(meta, tensors);
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Sets one metadata entry.</summary>
    public static void ForgeEntry(string path, string key, string value) => Forge(path, (meta, _) => meta[key] = value);

    /// <summary>Sets one property of the forecaster's <c>settings</c> JSON (PascalCase, as saved) to a raw JSON value.</summary>
    public static void ForgeSetting(string path, string property, JsonNode? value) =>
        Forge(path, (meta, _) =>
        {
            var settings = JsonNode.Parse(meta["settings"])!.AsObject();
            settings[property] = value;
            meta["settings"] = settings.ToJsonString();
        });

    /// <summary>Puts <paramref name="bad"/> into element 1 of tensor <paramref name="name"/>.</summary>
    public static void ForgeWeight(string path, string name, float bad) => Forge(path, (_, tensors) => tensors[name].Data[1] = bad);

    /// <summary>The JSON of a float array as saved.</summary>
    public static string Json(float[] values) => JsonSerializer.Serialize(values);
}
