namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// A simple exponential smoothing fit as R's <c>forecast::ses(x)</c> returns it (<c>ets(x, "ANN", opt.crit = "mse")</c>):
/// smoothing parameter, initial and final level, one-step residuals and <c>sigma2</c>.
/// </summary>
/// <param name="Alpha">Smoothing parameter alpha.</param>
/// <param name="Level0">Initial level l_0.</param>
/// <param name="Level">Final level l_n (the point forecast at every horizon).</param>
/// <param name="Residuals">One-step errors <c>y_t - l_{t-1}</c>.</param>
/// <param name="Sigma2">Residual variance as R's model$sigma2 (<c>sum(e^2) / (n - 2)</c> for ets, <c>mean(e^2)</c> for the short-series HoltWinters path).</param>
internal sealed record SesFit(double Alpha, double Level0, double Level, double[] Residuals, double Sigma2);

/// <summary>
/// Fits simple exponential smoothing the way thetaf needs it. The one implementation is <see cref="RSes"/>, a private port of
/// the parts of forecast's ets that ses(x) reaches; it is meant to be swapped for the ETS helper's
/// <c>ets(y, model: "ANN", optCrit: "mse")</c> once that lands (see docs/forecasting.md, Theta).
/// </summary>
internal interface ISesFitter
{
    /// <summary>R: <c>ses(y)$model</c> with alpha and l_0 estimated; <paramref name="frequency"/> is the ts frequency (the HoltWinters path of very short series starts alpha at 0.2 / frequency).</summary>
    SesFit Fit(ReadOnlySpan<double> y, int frequency);

    /// <summary>Filters <paramref name="y"/> with fixed <paramref name="alpha"/> and <paramref name="level0"/> (no estimation); sigma2 as the path R would take for this length.</summary>
    SesFit Filter(ReadOnlySpan<double> y, double alpha, double level0);
}
