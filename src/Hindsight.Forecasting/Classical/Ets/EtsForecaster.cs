namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// R's <c>forecast::ets()</c> as a local <see cref="Forecaster"/> (name <c>ets</c>): each series is fitted on its own with
/// the run's seasonal period. Forecasting from the fitted history gives R's forecast; from another history (a backtest
/// origin, a prefix or extension of the fitted series) the fitted parameters and initial states are run over that history
/// and the forecast starts from its last state.
/// </summary>
public sealed partial class EtsForecaster : Forecaster
{
    private readonly EtsOptions _options;
    private EtsModel[]? _models;

    /// <summary>Creates the forecaster for period <paramref name="seasonalPeriod"/> and model string <paramref name="model"/>
    /// (R's <c>model</c>: <c>ZZZ</c> automatic, or e.g. <c>ANN</c>, <c>AAdN</c> with <paramref name="damped"/>, <c>MAM</c>).</summary>
    /// <exception cref="ArgumentException">A model string that is not three of N/A/M/Z.</exception>
    public EtsForecaster(int seasonalPeriod, string model = "ZZZ", bool? damped = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonalPeriod, 1);
        ArgumentNullException.ThrowIfNull(model);
        var code = model.Trim().ToUpperInvariant();
        if (code.Length == 4 && code[2] == 'D') { code = code.Remove(2, 1); damped = true; }
        if (code.Length != 3 || code[0] is not ('A' or 'M' or 'Z') || code[1] is not ('N' or 'A' or 'M' or 'Z') || code[2] is not ('N' or 'A' or 'M' or 'Z'))
            throw new ArgumentException($"ets: model '{model}' must be three letters error/trend/season (A/M/Z, N/A/M/Z, N/A/M/Z), e.g. ZZZ, AAN, MAM.");
        SeasonalPeriod = seasonalPeriod;
        // "ZZZ" without damping keeps R's missing-model behaviour (a constant series gets simple exponential smoothing)
        _options = new EtsOptions { Model = code == "ZZZ" && damped is null ? null : code, Damped = damped };
    }

    /// <summary>Seasonal period m given to R's <c>ts(frequency = m)</c>.</summary>
    public int SeasonalPeriod { get; }
    /// <inheritdoc/>
    public override string Name => "ets";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override int MinHistory => 1;
    /// <summary>The fitted model of each series (in the order given to <see cref="Forecaster.Fit"/>).</summary>
    public IReadOnlyList<EtsModel> Models => _models ?? throw new InvalidOperationException("ets: not fitted.");

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        var models = FitEachSeries(series, (i, warn) =>
        {
            var y = Array.ConvertAll(series[i], v => (double)v);
            if (SeasonalPeriod > 1 && y.Length <= SeasonalPeriod && _options.Model is null)
                warn($"ets: {y.Length} values are not more than the period {SeasonalPeriod}; fitted without season (as R's ets)");
            EtsFit fit;
            try { fit = Ets.Fit(y, SeasonalPeriod, _options); }
            catch (ArgumentException ex) { throw new ArgumentException($"ets: series {i}: {ex.Message.Replace("ets: ", "", StringComparison.Ordinal)}", ex); }
            foreach (var w in fit.Warnings) warn(w);
            return fit.Model;
        });
        _models = models;
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        var models = Models;
        var fitted = FittedSeries;
        var result = new float[inputs.Count][];
        for (int k = 0; k < inputs.Count; k++)
        {
            var input = inputs[k];
            var model = models[input.Series];
            var history = input.History.Span;
            double[] f;
            if (SameValues(history, fitted[input.Series])) f = model.Forecast(horizon);
            else
            {
                var h = new double[history.Length];
                for (int i = 0; i < h.Length; i++) h[i] = history[i];
                f = model.ForecastAfter(h, horizon);
            }
            result[k] = Array.ConvertAll(f, v => (float)v);
            if (result[k].Any(v => !float.IsFinite(v)))
            {
                Warn(input.Series, "ets: the forecast left the float range; the last value is repeated");
                Array.Fill(result[k], history[^1]);
            }
        }
        return result;
    }

    private static bool SameValues(ReadOnlySpan<float> a, float[] b) => a.SequenceEqual(b);
}
