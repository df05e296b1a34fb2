namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// A fitted ETS model, with the fields of R's <c>ets</c> object: components, smoothing parameters, initial and final
/// states, likelihood and information criteria, residual variance.
/// </summary>
public sealed class EtsModel
{
    internal EtsModel(EtsSpec spec, int period, double alpha, double? beta, double? gamma, double? phi, double[] initialStates,
        double[] finalStates, int parameterCount)
    {
        Spec = spec;
        Period = period;
        Alpha = alpha;
        Beta = beta;
        Gamma = gamma;
        Phi = phi;
        InitialStates = initialStates;
        FinalStates = finalStates;
        ParameterCount = parameterCount;
    }

    /// <summary>The model's components.</summary>
    public EtsSpec Spec { get; }
    /// <summary>Seasonal period of the states (1 without a season).</summary>
    public int Period { get; }
    /// <summary>Level smoothing parameter.</summary>
    public double Alpha { get; }
    /// <summary>Trend smoothing parameter (null without a trend).</summary>
    public double? Beta { get; }
    /// <summary>Seasonal smoothing parameter (null without a season).</summary>
    public double? Gamma { get; }
    /// <summary>Damping parameter (null unless damped).</summary>
    public double? Phi { get; }
    /// <summary>R's <c>initstate</c>: l0, b0 (with a trend), s_0..s_{-m+1} (with a season; the first is the most recent).</summary>
    public IReadOnlyList<double> InitialStates { get; }
    /// <summary>The state after the last fitted value (R's last row of <c>states</c>).</summary>
    public IReadOnlyList<double> FinalStates { get; internal set; }
    /// <summary>Number of values in R's <c>par</c> (smoothing parameters and free initial states).</summary>
    public int ParameterCount { get; }
    /// <summary>Log-likelihood as R reports it (<c>-0.5 lik</c>; NaN for the constant-series fallback).</summary>
    public double LogLikelihood { get; internal init; } = double.NaN;
    /// <summary>AIC (R's).</summary>
    public double Aic { get; internal init; } = double.NaN;
    /// <summary>Corrected AIC (R's).</summary>
    public double Aicc { get; internal init; } = double.NaN;
    /// <summary>BIC (R's).</summary>
    public double Bic { get; internal init; } = double.NaN;
    /// <summary>Mean squared one-step error (R's <c>mse</c>).</summary>
    public double Mse { get; internal init; } = double.NaN;
    /// <summary>Residual variance: sum of squared residuals over (n - <see cref="ParameterCount"/>) (R's <c>sigma2</c>).</summary>
    public double Sigma2 { get; internal set; }
    /// <summary>Residuals (additive errors: y - fitted; multiplicative: relative errors).</summary>
    public IReadOnlyList<double> Residuals { get; internal init; } = [];
    /// <summary>The number of values fitted.</summary>
    public int Length { get; internal init; }

    internal double PhiOrOne => Phi ?? 1.0;

    /// <summary>Point forecasts for 1..<paramref name="horizon"/> steps after the fitted series.</summary>
    public double[] Forecast(int horizon) => Forecast(horizon, []).Mean;

    /// <summary>Point forecasts and prediction intervals as R's <c>forecast.ets</c> (analytic for classes 1-3, else
    /// simulated from <paramref name="seed"/>; simulated intervals cannot equal R's, which use R's random numbers).</summary>
    /// <param name="horizon">Steps ahead (at least 1).</param>
    /// <param name="levels">Coverage levels in percent (e.g. 80, 95).</param>
    /// <param name="seed">Seed of the simulation (models with a multiplicative trend only).</param>
    /// <param name="paths">Simulated paths (R: 5000).</param>
    public EtsForecast Forecast(int horizon, IReadOnlyList<double> levels, ulong seed = 0, int paths = 5000) =>
        Forecast(horizon, levels, FinalStates.ToArray(), seed, paths);

    /// <summary>Forecasts from the state after running the fitted model (parameters and initial states) over
    /// <paramref name="history"/> instead of the fitted series (a backtest origin).</summary>
    public double[] ForecastAfter(ReadOnlySpan<double> history, int horizon)
    {
        var state = Filter(history);
        return EtsRecursion.Forecast(state, Spec, Period, PhiOrOne, horizon);
    }

    /// <summary>The state after running the model from its initial states over <paramref name="history"/>.</summary>
    public double[] Filter(ReadOnlySpan<double> history)
    {
        var rec = new EtsRecursion(history.Length, Period, 1);
        var final = new double[InitialStates.Count];
        if (history.Length == 0) { InitialStates.ToArray().CopyTo(final, 0); return final; }
        double lik = rec.Run(history, InitialStates.ToArray(), Spec, Alpha, Beta ?? 0, Gamma ?? 0, PhiOrOne, false, final);
        if (lik == EtsRecursion.NaMarker) throw new ArgumentException("ets: problem with multiplicative damped trend (negative growth).");
        return final;
    }

    internal EtsForecast Forecast(int horizon, IReadOnlyList<double> levels, double[] state, ulong seed, int paths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentNullException.ThrowIfNull(levels);
        return EtsIntervals.Compute(this, state, horizon, levels, seed, paths);
    }
}

/// <summary>Point forecasts and prediction intervals (one row per level, one column per step).</summary>
/// <param name="Mean">Point forecasts.</param>
/// <param name="Levels">Coverage levels in percent, ascending.</param>
/// <param name="Lower">Lower bounds: <c>Lower[level][step]</c>.</param>
/// <param name="Upper">Upper bounds: <c>Upper[level][step]</c>.</param>
/// <param name="Simulated">Whether the intervals come from simulated paths (not bit-comparable with R).</param>
public sealed record EtsForecast(double[] Mean, double[] Levels, double[][] Lower, double[][] Upper, bool Simulated);
