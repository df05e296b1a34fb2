namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// The standard theta method, exactly as R's <c>forecast::thetaf</c> (see <see cref="ThetaMethod"/>): a local model fitted
/// to each series with seasonal period <see cref="SeasonalPeriod"/>. <see cref="Forecaster.Predict(int)"/> from the fitted
/// series gives R's forecast; a history of another length (a backtest origin, taken to start where the fitted series
/// starts) is refiltered with the fitted alpha and initial level, while the seasonality test, decomposition and drift are
/// recomputed on that history (as statsforecast's forward). <see cref="Forecast"/> also returns the 80 % / 95 % intervals.
/// </summary>
public sealed partial class ThetaForecaster : Forecaster
{
    private readonly ISesFitter _ses;
    private ThetaForecast[] _fits = [];

    /// <summary>A theta forecaster for seasonal period <paramref name="seasonalPeriod"/> (1: non-seasonal).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A period below 1.</exception>
    public ThetaForecaster(int seasonalPeriod) : this(seasonalPeriod, new RSes()) { }

    internal ThetaForecaster(int seasonalPeriod, ISesFitter ses)
    {
        SeasonalPeriod = seasonalPeriod >= 1 ? seasonalPeriod : throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod, "theta: the seasonal period must be at least 1.");
        _ses = ses;
    }

    /// <summary>The seasonal period m (the ts frequency R sees).</summary>
    public int SeasonalPeriod { get; }
    /// <inheritdoc/>
    public override string Name => "theta";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <summary>Two values (R's thetaf fails on one: lsfit needs two cases).</summary>
    public override int MinHistory => 2;
    /// <summary>The fitted parameters of series <paramref name="series"/>.</summary>
    public ThetaParameters Parameters(int series) => _fits[series].Parameters;

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        _fits = FitEachSeries(series, (i, warn) =>
        {
            var (f, note) = ThetaMethod.Forecast(ToDouble(series[i]), SeasonalPeriod, 1, _ses);
            if (note is not null) warn($"theta: {note}");
            return f;
        });
    }

    /// <summary>The forecast with intervals after <paramref name="input"/>'s history (R's thetaf on the fitted series).</summary>
    /// <exception cref="ArgumentException">Not fitted, a bad series index, a history too short or a horizon below 1.</exception>
    public ThetaForecast Forecast(ForecastInput input, int horizon)
    {
        var fitted = FittedSeries;
        if (input.Series < 0 || input.Series >= fitted.Count) throw new ArgumentException($"theta: series index {input.Series} out of range (fitted on {fitted.Count} series).");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "theta: the horizon must be at least 1.");
        if (input.History.Length < MinHistory) throw new ArgumentException($"theta: a history of {input.History.Length} values; the model needs at least {MinHistory}.");
        var p = _fits[input.Series].Parameters;
        // the fitted series gives R's forecast exactly (its fit ended with this very filter); another history is refiltered
        var (f, note) = ThetaMethod.Forecast(ToDouble(input.History.Span), SeasonalPeriod, horizon, _ses, p.Alpha, p.Level0);
        if (note is not null && !input.History.Span.SequenceEqual(fitted[input.Series])) Warn(input.Series, $"theta: {note}");
        return f;
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        inputs.Select(i => Array.ConvertAll(Forecast(i, horizon).Mean, v => (float)v)).ToArray();

    internal static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++) d[i] = x[i];
        return d;
    }
}
