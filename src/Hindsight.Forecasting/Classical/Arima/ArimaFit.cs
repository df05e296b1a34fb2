namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>A fitted ARIMA as R's <c>arima</c> returns it (class <c>Arima</c>).</summary>
public sealed class ArimaFit
{
    internal ArimaFit(ArimaOrder order, ArimaMethod method, double[] coefficients, string[] names, double sigma2, double logLik,
        double aic, double[] residuals, ArimaStateSpace model, int nobs, int convergence, Lazy<double[]> varianceDiagonal,
        double[][] regressors, bool fixedCoefficients)
    {
        Order = order; Method = method; Coefficients = coefficients; Names = names; Sigma2 = sigma2; LogLik = logLik; Aic = aic;
        Residuals = residuals; Model = model; NObs = nobs; Convergence = convergence; _variance = varianceDiagonal;
        Regressors = regressors; FixedCoefficients = fixedCoefficients;
    }

    private readonly Lazy<double[]> _variance;

    /// <summary>The orders.</summary>
    public ArimaOrder Order { get; }
    /// <summary>The estimation method used.</summary>
    public ArimaMethod Method { get; }
    /// <summary>Coefficients: ar1..p, ma1..q, sar1..P, sma1..Q, then the regressors (<c>intercept</c> or <c>drift</c>, then the
    /// <c>xreg</c> columns), in the original regressors' units (after R's SVD rotation is undone).</summary>
    public double[] Coefficients { get; }
    /// <summary>R's names of <see cref="Coefficients"/>.</summary>
    public string[] Names { get; }
    /// <summary>Innovation variance (R's <c>sigma2</c>; forecast's <c>Arima</c> replaces it, see <see cref="ArimaModel"/>).</summary>
    public double Sigma2 { get; internal set; }
    /// <summary>Log-likelihood (for CSS: R's CSS-based value).</summary>
    public double LogLik { get; }
    /// <summary>AIC, NaN for CSS fits (as R).</summary>
    public double Aic { get; }
    /// <summary>Residuals: standardised innovations of the Kalman filter (ML), or the conditional residuals (CSS).</summary>
    public double[] Residuals { get; }
    internal ArimaStateSpace Model { get; }
    /// <summary>Observations used, n - d - mD (R's <c>nobs</c>).</summary>
    public int NObs { get; }
    /// <summary>The optimiser's code (0 converged, 1 iteration limit).</summary>
    public int Convergence { get; }
    /// <summary>Diagonal of the coefficients' covariance (R's <c>diag(var.coef)</c>), empty when nothing was estimated.</summary>
    /// <exception cref="ArimaFitException">The Hessian is singular (only for a fit auto.arima deferred).</exception>
    public double[] VarianceDiagonal => _variance.Value;
    /// <summary>Regressor columns as given (intercept of 1s, drift 1..n, then xreg), before any rotation.</summary>
    internal double[][] Regressors { get; }
    /// <summary>Whether every coefficient was given (<c>fixed</c>), none estimated.</summary>
    public bool FixedCoefficients { get; }
    /// <summary>Number of estimated coefficients.</summary>
    public int EstimatedCount => FixedCoefficients ? 0 : Coefficients.Length;
}
