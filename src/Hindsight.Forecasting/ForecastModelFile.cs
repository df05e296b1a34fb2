using System.Globalization;
using System.Text.Json;
using Hindsight.Serialization;

namespace Hindsight.Forecasting;

/// <summary>A forecaster read back from a model file, with what it was trained on.</summary>
/// <param name="Model">The fitted model (baselines, which learn nothing, are fitted on the histories at prediction time).</param>
/// <param name="Settings">The settings it was trained with.</param>
/// <param name="SeriesIds">Ids of the training series, in scaler order.</param>
/// <param name="Metadata">Every metadata entry of the file.</param>
/// <param name="Intervals">Conformal intervals calibrated at training time, or null.</param>
public sealed record LoadedForecaster(Forecaster Model, ForecastSettings Settings, IReadOnlyList<string> SeriesIds, IReadOnlyDictionary<string, string> Metadata,
    ConformalIntervals? Intervals);

/// <summary>
/// One safetensors file per trained forecaster. Tensors: the network's parameters under PyTorch names (neural models), or
/// <c>ar.coefficients</c> (intercept then lags). <c>__metadata__</c> (strings): <c>format</c> = <c>hindsight-forecaster/1</c>,
/// <c>model</c> (name), <c>settings</c> (JSON of <see cref="ForecastSettings"/>), <c>scaler.mean</c> and <c>scaler.std</c> (JSON
/// float arrays, round-trip exact), <c>series</c> (JSON array of ids), <c>frequency</c>, <c>selected_by</c> when <c>auto</c> chose it, and
/// with conformal intervals <c>conformal.level</c>, <c>conformal.width</c> (JSON per step) and <c>conformal.scores</c>.
/// </summary>
public static class ForecastModelFile
{
    /// <summary>The format tag written and required.</summary>
    public const string Format = "hindsight-forecaster/1";

    /// <summary>The <c>frequency</c> metadata of <paramref name="frequency"/>: <c>unit:step</c>, e.g. <c>month:1</c>.</summary>
    public static string FrequencyTag(Frequency frequency) => $"{frequency.Unit.ToString().ToLowerInvariant()}:{frequency.Step.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Writes <paramref name="model"/> (fitted) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, Forecaster model, ForecastSettings settings, IReadOnlyList<string> seriesIds, Frequency frequency,
        ConformalIntervals? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted) throw new InvalidOperationException($"{model.Name}: fit the model before saving it.");
        string? selectedBy = null;
        if (model is AutoForecaster auto) { model = auto.Chosen!; selectedBy = "auto"; }
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["model"] = model.Name,
            ["settings"] = JsonSerializer.Serialize(settings),
            ["series"] = JsonSerializer.Serialize(seriesIds),
            ["frequency"] = FrequencyTag(frequency),
        };
        if (selectedBy is not null) meta["selected_by"] = selectedBy;
        if (intervals is not null)
        {
            meta["conformal.level"] = intervals.Level.ToString("R", CultureInfo.InvariantCulture);
            meta["conformal.width"] = JsonSerializer.Serialize(intervals.Width);
            meta["conformal.scores"] = intervals.Scores.ToString(CultureInfo.InvariantCulture);
        }
        var tensors = new List<KeyValuePair<string, Tensor>>();
        SeriesScaler? scaler = null;
        switch (model)
        {
            case NeuralForecaster n:
                scaler = n.Scaler;
                tensors.AddRange(n.Net.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value)));
                break;
            case LinearArForecaster ar:
                scaler = ar.Scaler;
                tensors.Add(KeyValuePair.Create("ar.coefficients", Tensor.FromArray(ar.Coefficients.ToArray(), ar.Lags + 1)));
                break;
        }
        if (scaler is not null)
        {
            meta["scaler.mean"] = JsonSerializer.Serialize(scaler.Mean);
            meta["scaler.std"] = JsonSerializer.Serialize(scaler.Std);
        }
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Reads a model file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not a forecaster file, a missing or malformed entry, or weights of the wrong shape (names the file and entry).</exception>
    public static LoadedForecaster Load(string path)
    {
        var file = SafeTensors.Load(path);
        var meta = file.Metadata;
        string Get(string key) => meta.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: metadata entry '{key}' is missing (not a model file written by 'hindsight train'?).");
        T Parse<T>(string key)
        {
            try { return JsonSerializer.Deserialize<T>(Get(key)) ?? throw new InvalidDataException($"{path}: metadata entry '{key}' is null."); }
            catch (JsonException ex) { throw new InvalidDataException($"{path}: metadata entry '{key}' is not valid JSON ({ex.Message})."); }
        }
        if (Get("format") != Format) throw new InvalidDataException($"{path}: format '{meta["format"]}', expected '{Format}'.");
        var settings = Parse<ForecastSettings>("settings");
        var ids = Parse<string[]>("series");
        Forecaster model;
        try { model = settings.Create(Get("model")); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{path}: {ex.Message}"); }
        SeriesScaler? scaler = null;
        if (model is NeuralForecaster or LinearArForecaster)
        {
            scaler = new SeriesScaler(Parse<float[]>("scaler.mean"), Parse<float[]>("scaler.std"));
            if (scaler.Mean.Length != ids.Length || scaler.Std.Length != ids.Length)
                throw new InvalidDataException($"{path}: the scaler has {scaler.Mean.Length} means and {scaler.Std.Length} deviations for {ids.Length} series.");
        }
        switch (model)
        {
            case NeuralForecaster n:
                try { n.Net.LoadStateDict(file.Tensors); }
                catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException) { throw new InvalidDataException($"{path}: {ex.Message}"); }
                n.Restore(scaler!);
                break;
            case LinearArForecaster ar:
                var coef = file.Get("ar.coefficients", path);
                if (!coef.HasShape(ar.Lags + 1)) throw new InvalidDataException($"{path}: tensor 'ar.coefficients' has shape {coef.ShapeString}, expected ({ar.Lags + 1}).");
                ar.Restore(scaler!, coef.Data);
                break;
        }
        ConformalIntervals? intervals = null;
        if (meta.ContainsKey("conformal.level"))
        {
            if (!double.TryParse(Get("conformal.level"), NumberStyles.Float, CultureInfo.InvariantCulture, out double level) || !(level > 0 && level < 1))
                throw new InvalidDataException($"{path}: metadata entry 'conformal.level' is '{meta["conformal.level"]}', expected a number in (0, 1).");
            if (!int.TryParse(Get("conformal.scores"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int scores))
                throw new InvalidDataException($"{path}: metadata entry 'conformal.scores' is '{meta["conformal.scores"]}', expected an integer.");
            intervals = new ConformalIntervals(level, Parse<float[]>("conformal.width"), scores);
        }
        return new LoadedForecaster(model, settings, ids, meta, intervals);
    }
}
