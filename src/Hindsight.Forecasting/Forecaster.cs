namespace Hindsight.Forecasting;

/// <summary>
/// The history a forecast starts from: the values of training series <see cref="Series"/> (its index in the list given to
/// <see cref="Forecaster.Fit"/>, so per-series scalers line up) up to the forecast origin.
/// </summary>
/// <param name="Series">Index of the series in the fitted list.</param>
/// <param name="History">Values up to and including the last observed period before the forecast.</param>
public readonly record struct ForecastInput(int Series, ReadOnlyMemory<float> History)
{
    /// <summary>The series' covariates, indexed like <see cref="History"/> (future ones reaching past its end), or null.</summary>
    public Covariates.SeriesCovariates? Covariates { get; init; }
}

/// <summary>A note a model made about one series while fitting or forecasting (a fallback R would also take, a forecast
/// leaving the history's range), shown to the user beside the results.</summary>
/// <param name="Series">Index of the series in the fitted list (or the inputs' series number), or -1 for all series.</param>
/// <param name="Message">One line, e.g. <c>ets: too short for a seasonal model; fitted without season (as R's ets)</c>.</param>
public readonly record struct ForecastWarning(int Series, string Message);

/// <summary>
/// A forecasting model (Darts' <c>ForecastingModel</c>): <see cref="Fit"/> on a list of series, then <see cref="Predict(IReadOnlyList{ForecastInput}, int)"/>
/// the next values after any number of histories in one batched call, so holdout and rolling-origin backtests need one call.
/// </summary>
/// <remarks>
/// Capabilities are properties: <see cref="RequiresTraining"/> (false for baselines whose forecast is a rule on the
/// history), <see cref="IsGlobal"/> (one set of weights learnt from every series), <see cref="MinHistory"/> (values a
/// history needs) and <see cref="MaxHorizon"/> (direct multi-step models predict a fixed horizon). Forecasts are in the
/// data's units; scaling is internal and fitted on the training data only.
/// </remarks>
public abstract class Forecaster
{
    private IReadOnlyList<float[]>? _fitted;
    private readonly List<ForecastWarning> _warnings = [];

    /// <summary>Short name (<c>naive</c>, <c>snaive</c>, <c>lstm</c>, ...).</summary>
    public abstract string Name { get; }
    /// <summary>Whether <see cref="Fit"/> learns parameters (false: it only remembers the series).</summary>
    public virtual bool RequiresTraining => false;
    /// <summary>Whether one model is learnt across all series (false: each forecast uses its own history only).</summary>
    public virtual bool IsGlobal => false;
    /// <summary>Whether <see cref="Fit"/> accepts more than one series (every model here does).</summary>
    public virtual bool SupportsMultipleSeries => true;
    /// <summary>Fewest values a history (and a training series) must have.</summary>
    public virtual int MinHistory => 1;
    /// <summary>Longest horizon <see cref="Predict(IReadOnlyList{ForecastInput}, int)"/> accepts, or null for any.</summary>
    public virtual int? MaxHorizon => null;
    /// <summary>Notes of the last <see cref="Fit"/> and the predictions since (cleared by each fit).</summary>
    public IReadOnlyList<ForecastWarning> Warnings => _warnings;
    /// <summary>Records a note about series <paramref name="series"/> (-1: all series) for <see cref="Warnings"/>.</summary>
    protected void Warn(int series, string message) => _warnings.Add(new ForecastWarning(series, message));
    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    public bool IsFitted => _fitted is not null;
    /// <summary>The series given to <see cref="Fit"/>.</summary>
    protected IReadOnlyList<float[]> FittedSeries => _fitted ?? throw new InvalidOperationException($"{Name}: call Fit before Predict.");

    /// <summary>Fits the model to <paramref name="series"/> (each a float array in time order, all finite).</summary>
    /// <exception cref="ArgumentException">No series, or a series shorter than the model needs.</exception>
    public void Fit(IReadOnlyList<float[]> series) => FitWith(series, null, null);

