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
    ConformalIntervals? Intervals)
{
    /// <summary>The covariate columns, calendar encoders and holidays option the model was trained with, or null without covariates.</summary>
    public Hindsight.Forecasting.Covariates.CovariateOptions? Covariates { get; init; }
    /// <summary>The holidays the model was trained with (kept in the file), or null.</summary>
    public Hindsight.Forecasting.Covariates.HolidayCalendar? Holidays { get; init; }
}

/// <summary>
/// One safetensors file per trained forecaster. Tensors: the network's parameters under PyTorch names (neural models), or
/// <c>ar.coefficients</c> (intercept then lags). <c>__metadata__</c> (strings): <c>format</c> = <c>hindsight-forecaster/1</c>,
/// <c>model</c> (name), <c>settings</c> (JSON of <see cref="ForecastSettings"/>), <c>scaler.mean</c> and <c>scaler.std</c> (JSON
/// float arrays, round-trip exact), <c>series</c> (JSON array of ids), <c>frequency</c>, <c>selected_by</c> when <c>auto</c> chose it, and
/// with conformal intervals <c>conformal.level</c>, <c>conformal.width</c> (JSON per step) and <c>conformal.scores</c>.
/// A neural model whose networks differ from the settings (an ensemble, or a lookback shortened for short data) also has
/// <c>members</c> (JSON array of <see cref="MemberEntry"/>) and its tensors prefixed <c>members.{i}.</c> (<c>members.3.mlp.0.weight</c>);
/// a file without <c>members</c> holds one network with the settings' sizes (the format before ensembles).
/// </summary>
public static class ForecastModelFile
{
    /// <summary>The format tag written and required.</summary>
    public const string Format = "hindsight-forecaster/1";

