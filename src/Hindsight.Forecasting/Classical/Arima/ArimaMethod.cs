namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>How <c>arima</c> estimates the coefficients (R's <c>method</c>).</summary>
public enum ArimaMethod
{
    /// <summary>Conditional sum of squares for starting values, then exact maximum likelihood (R's default "CSS-ML").</summary>
    CssMl,
    /// <summary>Exact maximum likelihood through the Kalman filter ("ML").</summary>
    Ml,
    /// <summary>Conditional sum of squares only ("CSS").</summary>
    Css,
}

/// <summary>An error R's <c>arima</c> raises for this fit (non-stationary AR part from CSS, a singular Hessian, ...); the model is not usable.</summary>
public sealed class ArimaFitException(string message) : Exception(message);
