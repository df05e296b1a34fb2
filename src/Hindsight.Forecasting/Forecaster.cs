namespace Hindsight.Forecasting;

/// <summary>
/// The history a forecast starts from: the values of training series <see cref="Series"/> (its index in the list given to
/// <see cref="Forecaster.Fit"/>, so per-series scalers line up) up to the forecast origin.
/// </summary>
/// <param name="Series">Index of the series in the fitted list.</param>
/// <param name="History">Values up to and including the last observed period before the forecast.</param>
public readonly record struct ForecastInput(int Series, ReadOnlyMemory<float> History);

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
    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    public bool IsFitted => _fitted is not null;
    /// <summary>The series given to <see cref="Fit"/>.</summary>
    protected IReadOnlyList<float[]> FittedSeries => _fitted ?? throw new InvalidOperationException($"{Name}: call Fit before Predict.");

    /// <summary>Fits the model to <paramref name="series"/> (each a float array in time order, all finite).</summary>
    /// <exception cref="ArgumentException">No series, or a series shorter than the model needs.</exception>
    public void Fit(IReadOnlyList<float[]> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException($"{Name}: no series to fit.");
        for (int i = 0; i < series.Count; i++)
            if (series[i].Length < MinHistory)
                throw new SeriesTooShortException(Name, i, series[i].Length, MinHistory, false);
        FitCore(series);
        _fitted = series;
    }

    /// <summary>Fits the model to every series of <paramref name="data"/>; a series too short is an error naming the file and the series id.</summary>
    /// <exception cref="ArgumentException">A series shorter than the model needs.</exception>
    public void FitSeries(TimeSeries data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try { Fit(data.Items.Select(s => s.Values).ToList()); }
        catch (SeriesTooShortException ex) { throw ex.In(data.Source, data.Items[ex.Series].Id); }
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
                throw new SeriesTooShortException(Name, input.Series, input.History.Length, MinHistory, true);
        }
        if (inputs.Count == 0) return [];
        var result = PredictCore(inputs, horizon);
        foreach (var f in result)
            for (int i = 0; i < f.Length; i++)
                if (!float.IsFinite(f[i])) throw new Hindsight.Data.TrainingDivergedException($"{Name}: forecast value {i} is {f[i]} (the model diverged; lower --lr).");
        return result;
    }

    /// <summary>Forecasts <paramref name="horizon"/> values after the end of every fitted series.</summary>
    public float[][] Predict(int horizon) =>
        Predict(FittedSeries.Select((s, i) => new ForecastInput(i, s)).ToList(), horizon);

    /// <summary>Learns from <paramref name="series"/> (already checked).</summary>
    protected abstract void FitCore(IReadOnlyList<float[]> series);

    /// <summary>Forecasts after every input (already checked).</summary>
    protected abstract float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon);
}

/// <summary>A series (or a forecast's history) shorter than a model needs; <see cref="In"/> names the file and the series id.</summary>
public sealed class SeriesTooShortException : ArgumentException
{
    /// <summary>Creates the error for series index <paramref name="series"/> of the fitted (or given) list.</summary>
    public SeriesTooShortException(string model, int series, int length, int minHistory, bool history)
        : this(model, series, length, minHistory, history, $"{model}: series {series} has {(history ? "a history of " : "")}{length} values; the model needs at least {minHistory}.") { }

    private SeriesTooShortException(string model, int series, int length, int minHistory, bool history, string message) : base(message)
    {
        Model = model; Series = series; Length = length; MinHistory = minHistory; History = history;
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }
    /// <summary>Index of the series in the list given to the model.</summary>
    public int Series { get; }
    /// <summary>Values the series (or history) has.</summary>
    public int Length { get; }
    /// <summary>Values the model needs.</summary>
    public int MinHistory { get; }
    /// <summary>Whether a forecast's history (rather than a training series) was too short.</summary>
    public bool History { get; }

    /// <summary>The same error, naming the data file <paramref name="source"/> and the series id <paramref name="id"/>.</summary>
    public SeriesTooShortException In(string source, string id) =>
        new(Model, Series, Length, MinHistory, History,
            $"{source}: series '{id}' has {(History ? "a history of " : "")}{Length} value{(Length == 1 ? "" : "s")}; the '{Model}' model needs at least {MinHistory}.");
}
