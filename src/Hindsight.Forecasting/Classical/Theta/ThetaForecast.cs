namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// One series' theta forecast with its fitted parameters and 80 % / 95 % prediction intervals (R's default levels);
/// <see cref="Interval"/> gives any other level.
/// </summary>
/// <param name="Mean">Point forecasts, one per horizon step.</param>
/// <param name="Lower80">Lower 80 % limits.</param>
/// <param name="Upper80">Upper 80 % limits.</param>
/// <param name="Lower95">Lower 95 % limits.</param>
/// <param name="Upper95">Upper 95 % limits.</param>
/// <param name="Parameters">What was fitted (or held fixed) and the seasonal adjustment used.</param>
public sealed record ThetaForecast(double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95, ThetaParameters Parameters)
{
    /// <summary>-qnorm(0.1), the half-width multiplier of an 80 % interval.</summary>
    public const double Z80 = 1.2815515655446004;
    /// <summary>-qnorm(0.025), the half-width multiplier of a 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Intervals <c>mean ± z se</c> for the two levels.</summary>
    internal static ThetaForecast WithIntervals(double[] mean, double[] se, ThetaParameters parameters)
    {
        int h = mean.Length;
        var l80 = new double[h]; var u80 = new double[h]; var l95 = new double[h]; var u95 = new double[h];
        for (int i = 0; i < h; i++)
        {
            l80[i] = mean[i] - Z80 * se[i]; u80[i] = mean[i] + Z80 * se[i];
            l95[i] = mean[i] - Z95 * se[i]; u95[i] = mean[i] + Z95 * se[i];
        }
        return new ThetaForecast(mean, l80, u80, l95, u95, parameters) { StandardErrors = se };
    }

    /// <summary>Standard errors of the forecasts, one per horizon step (the intervals are <c>mean ± z se</c>).</summary>
    public IReadOnlyList<double> StandardErrors { get; init; } = [];

    /// <summary>
    /// The prediction interval at <paramref name="level"/> percent (R's <c>thetaf(level = ...)</c>): <c>mean ± qnorm(0.5 +
    /// level/200) se</c>, step by step.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> not strictly between 0 and 100.</exception>
    public (double[] Lower, double[] Upper) Interval(double level)
    {
        if (!(level > 0 && level < 100)) throw new ArgumentOutOfRangeException(nameof(level), level, "theta: the level must be between 0 and 100 (percent).");
        double z = Statistics.NormalDistribution.Quantile(0.5 + level / 200);
        var lower = new double[Mean.Length];
        var upper = new double[Mean.Length];
        for (int i = 0; i < Mean.Length; i++)
        {
            lower[i] = Mean[i] - z * StandardErrors[i];
            upper[i] = Mean[i] + z * StandardErrors[i];
        }
        return (lower, upper);
    }
}

/// <summary>Fitted theta parameters of one series.</summary>
/// <param name="Alpha">Smoothing parameter of the SES (thetaf: <c>pmax(1e-10, alpha)</c>).</param>
/// <param name="Level0">Initial level of the SES (ell_0 of the OTM).</param>
/// <param name="Theta">Theta line coefficient (2 for thetaf).</param>
/// <param name="Drift">thetaf's drift b (half the slope of the least-squares line); the OTM's B_n (the full slope).</param>
/// <param name="Sigma2">Residual variance used for the intervals (thetaf: the ses fit's sigma2; OTM: the variance of residuals 3..n).</param>
/// <param name="Seasonal">Whether the series was seasonally adjusted.</param>
/// <param name="SeasonalIndices">The multiplicative decomposition's indices of the last m observations (null when not seasonal).</param>
public sealed record ThetaParameters(double Alpha, double Level0, double Theta, double Drift, double Sigma2, bool Seasonal, double[]? SeasonalIndices);
