namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>R: <c>ARIMA_CSS</c>: the conditional sum of squares of the differenced series, residuals from <c>ncond</c> on.</summary>
internal static class ArimaCss
{
    /// <summary>
    /// The mean squared conditional residual <c>ssq / nu</c>; <paramref name="resid"/> (length n) receives the residuals
    /// (0 before <paramref name="ncond"/>); <paramref name="w"/> (length n) is scratch.
    /// </summary>
    /// <remarks>
    /// The lags with a zero coefficient (most of an expanded seasonal polynomial) are skipped: R subtracts exact zeros
    /// there, so the sums are the same unless a value overflowed (0 * inf); then R's loop over every lag is run.
    /// </remarks>
    public static double MeanSquare(ReadOnlySpan<double> y, in ArimaOrder o, ReadOnlySpan<double> phi, ReadOnlySpan<double> theta,
        int ncond, Span<double> w, Span<double> resid)
    {
        int n = y.Length, p = phi.Length, q = theta.Length, ns = o.Period;
        y.CopyTo(w);
        for (int i = 0; i < o.D; i++)
            for (int l = n - 1; l > 0; l--) w[l] -= w[l - 1];
        for (int i = 0; i < o.SeasonalD; i++)
            for (int l = n - 1; l >= ns; l--) w[l] -= w[l - ns];
        Span<int> arLags = p <= 256 ? stackalloc int[p] : new int[p];
        Span<int> maLags = q <= 256 ? stackalloc int[q] : new int[q];
        int nar = 0, nma = 0;
        for (int j = 0; j < p; j++) if (phi[j] != 0) arLags[nar++] = j;
        for (int j = 0; j < q; j++) if (theta[j] != 0) maLags[nma++] = j;
        double sparse = Sums(w, phi, theta, arLags[..nar], maLags[..nma], ncond, resid);
        if (double.IsFinite(sparse) || (nar == p && nma == q)) return sparse;
        for (int j = 0; j < p; j++) arLags[j] = j;
        for (int j = 0; j < q; j++) maLags[j] = j;
        return Sums(w, phi, theta, arLags, maLags, ncond, resid);
    }

    private static double Sums(ReadOnlySpan<double> w, ReadOnlySpan<double> phi, ReadOnlySpan<double> theta, ReadOnlySpan<int> arLags,
        ReadOnlySpan<int> maLags, int ncond, Span<double> resid)
    {
        int n = w.Length;
        for (int l = 0; l < ncond && l < n; l++) resid[l] = 0;
        double ssq = 0.0;
        int nu = 0;
        for (int l = ncond; l < n; l++)
        {
            double tmp = w[l];
            foreach (int j in arLags) tmp -= phi[j] * w[l - j - 1];
            int jm = l - ncond;
            foreach (int j in maLags)
            {
                if (j >= jm) break;
                tmp -= theta[j] * resid[l - j - 1];
            }
            resid[l] = tmp;
            if (!double.IsNaN(tmp)) { nu++; ssq += tmp * tmp; }
        }
        return ssq / nu;
    }
}
