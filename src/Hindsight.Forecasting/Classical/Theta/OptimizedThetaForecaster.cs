namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// The optimised theta model (<c>otm</c>) or the dynamic optimised theta model (<c>dotm</c>) of Fiorucci et al. (2016), see
/// <see cref="OptimizedTheta"/>: a local model fitted to each series with thetaf's seasonality test and multiplicative
/// decomposition at period <see cref="SeasonalPeriod"/>. A history other than the fitted series (a backtest origin, taken to
/// start where the fitted series starts) is refiltered with the fitted initial level, alpha and theta; the seasonal
/// adjustment and the line A_n, B_n are recomputed on it (statsforecast's forward).
/// </summary>
public sealed partial class OptimizedThetaForecaster : Forecaster
{
    private OptimizedTheta.Parameters[] _parameters = [];
    private ThetaParameters[] _fitted = [];

    /// <summary>An optimised theta forecaster for seasonal period <paramref name="seasonalPeriod"/>; <paramref name="dynamic"/> selects DOTM.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A period below 1.</exception>
    public OptimizedThetaForecaster(int seasonalPeriod, bool dynamic = false)
    {
        SeasonalPeriod = seasonalPeriod >= 1 ? seasonalPeriod : throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod, "otm: the seasonal period must be at least 1.");
        Dynamic = dynamic;
    }

    /// <summary>The seasonal period m.</summary>
    public int SeasonalPeriod { get; }
    /// <summary>Whether this is the dynamic model (DOTM: A_t and B_t updated every step).</summary>
    public bool Dynamic { get; }
    /// <inheritdoc/>
    public override string Name => Dynamic ? "dotm" : "otm";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <summary>Two values (the line A_n, B_n needs two).</summary>
    public override int MinHistory => 2;
    /// <summary>The fitted parameters of series <paramref name="series"/> (Drift is B_n, the line's slope).</summary>
    public ThetaParameters Parameters(int series) => _fitted[series];

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        var fits = FitEachSeries(series, (i, warn) =>
        {
            var (f, p, note) = OptimizedTheta.Forecast(ThetaForecaster.ToDouble(series[i]), SeasonalPeriod, 1, Dynamic);
            if (note is not null) warn($"{Name}: {note}");
            return (p, f.Parameters);
        });
        _parameters = fits.Select(f => f.p).ToArray();
        _fitted = fits.Select(f => f.Parameters).ToArray();
    }

    /// <summary>The forecast with 80 % / 95 % intervals after <paramref name="input"/>'s history.</summary>
    /// <exception cref="ArgumentException">Not fitted, a bad series index, a history too short or a horizon below 1.</exception>
    public ThetaForecast Forecast(ForecastInput input, int horizon)
    {
        var fitted = FittedSeries;
        if (input.Series < 0 || input.Series >= fitted.Count) throw new ArgumentException($"{Name}: series index {input.Series} out of range (fitted on {fitted.Count} series).");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"{Name}: the horizon must be at least 1.");
        if (input.History.Length < MinHistory) throw new ArgumentException($"{Name}: a history of {input.History.Length} values; the model needs at least {MinHistory}.");
        var (f, _, note) = OptimizedTheta.Forecast(ThetaForecaster.ToDouble(input.History.Span), SeasonalPeriod, horizon, Dynamic, _parameters[input.Series]);
        if (note is not null && !input.History.Span.SequenceEqual(fitted[input.Series])) Warn(input.Series, $"{Name}: {note}");
        return f;
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        inputs.Select(i => Array.ConvertAll(Forecast(i, horizon).Mean, v => (float)v)).ToArray();
}
