using Hindsight.Serialization;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// How an <see cref="EsRnnForecaster"/> lives in the forecaster model file (<see cref="ForecastModelFile"/>): the network
/// under PyTorch names (<c>rnn.weight_ih_l0</c>, ..., <c>dense.weight</c>, <c>head.weight</c>), the smoothing as
/// <c>es.level_logit</c> (S), <c>es.season_logit</c> (S) and <c>es.initial_season</c> (S, m) (the last two only with a season),
/// and the positivity shifts as <c>es.shift</c> (S). An ensemble of several members stores each member's network and
/// smoothing under <c>member{i}.</c> (<c>member0.rnn.weight_ih_l0</c>, <c>member1.es.level_logit</c>, ...); the shifts once.
/// </summary>
internal static class EsRnnModelFile
{
    private const string Prefix = "es.", ShiftName = "es.shift";

    /// <summary>Every tensor of a fitted model, named as in the file.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> Tensors(EsRnnForecaster model)
    {
        for (int i = 0; i < model.Nets.Count; i++)
        {
            string member = MemberPrefix(i, model.Nets.Count);
            foreach (var (name, value) in model.Nets[i].NamedParameters()) yield return KeyValuePair.Create(member + name, value);
            foreach (var (name, value) in model.Smoothings[i].NamedParameters()) yield return KeyValuePair.Create(member + Prefix + name, value);
        }
        yield return KeyValuePair.Create(ShiftName, Tensor.FromArray(model.Shift.ToArray(), model.Shift.Count));
    }

    /// <summary>
    /// The tensors a model of <paramref name="settings"/> over <paramref name="seriesCount"/> series holds, with shapes (as
    /// longs, so a forged size cannot overflow), lazily: checked before anything is built from the settings.
    /// </summary>
    private static IEnumerable<(string Name, long[] Shape)> Expected(ForecastSettings settings, int seriesCount)
    {
        long h = settings.Hidden, o = (long)settings.Horizon * EsRnnForecaster.HeadOf(settings).Width, gates = settings.EsRnn.Cell == EsRnnCell.Gru ? 3 : 4, s = seriesCount;
        int members = settings.Ensemble;
        for (int i = 0; i < members; i++)
        {
            string m = MemberPrefix(i, members);
            for (int k = 0; k < settings.Layers; k++)
            {
                yield return ($"{m}rnn.weight_ih_l{k}", [gates * h, k == 0 ? 1 : h]);
                yield return ($"{m}rnn.weight_hh_l{k}", [gates * h, h]);
                yield return ($"{m}rnn.bias_ih_l{k}", [gates * h]);
                yield return ($"{m}rnn.bias_hh_l{k}", [gates * h]);
            }
            yield return ($"{m}dense.weight", [h, h]); yield return ($"{m}dense.bias", [h]);
            yield return ($"{m}head.weight", [o, h]); yield return ($"{m}head.bias", [o]);
            yield return ($"{m}es.level_logit", [s]);
            if (settings.SeasonalPeriod > 1)
            {
                yield return ($"{m}es.season_logit", [s]);
                yield return ($"{m}es.initial_season", [s, settings.SeasonalPeriod]);
            }
        }
        yield return (ShiftName, [s]);
    }

    // The name prefix of member i of an ensemble of count (none for a single model).
    private static string MemberPrefix(int i, int count) => count == 1 ? "" : $"member{i}.";

    // The tensors of the file under prefix, without it.
    private static Dictionary<string, Tensor> Under(SafeTensorsFile file, string prefix) =>
        file.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    /// <summary>Checks the file's tensors against the settings, before a model is built from them.</summary>
    /// <exception cref="InvalidDataException">A tensor missing, extra or of the wrong shape (names the file and the tensor).</exception>
    public static void Check(string path, SafeTensorsFile file, ForecastSettings settings, int seriesCount)
    {
        string sizes = $"hidden {settings.Hidden}, layers {settings.Layers}, horizon {settings.Horizon}, season {settings.SeasonalPeriod}, {seriesCount} series";
        int expected = 0;
        foreach (var (name, shape) in Expected(settings, seriesCount))
        {
            expected++;
            if (!file.Tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{path}: metadata entry 'settings' ({sizes}) calls for tensor '{name}' ({string.Join(", ", shape)}), which the file does not hold.");
            if (!t.Shape.ToArray().Select(d => (long)d).SequenceEqual(shape))
                throw new InvalidDataException($"{path}: metadata entry 'settings' ({sizes}) disagrees with tensor '{name}': it has shape {t.ShapeString}, expected ({string.Join(", ", shape)}).");
        }
        if (file.Tensors.Count != expected)
        {
            var extra = file.Tensors.Keys.Except(Expected(settings, seriesCount).Select(x => x.Name)).First();
            throw new InvalidDataException($"{path}: tensor '{extra}' is not part of the esrnn model that metadata entry 'settings' ({sizes}) describes.");
        }
    }

    /// <summary>Loads the file's tensors (already <see cref="Check"/>ed) into <paramref name="model"/>, made from the file's settings.</summary>
    /// <exception cref="InvalidDataException">A negative shift.</exception>
    public static void Load(string path, SafeTensorsFile file, EsRnnForecaster model, int seriesCount)
    {
        var settings = model.Settings;
        int members = model.Nets.Count;
        var smoothings = new List<SeriesSmoothing>();
        for (int i = 0; i < members; i++)
        {
            string m = MemberPrefix(i, members);
            model.Nets[i].LoadStateDict(Under(file, m).Where(kv => !kv.Key.StartsWith(Prefix, StringComparison.Ordinal) && !kv.Key.StartsWith("member", StringComparison.Ordinal)).ToDictionary());
            var smoothing = new SeriesSmoothing(seriesCount, settings.SeasonalPeriod);
            smoothing.LoadStateDict(Under(file, m + Prefix).Where(kv => kv.Key != "shift").ToDictionary());
            smoothings.Add(smoothing);
        }
        var shift = file.Get(ShiftName, path).Data;
        foreach (float v in shift)
            if (!(v >= 0)) throw new InvalidDataException($"{path}: tensor '{ShiftName}' holds {v}; a shift must be at least 0.");
        model.Restore(smoothings, (float[])shift.Clone());
    }
}