    /// <summary>The <c>frequency</c> metadata of <paramref name="frequency"/>: <c>unit:step</c>, e.g. <c>month:1</c>.</summary>
    public static string FrequencyTag(Frequency frequency) => $"{frequency.Unit.ToString().ToLowerInvariant()}:{frequency.Step.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Writes <paramref name="model"/> (fitted) to <paramref name="path"/> atomically.</summary>
    /// <remarks>
    /// A model trained with covariates also records how to read them again: <paramref name="covariates"/> (the columns,
    /// calendar encoders) and <paramref name="holidays"/> (the dates themselves), and the fitted encoder (scaling, levels).
    /// </remarks>
    public static void Save(string path, Forecaster model, ForecastSettings settings, IReadOnlyList<string> seriesIds, Frequency frequency,
        ConformalIntervals? intervals = null, Covariates.CovariateOptions? covariates = null, Covariates.HolidayCalendar? holidays = null)
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
                if (n.CovariateEncoder is { } encoder)
                {
                    meta["covariates.encoder"] = JsonSerializer.Serialize(encoder);
                    meta["covariates.options"] = JsonSerializer.Serialize(covariates ?? new Covariates.CovariateOptions());
                    if (holidays is not null)
                        meta["covariates.holidays"] = JsonSerializer.Serialize(holidays.Dates.Select(d => new[] { d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Name }).ToArray());
                }
                var plain = settings.Neural(n.Config.Kind);
                if (n.Members.Count == 1 && n.Members[0].Config.Lookback == plain.Lookback && n.Members[0].Config.Seed == plain.Seed
                    && n.Members[0].Config.ShortestInput == plain.ShortestInput)
                {
                    tensors.AddRange(n.Net.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value)));
                    break;
                }
                meta["members"] = JsonSerializer.Serialize(n.Members.Select(m => new MemberEntry(m.Config.Lookback, m.Config.Loss.ToString().ToLowerInvariant(), m.Config.Seed, m.Config.MinInput)).ToArray());
                for (int i = 0; i < n.Members.Count; i++)
                    tensors.AddRange(n.Members[i].Net.NamedParameters().Select(p => KeyValuePair.Create($"members.{i}.{p.Name}", p.Value)));
                break;
            case EsRnn.EsRnnForecaster es:
                tensors.AddRange(EsRnn.EsRnnModelFile.Tensors(es));
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

    /// <summary>
    /// The largest scaler deviation a model file may hold: forecasts are <c>z x std + mean</c> in float32, so a deviation
    /// this large keeps any scaled forecast |z| up to 1e8 finite (float32 reaches 3.4e38).
    /// </summary>
    public const float MaxScalerStd = 1e30f;

    /// <summary>
    /// Reads a model file written by <see cref="Save"/>. Every value is checked before it is used or sizes anything: the
    /// settings against the ranges declared on <see cref="ForecastSettings"/>, every weight finite, the network's sizes
    /// (hidden units, layers, lookback, outputs) against the shapes of the tensors in the file before the network is built,
    /// the scaler (finite means, deviations finite, above 0 and at most <see cref="MaxScalerStd"/>) and the conformal
    /// widths (finite, at least 0, one per horizon step).
    /// </summary>
    /// <exception cref="InvalidDataException">Not a forecaster file, a missing, malformed or out-of-range entry, a non-finite
    /// weight, or weights of the wrong shape (names the file and the entry or tensor).</exception>
    public static LoadedForecaster Load(string path)
    {
        var file = SafeTensors.Load(path);
        var meta = file.Metadata;
        string Get(string key) => meta.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: metadata entry '{key}' is missing (not a model file written by 'hindsight train'?).");
        T Parse<T>(string key)
        {
            try { return JsonSerializer.Deserialize<T>(Get(key)) ?? throw new InvalidDataException($"{path}: metadata entry '{key}' is null."); }
            catch (JsonException ex) { throw new InvalidDataException($"{path}: metadata entry '{key}' is not valid JSON ({ex.Message})."); }
            catch (NotSupportedException ex) { throw new InvalidDataException($"{path}: metadata entry '{key}' is not valid JSON ({ex.Message})."); }
        }
        if (Get("format") != Format) throw new InvalidDataException($"{path}: format '{meta["format"]}', expected '{Format}'.");
        var settings = Parse<ForecastSettings>("settings");
        try { settings.Validate(); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{path}: metadata entry 'settings': {Unparameter(ex)}"); }
        var ids = Parse<string[]>("series");
        ModelFile.RequireFinite(file, path);
        string name = Get("model");
        // Sizes from the metadata must agree with the tensors before anything is built from them.
        IReadOnlyList<NeuralConfig>? members = null;
        Covariates.CovariateEncoder? encoder = null;
        Covariates.CovariateOptions? covariateOptions = null;
        Covariates.HolidayCalendar? holidays = null;
        if (NeuralKindOf(name) is NeuralKind kind)
        {
            if (meta.ContainsKey("covariates.encoder"))
            {
                encoder = CheckEncoder(path, Parse<Covariates.CovariateEncoder>("covariates.encoder"));
                covariateOptions = Parse<Covariates.CovariateOptions>("covariates.options");
                if (meta.ContainsKey("covariates.holidays"))
                {
                    var dates = Parse<string[][]>("covariates.holidays").Select(d => d is [var date, var n] && DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                        ? (at.Date, n ?? "") : throw new InvalidDataException($"{path}: metadata entry 'covariates.holidays' holds an item that is not [\"yyyy-MM-dd\", name].")).ToList();
                    holidays = new Covariates.HolidayCalendar(dates, covariateOptions.HolidaysByName);
                }
            }
            if (meta.ContainsKey("members"))
            {
                members = Members(path, Parse<MemberEntry[]>("members"), settings.Neural(kind));
                CheckMemberShapes(path, file, members, encoder);
            }
            else CheckNetworkShapes(path, file, settings.Neural(kind), null, encoder);
        }
        else if (name.Trim().Equals("esrnn", StringComparison.OrdinalIgnoreCase)) EsRnn.EsRnnModelFile.Check(path, file, settings, ids.Length);
        else if (IsAr(name))
        {
            var coef = file.Get("ar.coefficients", path);
            if (coef.Rank != 1 || coef.Shape[0] != (long)settings.Lookback + 1)
                throw new InvalidDataException($"{path}: metadata entry 'settings' says lookback {settings.Lookback} but tensor 'ar.coefficients' has shape {coef.ShapeString}, expected ({(long)settings.Lookback + 1}).");
        }
        Forecaster model;
        try { model = settings.Create(name); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{path}: metadata entry 'model': {Unparameter(ex)}"); }
        SeriesScaler? scaler = null;
        if (model is NeuralForecaster or LinearArForecaster)
        {
            scaler = new SeriesScaler(Parse<float[]>("scaler.mean"), Parse<float[]>("scaler.std"));
            if (scaler.Mean.Length != ids.Length || scaler.Std.Length != ids.Length)
                throw new InvalidDataException($"{path}: the scaler has {scaler.Mean.Length} means and {scaler.Std.Length} deviations for {ids.Length} series.");
            CheckScaler(path, scaler);
        }
        switch (model)
        {
            case NeuralForecaster n:
                try
                {
                    if (members is null) n.Restore(scaler!, [n.Members[0].Config], (_, net) => net.LoadStateDict(file.Tensors), encoder);
                    else n.Restore(scaler!, members, (i, net) => net.LoadStateDict(Prefixed(file, $"members.{i}.")), encoder);
                }
                catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException) { throw new InvalidDataException($"{path}: {ex.Message}"); }
                break;
            case EsRnn.EsRnnForecaster es:
                EsRnn.EsRnnModelFile.Load(path, file, es, ids.Length);
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
            if (!int.TryParse(Get("conformal.scores"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int scores) || scores < 1)
                throw new InvalidDataException($"{path}: metadata entry 'conformal.scores' is '{meta["conformal.scores"]}', expected a positive integer.");
            var width = Parse<float[]>("conformal.width");
            if (width.Length != settings.Horizon)
                throw new InvalidDataException($"{path}: metadata entry 'conformal.width' has {width.Length} widths for a horizon of {settings.Horizon} (one per step expected).");
            for (int k = 0; k < width.Length; k++)
                if (!(float.IsFinite(width[k]) && width[k] >= 0))
                    throw new InvalidDataException($"{path}: metadata entry 'conformal.width' holds {Show(width[k])} at step {k + 1}; a half-width must be a finite number at least 0 (the lower bound never above the upper).");
            intervals = new ConformalIntervals(level, width, scores);
        }
        return new LoadedForecaster(model, settings, ids, meta, intervals) { Covariates = covariateOptions, Holidays = holidays };
    }

    // The covariate encoder of a file: one statistic per covariate, finite, deviations above 0, and levels for categorical ones only.
    private static Covariates.CovariateEncoder CheckEncoder(string path, Covariates.CovariateEncoder e)
    {
        var s = e.Schema ?? throw new InvalidDataException($"{path}: metadata entry 'covariates.encoder' has no schema.");
        bool ok = s.Past is not null && s.Future is not null && s.Static is not null && s.StaticCategorical is not null && s.FutureScaled is not null
            && e.PastMean?.Length == s.Past.Length && e.PastStd?.Length == s.Past.Length && e.FutureMean?.Length == s.Future.Length && e.FutureStd?.Length == s.Future.Length
            && s.FutureScaled.Length == s.Future.Length && s.StaticCategorical.Length == s.Static.Length && e.StaticMean?.Length == s.Static.Length && e.StaticStd?.Length == s.Static.Length
            && e.Levels?.Length == s.Static.Length && e.Levels.Select((l, j) => l is not null && (l.Length > 0) == s.StaticCategorical[j] && l.Length <= 100_000).All(x => x)
            && e.PastMean.Concat(e.FutureMean).Concat(e.StaticMean).All(float.IsFinite)
            && e.PastStd.Concat(e.FutureStd).Concat(e.StaticStd).All(v => float.IsFinite(v) && v > 0 && v <= MaxScalerStd)
            && s.Past.Length + s.Future.Length + s.Static.Length <= 100_000;
        return ok ? e : throw new InvalidDataException($"{path}: metadata entry 'covariates.encoder' is inconsistent (one finite mean and positive deviation per covariate, levels for the categorical ones only).");
    }

    /// <summary>One network of a neural ensemble in a model file's <c>members</c> entry.</summary>
    /// <param name="Lookback">Its input window.</param>
    /// <param name="Loss">Its training loss (<c>mse</c>, <c>mae</c>, <c>smape</c>, <c>mase</c>).</param>
    /// <param name="Seed">Its seed.</param>
    /// <param name="MinInput">Its shortest input (recurrent kinds), or null.</param>
    public sealed record MemberEntry(int Lookback, string Loss, ulong Seed, int? MinInput);

    // The member configurations of a `members` entry, each value checked before anything is sized by it.
    private static NeuralConfig[] Members(string path, MemberEntry[] entries, NeuralConfig plain)
    {
        if (entries.Length == 0 || entries.Length > Settings.SizeLimits.Seeds)
            throw new InvalidDataException($"{path}: metadata entry 'members' holds {entries.Length} networks; expected 1 to {Settings.SizeLimits.Seeds}.");
        var configs = new NeuralConfig[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = entries[i] ?? throw new InvalidDataException($"{path}: metadata entry 'members' item {i} is null.");
            try
            {
                configs[i] = plain with { Ensemble = 1, Lookback = e.Lookback, Losses = NeuralLosses.Parse(e.Loss ?? ""), Seed = e.Seed, MinInput = e.MinInput };
                configs[i].Validate();
            }
            catch (ArgumentException ex) { throw new InvalidDataException($"{path}: metadata entry 'members' item {i}: {Unparameter(ex)}"); }
        }
        return configs;
    }

    // Every member's tensors (prefixed members.{i}.) against its sizes, and no other tensor in the file.
    private static void CheckMemberShapes(string path, SafeTensorsFile file, IReadOnlyList<NeuralConfig> members, Covariates.CovariateEncoder? encoder)
    {
        int expected = 0;
        for (int i = 0; i < members.Count; i++) expected += CheckNetworkShapes(path, file, members[i], $"members.{i}.", encoder);
        if (file.Tensors.Count != expected)
        {
            var known = members.SelectMany((c, i) => NetworkTensors(c, encoder).Select(x => $"members.{i}.{x.Name}")).ToHashSet();
            var extra = file.Tensors.Keys.First(k => !known.Contains(k));
            throw new InvalidDataException($"{path}: tensor '{extra}' is not a parameter of any network that metadata entry 'members' describes.");
        }
    }

    // The tensors named prefix + name, under their names without the prefix.
    private static Dictionary<string, Tensor> Prefixed(SafeTensorsFile file, string prefix) =>
        file.Tensors.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);

    private static string Show(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    // An ArgumentException's message without the " (Parameter 'x')" suffix.
    private static string Unparameter(ArgumentException ex) =>
        ex.ParamName is { } p ? ex.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : ex.Message;

    private static bool IsAr(string name) => name.Trim().ToLowerInvariant() is "ar" or "linear-ar";

    private static NeuralKind? NeuralKindOf(string name) => name.Trim().ToLowerInvariant() switch
    {
        "mlp" => NeuralKind.Mlp,
        "rnn" => NeuralKind.Rnn,
        "lstm" => NeuralKind.Lstm,
        "gru" => NeuralKind.Gru,
        "jordan" => NeuralKind.Jordan,
        "nbeats" => NeuralKind.NBeats,
        "nbeatsi" => NeuralKind.NBeatsInterpretable,
        "nhits" => NeuralKind.NHits,
        _ => null,
    };

    private static void CheckScaler(string path, SeriesScaler scaler)
    {
        for (int s = 0; s < scaler.Mean.Length; s++)
            if (!float.IsFinite(scaler.Mean[s]))
                throw new InvalidDataException($"{path}: metadata entry 'scaler.mean' holds {Show(scaler.Mean[s])} for series {s + 1}; a mean must be a finite number.");
        for (int s = 0; s < scaler.Std.Length; s++)
        {
            float sd = scaler.Std[s];
            if (!(float.IsFinite(sd) && sd > 0 && sd <= MaxScalerStd))
                throw new InvalidDataException($"{path}: metadata entry 'scaler.std' holds {Show(sd)} for series {s + 1}; a deviation must be greater than 0 and at most {Show(MaxScalerStd)}.");
        }
    }

    /// <summary>
    /// The tensors <see cref="ForecastNet"/> would register for <paramref name="c"/>, in order, with their shapes (as longs:
    /// a forged size cannot overflow), produced lazily so a forged layer count stops at the first missing layer.
    /// </summary>
    private static IEnumerable<(string Name, long[] Shape)> NetworkTensors(NeuralConfig c, Covariates.CovariateEncoder? encoder = null)
    {
        long l = c.Lookback, h = c.Hidden, o = c.NetworkOutputs;
        long step = encoder is null ? 0 : Covariates.CovariateBatch.StepWidth(encoder), head = encoder is null ? 0 : Covariates.CovariateBatch.HeadWidth(encoder, c.OutputSteps);
        if (Networks.NBeatsNetwork.Implements(c.Kind))
        {
            foreach (var t in Networks.NBeatsNetwork.ParameterShapes("stacks", c.Kind, c.Lookback, c.NetworkOutputs, c.Stacks, c.StackBlocks, c.BlockWidth, c.BlockLayers, l * step + head, c.Head.Width))
                yield return t;
            yield break;
        }
        switch (c.Kind)
        {
            case NeuralKind.Mlp:
                yield return ("mlp.0.weight", [h, l + l * step + head]); yield return ("mlp.0.bias", [h]);
                yield return ("mlp.2.weight", [h, h]); yield return ("mlp.2.bias", [h]);
                yield return ("mlp.4.weight", [o, h]); yield return ("mlp.4.bias", [o]);
                yield break;
            case NeuralKind.Jordan:
                for (int k = 0; k < c.Layers; k++)
                {
                    yield return ($"jordan.weight_ih_l{k}", [h, k == 0 ? 1 : o]);
                    yield return ($"jordan.weight_yh_l{k}", [h, o]);
                    yield return ($"jordan.bias_h_l{k}", [h]);
                    yield return ($"jordan.weight_ho_l{k}", [o, h]);
                    yield return ($"jordan.bias_o_l{k}", [o]);
                }
                yield break;
            default:
                var (prefix, gates) = c.Kind switch { NeuralKind.Rnn => ("rnn", 1L), NeuralKind.Lstm => ("lstm", 4L), _ => ("gru", 3L) };
                for (int k = 0; k < c.Layers; k++)
                {
                    yield return ($"{prefix}.weight_ih_l{k}", [gates * h, k == 0 ? 1 + step : h]);
                    yield return ($"{prefix}.weight_hh_l{k}", [gates * h, h]);
                    yield return ($"{prefix}.bias_ih_l{k}", [gates * h]);
                    yield return ($"{prefix}.bias_hh_l{k}", [gates * h]);
                }
                if (head == 0) { yield return ("head.weight", [o, h]); yield return ("head.bias", [o]); yield break; }
                foreach (var t in Networks.RecurrentDecoder.ParameterShapes("decoder", h, c.OutputSteps, c.Head.Width, encoder!.FutureWidth, encoder.StaticWidth, ForecastNet.DecoderHidden(c)))
                    yield return t;
                yield break;
        }
    }

    // The sizes in the settings against the file's tensors, before the network (whose size they set) is built.
    private static int CheckNetworkShapes(string path, SafeTensorsFile file, NeuralConfig c, string? prefix = null, Covariates.CovariateEncoder? encoder = null)
    {
        string sizes = Networks.NBeatsNetwork.Implements(c.Kind)
            ? $"blockWidth {c.BlockWidth}, blockLayers {c.BlockLayers}, stacks {c.Stacks}, stackBlocks {c.StackBlocks}, lookback {c.Lookback}, horizon {c.Horizon}{(c.Recursive ? " (recursive: 1 output)" : "")}"
            : $"hidden {c.Hidden}, layers {c.Layers}, lookback {c.Lookback}, horizon {c.Horizon}{(c.Recursive ? " (recursive: 1 output)" : "")}";
        int expected = 0;
        foreach (var (bare, shape) in NetworkTensors(c, encoder))
        {
            string name = prefix + bare;
            expected++;
            if (!file.Tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{path}: metadata entry 'settings' ({sizes}) calls for tensor '{name}' ({string.Join(", ", shape)}), which the file does not hold"
                    + (bare.StartsWith("decoder.", StringComparison.Ordinal) && file.Tensors.ContainsKey(prefix + "head.weight")
                        ? $" (the file was written before {c.Kind.ModelName()} with future or static covariates decoded each step through an MLP; train the model again)." : "."));
            if (!t.Shape.ToArray().Select(d => (long)d).SequenceEqual(shape))
                throw new InvalidDataException($"{path}: metadata entry 'settings' ({sizes}) disagrees with tensor '{name}': it has shape {t.ShapeString}, expected ({string.Join(", ", shape)}).");
        }
        if (prefix is not null) return expected;
        if (file.Tensors.Count != expected)
        {
            var extra = file.Tensors.Keys.Except(NetworkTensors(c, encoder).Select(x => x.Name)).First();
            throw new InvalidDataException($"{path}: tensor '{extra}' is not a parameter of the {c.Kind.ToString().ToLowerInvariant()} network that metadata entry 'settings' ({sizes}) describes.");
        }
        return expected;
    }
}
