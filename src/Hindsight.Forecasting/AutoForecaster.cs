namespace Hindsight.Forecasting;

/// <summary>A candidate of <see cref="AutoForecaster"/> and its cross-validation outcome.</summary>
/// <param name="Model">Model name.</param>
/// <param name="CvMase">Mean MASE over series and origins of the rolling-origin cross-validation, or null when it dropped out.</param>
/// <param name="Dropped">Why it dropped out (failed, forecast outside the <see cref="SaneRange"/>, too short), or null.</param>
public sealed record CandidateScore(string Model, double? CvMase, string? Dropped);

/// <summary>
/// Chooses by rolling-origin cross-validation on the series it is fitted on: with O = min(<see cref="AutoOptions.CvOrigins"/>,
/// what the shortest series allows) origins one horizon apart, the last one horizon before the end, every candidate is refitted
/// on the values before each origin and scored by MASE (each series scaled by its in-sample seasonal naive error, the mean
/// over series and origins). Candidates that fail, cannot fit the short prefixes, or forecast outside the
/// <see cref="SaneRange"/> of a prefix drop out. <see cref="AutoMode.Select"/> refits the best on the whole series;
/// <see cref="AutoMode.Combine"/> refits the best k and forecasts the median (or mean) of their forecasts, step by step.
/// Ties keep the earlier candidate, so simpler models listed first win ties.
/// </summary>
public sealed class AutoForecaster : Forecaster
{
    private readonly ForecastSettings _settings;
    private readonly Func<string, Forecaster> _create;
    private readonly string[] _candidates;
    private readonly bool _global;
    private List<Forecaster> _members = [];
    private int[][] _picks = []; // per fitted series: indices into _members

    /// <summary>Creates the chooser with <paramref name="options"/> (null: the defaults), making candidates with <see cref="ForecastSettings.Create"/>.</summary>
    public AutoForecaster(ForecastSettings settings, AutoOptions? options = null) : this(settings, options ?? new AutoOptions(), null) { }

    /// <summary>Creates the chooser over <paramref name="candidates"/> (model names for <see cref="ForecastSettings.Create"/>).</summary>
    public AutoForecaster(ForecastSettings settings, IReadOnlyList<string> candidates)
        : this(settings, new AutoOptions { Candidates = string.Join(",", candidates ?? throw new ArgumentNullException(nameof(candidates))) }, null) { }