    /// <summary>Whether the model uses covariates (others ignore them with one note in <see cref="Warnings"/>).</summary>
    public virtual bool SupportsCovariates => false;
    /// <summary>The covariates the last fit used (null: none).</summary>
    public Covariates.CovariateSchema? CovariateSchema { get; private set; }
    /// <summary>The covariates of the series given to <see cref="FitWith"/> (null: none), read by <see cref="FitCore"/>.</summary>
    protected IReadOnlyList<Covariates.SeriesCovariates>? FitCovariates { get; private set; }
    /// <summary>Sets the covariates a model restored from a file was trained with.</summary>
    protected void RestoreCovariates(Covariates.CovariateSchema? schema) => CovariateSchema = schema;

    /// <summary>
    /// Fits the model to <paramref name="series"/> with their <paramref name="covariates"/> (one per series, described by
    /// <paramref name="schema"/>; null or empty: none). A model that cannot use covariates ignores them with a note.
    /// </summary>
    /// <exception cref="ArgumentException">No series, a series shorter than the model needs, or covariates that do not match the series.</exception>
    public void FitWith(IReadOnlyList<float[]> series, Covariates.CovariateSchema? schema, IReadOnlyList<Covariates.SeriesCovariates>? covariates)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException($"{Name}: no series to fit.");
        for (int i = 0; i < series.Count; i++)
            if (series[i].Length < MinHistory)
                throw TooShort(i, $"has {series[i].Length} values; the model needs at least {MinHistory}.");
        _warnings.Clear();
        bool use = schema is { IsEmpty: false } && covariates is not null;
        if (use && covariates!.Count != series.Count) throw new ArgumentException($"{Name}: {covariates.Count} covariate sets for {series.Count} series.", nameof(covariates));
        if (use && !SupportsCovariates) { Warn(-1, $"{Name}: ignores the covariates ({string.Join(", ", schema!.Describe())})"); use = false; }
        CovariateSchema = use ? schema : null;
        FitCovariates = use ? covariates : null;
        FitCore(series);
        _fitted = series;
    }

    /// <summary>Fits the model to every series of <paramref name="data"/>; a series too short is an error naming the file and the series id.</summary>
    /// <exception cref="ArgumentException">A series shorter than the model needs.</exception>
    public void FitSeries(TimeSeries data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try { FitWith(data.Items.Select(s => s.Values).ToList(), data.Covariates, data.Covariates is null ? null : data.Items.Select(s => s.Covariates!).ToList()); }
        catch (ArgumentException ex) when (SeriesIndex(ex) is int i) { throw NameSeries(ex, data.Source, data.Items[i].Id); }
    }

    private const string SeriesKey = "Hindsight.Forecasting.Series", DetailKey = "Hindsight.Forecasting.Detail";

    /// <summary>The error for series <paramref name="series"/> being too short (<paramref name="detail"/> follows "series i"; "the model" becomes the model's name), with <see cref="SeriesIndex"/> set.</summary>
    protected ArgumentException TooShort(int series, string detail)
    {
        var ex = new ArgumentException($"{Name}: series {series} {detail}");
        ex.Data[SeriesKey] = series;
        ex.Data[DetailKey] = detail.Replace("the model", $"the '{Name}' model", StringComparison.Ordinal);
        return ex;
    }

    /// <summary>
    /// The index (in the list given to <see cref="Fit(IReadOnlyList{float[]})"/> or in the inputs' series numbers) of the series
    /// an exception of <c>Fit</c> or <c>Predict</c> is about, or null when it is about no single series.
    /// </summary>
    public static int? SeriesIndex(Exception ex) => ex?.Data[SeriesKey] as int?;

    /// <summary>
    /// The error <paramref name="ex"/> (one with a <see cref="SeriesIndex"/>) told about file <paramref name="source"/>
    /// and series <paramref name="id"/>, e.g. <c>data.csv: series 'CO2' has 1 values; the 'ar' model needs at least 2.</c>
    /// </summary>
    public static ArgumentException NameSeries(ArgumentException ex, string source, string id)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Data[DetailKey] is string detail ? new ArgumentException($"{source}: series '{id}' {detail}", ex) : ex;
    }

    /// <summary>Marks the model fitted without training (used when weights are loaded from a file).</summary>
    protected void MarkFitted(IReadOnlyList<float[]> series) => _fitted = series;

    /// <summary>
    /// Forecasts <paramref name="horizon"/> values after each history, returning one array per input (in the data's units).
    /// </summary>
    /// <exception cref="ArgumentException">Horizon out of range, a history too short, or a series index the model was not fitted on.</exception>
    /// <exception cref="Hindsight.Data.TrainingDivergedException">A forecast is not finite.</exception>
    public float[][] Predict(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"{Name}: the horizon must be at least 1.");
        if (MaxHorizon is int max && horizon > max)
            throw new ArgumentException($"{Name}: horizon {horizon} is longer than the {max} steps the model was trained to predict.");
        int count = FittedSeries.Count;
        foreach (var input in inputs)
        {
            if (input.Series < 0 || input.Series >= count)
                throw new ArgumentException($"{Name}: series index {input.Series} out of range (fitted on {count} series).");
            if (input.History.Length < MinHistory)
                throw TooShort(input.Series, $"has a history of {input.History.Length} values; the model needs at least {MinHistory}.");
            if (CovariateSchema is { } schema)
            {
                if (input.Covariates is not { } c)
                    throw TooShort(input.Series, $"has no covariates; the model was trained with {string.Join(", ", schema.Describe())}.");
                if (c.FutureLength < input.History.Length + horizon)
                    throw TooShort(input.Series, $"has future covariates for {c.FutureLength - input.History.Length} of the {horizon} steps to forecast.");
            }
        }
        if (inputs.Count == 0) return [];
        var result = PredictCore(inputs, horizon);
        foreach (var f in result)
            for (int i = 0; i < f.Length; i++)
                if (!float.IsFinite(f[i])) throw new Hindsight.Data.TrainingDivergedException($"{Name}: forecast value {i} is {f[i]} (the model diverged; lower the learningRate).");
        return result;
    }

    /// <summary>Forecasts <paramref name="horizon"/> values after the end of every fitted series.</summary>
    public float[][] Predict(int horizon) =>
        Predict(FittedSeries.Select((s, i) => new ForecastInput(i, s) { Covariates = FitCovariates?[i] }).ToList(), horizon);

    /// <summary>
    /// Fits a local model to each series independently, on all cores, the longest series first: <paramref name="fit"/>(i, warn) returns series i's
    /// fit and reports notes through <c>warn</c>. The result does not depend on thread timing: notes are recorded in series
    /// order, and when fits fail the failure of the lowest series index is rethrown (with the notes of the series before it),
    /// as a loop over the series would.
    /// </summary>
    protected T[] FitEachSeries<T>(IReadOnlyList<float[]> series, Func<int, Action<string>, T> fit)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(fit);
        int count = series.Count;
        var results = new T[count];
        var notes = new List<string>?[count];
        var failures = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[count];
        void One(int i)
        {
            try { results[i] = fit(i, message => (notes[i] ??= []).Add(message)); }
            catch (Exception ex) { failures[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex); }
        }
        if (count == 1 || Environment.ProcessorCount == 1) { for (int i = 0; i < count; i++) One(i); }
        else
        {
            // the longest series first (a local fit costs more the longer the series), taken one at a time by one worker
            // per core, so no core idles at the end while another fits a long series
            var order = LongestFirst(series);
            int next = -1;
            Parallel.For(0, Math.Min(count, Environment.ProcessorCount), _ =>
            {
                for (int k = Interlocked.Increment(ref next); k < count; k = Interlocked.Increment(ref next)) One(order[k]);
            });
        }
        for (int i = 0; i < count; i++)
        {
            foreach (var note in notes[i] ?? []) Warn(i, note);
            failures[i]?.Throw();
        }
        return results;
    }

    /// <summary>The order <see cref="FitEachSeries"/> takes the series in: longest first, equal lengths in series order.</summary>
    internal static int[] LongestFirst(IReadOnlyList<float[]> series) =>
        Enumerable.Range(0, series.Count).OrderByDescending(i => series[i].Length).ToArray();

    /// <summary>Learns from <paramref name="series"/> (already checked).</summary>
    protected abstract void FitCore(IReadOnlyList<float[]> series);

    /// <summary>Forecasts after every input (already checked).</summary>
    protected abstract float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon);
}
