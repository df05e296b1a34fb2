namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>R: <c>ARIMA_CSS</c>: the conditional sum of squares of the differenced series, residuals from <c>ncond</c> on.</summary>
internal static class ArimaCss
{
    /// <summary>
    /// The mean squared conditional residual <c>ssq / nu</c>; <paramref name="resid"/> (length n) receives the residuals
    /// (0 before <paramref name="ncond"/>); <paramref name="w"/> (length n) is scratch.
    /// </summary>
    public static double MeanSquare(ReadOnlySpan<double> y, in ArimaOrder o, ReadOnlySpan<double> phi, ReadOnlySpan<double> theta,
        int ncond, Span<double> w, Span<double> resid)
    {
        int n = y.Length, p = phi.Length, q = theta.Length, ns = o.Period;
        y.CopyTo(w);
        for (int i = 0; i < o.D; i++)
            for (int l = n - 1; l > 0; l--) w[l] -= w[l - 1];
        for (int i = 0; i < o.SeasonalD; i++)
            for (int l = n - 1; l >= ns; l--) w[l] -= w[l - ns];
        for (int l = 0; l < ncond && l < n; l++) resid[l] = 0;
        double ssq = 0.0;
        int nu = 0;
        for (int l = ncond; l < n; l++)
        {
            double tmp = w[l];
            for (int j = 0; j < p; j++) tmp -= phi[j] * w[l - j - 1];
            int jm = Math.Min(l - ncond, q);
            for (int j = 0; j < jm; j++) tmp -= theta[j] * resid[l - j - 1];
            resid[l] = tmp;
            if (!double.IsNaN(tmp)) { nu++; ssq += tmp * tmp; }
        }
        return ssq / nu;
    }
}