    /// <summary>Creates the chooser with a model factory of its own (<paramref name="create"/>, null: <see cref="ForecastSettings.Create"/>).</summary>
    /// <exception cref="ArgumentException">No candidate, <c>auto</c> among them, or an unknown name.</exception>
    public AutoForecaster(ForecastSettings settings, AutoOptions options, Func<string, Forecaster>? create)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Hindsight.Settings.SettingTable.Check(options);
        _create = create ?? settings.Create;
        _candidates = [.. options.CandidateList()];
        if (_candidates.Length == 0 || _candidates.Contains("auto"))
            throw new ArgumentException("auto: the candidates must be at least one model other than auto.", nameof(options));
        _global = _candidates.Select(c => _create(c)).Any(m => m.IsGlobal); // unknown names fail now
    }

    /// <summary>The seasonal period it validates with (MASE scale).</summary>
    public int SeasonalPeriod => _settings.SeasonalPeriod;
    /// <summary>The horizon it validates with (and the origins' spacing).</summary>
    public int Horizon => _settings.Horizon;
    /// <summary>The options (candidates, mode, k).</summary>
    public AutoOptions Options { get; }
    /// <summary>The models forecasting after the last fit: the chosen one, or the members of the combination (best first).</summary>
    public IReadOnlyList<Forecaster> Members => _members;
    /// <summary>The best model of the last fit (the first member), or null before fitting.</summary>
    public Forecaster? Chosen => _members.Count > 0 ? _members[0] : null;
    /// <summary>Every candidate's cross-validation outcome in the last fit, best first (dropped candidates last, in the order given).</summary>
    public IReadOnlyList<CandidateScore> Candidates { get; private set; } = [];
    /// <summary>Cross-validated mean MASE of what forecasts when it is more than one model (a combination, or per-series choices; in-sample for the choice, so optimistic), else null.</summary>
    public double? CombinationCvMase { get; private set; }
    /// <summary>Cross-validation origins used by the last fit.</summary>
    public int CvOrigins { get; private set; }
    /// <summary>What forecasts: <c>ets</c>, or <c>median(ets, theta, arima)</c>; <c>auto</c> before fitting.</summary>
    public string Description => _members.Count switch
    {
        0 => "auto",
        1 => _members[0].Name,
        _ when Options.PerSeries => "per series: " + string.Join(", ", _picks.Select(Label).GroupBy(l => l).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} x{g.Count()}")),
        _ => Label([.. Enumerable.Range(0, _members.Count)]),
    };

    /// <summary>What forecasts series <paramref name="series"/> of the last fit: a model name or <c>median(a, b)</c>.</summary>
    public string DescriptionOf(int series) => series >= 0 && series < _picks.Length ? Label(_picks[series]) : Description;

    private string Label(int[] members) => members.Length == 1 ? _members[members[0]].Name
        : $"{(Options.Combine == CombineBy.Median ? "median" : "mean")}({string.Join(", ", members.Select(k => _members[k].Name))})";

    /// <inheritdoc/>
    public override string Name => "auto";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => _global;
    /// <inheritdoc/>
    /// <remarks>The candidates that use covariates get them in the cross-validation (the known-ahead values over each
    /// validation horizon) and in the final fit; the others ignore them with one note each when chosen.</remarks>
    public override bool SupportsCovariates => true;
    /// <inheritdoc/>
    public override int MinHistory => _members.Count > 0 ? _members.Max(m => m.MinHistory) : 1;
    /// <inheritdoc/>
    public override int? MaxHorizon => _members.Count == 0 ? _settings.Horizon
        : _members.Select(m => m.MaxHorizon).Where(h => h is not null).DefaultIfEmpty(null).Min();

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        int h = _settings.Horizon, m = _settings.SeasonalPeriod;
        int shortest = series.Min(s => s.Length);
        // Origins one horizon apart; each prefix keeps at least max(2m, h) + 1 values where the length allows, at least 2.
        int need = Math.Max(2 * m, h) + 1, origins = Math.Min(Options.CvOrigins, (shortest - need) / h);
        if (origins < 1) origins = shortest - h >= 2 ? 1 : 0;
        if (origins == 0)
            throw new ArgumentException($"auto: the shortest series has {shortest} values; cross-validation with horizon {h} needs at least {h + 2}.");
        CvOrigins = origins;
        // Per origin j (0 = earliest) and series s: the prefix length and the MASE scale of its prefix.
        var cut = new int[origins][];
        var scale = new double[origins][];
        for (int j = 0; j < origins; j++)
        {
            cut[j] = series.Select(s => s.Length - (origins - j) * h).ToArray();
            scale[j] = series.Select((s, i) => Scale(s.AsSpan(0, cut[j][i]), m)).ToArray();
        }
        var outcomes = new List<(CandidateScore Score, float[][][]? Forecasts)>();
        var insane = new Dictionary<string, HashSet<int>>(); // per series (PerSeries): candidates out of the sane range there
        foreach (var name in _candidates)
        {
            var forecasts = new float[origins][][];
            var outside = insane[name] = [];
            string? dropped = null;
            try
            {
                for (int j = 0; j < origins && dropped is null; j++)
                {
                    var model = _create(name);
                    var prefixes = series.Select((s, i) => s[..cut[j][i]]).ToList();
                    // The covariates run past each prefix (indexed from the series' start), so the candidates that use
                    // them read the known-ahead values of the validation horizon, as in the final forecast.
                    model.FitWith(prefixes, CovariateSchema, FitCovariates);
                    forecasts[j] = model.Predict(h);
                    for (int i = 0; i < series.Count && dropped is null; i++)
                        if (SaneRange.Check(name, prefixes[i], forecasts[j][i]) is { } note)
                        {
                            if (Options.PerSeries) outside.Add(i); // not chosen for this series only
                            else dropped = $"{note} (series {i}, cross-validation)";
                        }
                    if (Options.PerSeries && outside.Count == series.Count) dropped = $"{name}: every series has a cross-validation forecast outside the sane range of its history.";
                }
            }
            catch (Exception ex) when (Evaluation.IsModelFailure(ex)) { dropped = Evaluation.Reason(ex); }
            outcomes.Add(dropped is null
                ? (new CandidateScore(name, CvMase(series, cut, scale, forecasts, h), null), forecasts)
                : (new CandidateScore(name, null, dropped), null));
        }
        var valid = outcomes.Where(o => o.Forecasts is not null).OrderBy(o => o.Score.CvMase).ToList(); // stable: ties keep the order given
        Candidates = [.. valid.Select(o => o.Score), .. outcomes.Where(o => o.Forecasts is null).Select(o => o.Score)];
        if (valid.Count == 0)
            throw new ArgumentException($"auto: no candidate passed the cross-validation ({string.Join("; ", Candidates.Select(c => $"{c.Model}: {c.Dropped}"))}).");
        // Refit the best (or the best k) on the whole series; a candidate whose final fit fails gives way to the next. With
        // PerSeries each series takes the best of its own cross-validation scores (members fitted once for all series).
        int wanted = Options.Mode == AutoMode.Combine ? Options.K : 1;
        var fitted = new Dictionary<string, Forecaster?>();
        Forecaster? Final(string name)
        {
            if (fitted.TryGetValue(name, out var done)) return done;
            var model = _create(name);
            try { model.FitWith(series, CovariateSchema, FitCovariates); }
            catch (Exception ex) when (Evaluation.IsModelFailure(ex))
            {
                Warn(-1, $"auto: {name} passed the cross-validation but failed on the whole series ({Evaluation.Reason(ex)}); skipped.");
                model = null;
            }
            return fitted[name] = model;
        }
        var picks = new List<int>[series.Count]; // per series: indices into `valid`
        for (int i = 0; i < series.Count; i++)
        {
            if (i > 0 && !Options.PerSeries) { picks[i] = picks[0]; continue; }
            var ranking = Options.PerSeries
                ? valid.Select((o, k) => (o, k)).OrderBy(x => insane[x.o.Score.Model].Contains(i)).ThenBy(x => SeriesCv(series, cut, scale, x.o.Forecasts!, h, i)).Select(x => x.k)
                : valid.Select((_, k) => k);
            picks[i] = ranking.Where(k => Final(valid[k].Score.Model) is not null).Take(wanted).ToList();
            if (Options.PerSeries && picks[i].Any(k => insane[valid[k].Score.Model].Contains(i)))
                Warn(i, $"auto: too few candidates stay inside the sane range on this series; {string.Join(", ", picks[i].Where(k => insane[valid[k].Score.Model].Contains(i)).Select(k => valid[k].Score.Model))} used anyway.");
            if (picks[i].Count == 0) throw new ArgumentException("auto: every candidate that passed the cross-validation failed on the whole series.");
        }
        // Members: the picked models, the most often picked first.
        var order = picks.SelectMany(p => p).GroupBy(k => k).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();
        _members = order.Select(k => fitted[valid[k].Score.Model]!).ToList();
        _picks = picks.Select(p => p.Select(k => order.IndexOf(k)).ToArray()).ToArray();
        CombinationCvMase = null;
        if (_members.Count > 1)
        {
            var chosen = new float[origins][][];
            for (int j = 0; j < origins; j++)
                chosen[j] = Enumerable.Range(0, series.Count).Select(i => Combine(picks[i].Select(k => valid[k].Forecasts![j][i]).ToList(), Options.Combine)).ToArray();
            CombinationCvMase = CvMase(series, cut, scale, chosen, h);
        }
        foreach (var member in _members)
            foreach (var w in member.Warnings) Warn(w.Series, w.Message);
        // Forecasts need future covariates only when a member reads them.
        if (_members.All(m => m.CovariateSchema is null)) RestoreCovariates(null);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        if (_members.Count == 1) return _members[0].Predict(inputs, horizon);
        var all = _members.Select(m => m.Predict(inputs, horizon)).ToList();
        return Enumerable.Range(0, inputs.Count)
            .Select(i => Combine(_picks[inputs[i].Series].Select(p => all[p][i]).ToList(), Options.Combine)).ToArray();
    }

    // Mean MASE of one series over the origins.
    private static double SeriesCv(IReadOnlyList<float[]> series, int[][] cut, double[][] scale, float[][][] forecasts, int h, int i)
    {
        double sum = 0;
        for (int j = 0; j < cut.Length; j++) sum += Metrics.Mae(series[i].AsSpan(cut[j][i], h), forecasts[j][i]) / scale[j][i];
        return sum / cut.Length;
    }

    /// <summary>The step-by-step median (the mean of the middle two for an even count) or mean of <paramref name="forecasts"/>.</summary>
    public static float[] Combine(IReadOnlyList<float[]> forecasts, CombineBy by)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        if (forecasts.Count == 0) throw new ArgumentException("combine: no forecasts.", nameof(forecasts));
        int n = forecasts[0].Length;
        var result = new float[n];
        var column = new double[forecasts.Count];
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < forecasts.Count; i++) column[i] = forecasts[i][k];
            result[k] = (float)(by == CombineBy.Mean ? column.Average() : Evaluation.Median(column));
        }
        return result;
    }

    // Mean MASE over series and origins.
    private static double CvMase(IReadOnlyList<float[]> series, int[][] cut, double[][] scale, float[][][] forecasts, int h)
    {
        double sum = 0;
        int count = 0;
        for (int j = 0; j < cut.Length; j++)
            for (int i = 0; i < series.Count; i++)
            {
                sum += Metrics.Mae(series[i].AsSpan(cut[j][i], h), forecasts[j][i]) / scale[j][i];
                count++;
            }
        return sum / count;
    }

    // The MASE scale of a prefix: the in-sample seasonal naive MAE; the lag-1 one when the prefix is too short for the season or
    // repeats exactly; else the mean |y|; else 1 (every candidate is scaled alike, so the ranking stays fair).
    private static double Scale(ReadOnlySpan<float> prefix, int m)
    {
        if (prefix.Length > m && Evaluation.TryScale(prefix, m, out double s)) return s;
        if (prefix.Length > 1 && Evaluation.TryScale(prefix, 1, out s)) return s;
        double mean = 0;
        foreach (float v in prefix) mean += Math.Abs(v);
        mean /= Math.Max(1, prefix.Length);
        return mean > 0 ? mean : 1;
    }
}
