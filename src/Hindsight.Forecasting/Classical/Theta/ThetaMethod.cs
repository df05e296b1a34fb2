namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// The standard theta method exactly as R's <c>forecast::thetaf(y, h)</c> (forecast 8.20): seasonal adjustment
/// (<see cref="SeasonalAdjustment"/>), SES by MSE on the adjusted series (<c>ses(x)</c>), drift <c>b = slope / 2</c> of the
/// least-squares line of the adjusted series on 0..n-1 (<c>lsfit(0:(n-1), x)$coefficients[2] / 2</c>), forecasts
/// <c>l_n + b (j + (1 - (1 - alpha)^n) / alpha)</c> for j = 0..h-1 (alpha floored at 1e-10), multiplied back by the last
/// season's indices, and intervals <c>mean ± z sqrt(sigma2) sqrt(1 + j alpha^2)</c> with the ses fit's sigma2 (not
/// reseasonalised, as thetaf).
/// </summary>
internal static class ThetaMethod
{
    /// <summary>thetaf(y, h) with frequency <paramref name="m"/>; with <paramref name="fixedAlpha"/> and <paramref name="fixedLevel0"/> the SES is only filtered.</summary>
    internal static (ThetaForecast Forecast, string? Note) Forecast(ReadOnlySpan<double> y, int m, int h, ISesFitter ses,
        double? fixedAlpha = null, double? fixedLevel0 = null)
    {
        int n = y.Length;
        var adj = SeasonalAdjustment.Apply(y, m);
        var x = adj.Adjusted;
        var fit = fixedAlpha is double a && fixedLevel0 is double l0 ? ses.Filter(x, a, l0) : ses.Fit(x, m);
        double drift = LeastSquaresSlope(x) / 2;
        double alpha = Math.Max(1e-10, fit.Alpha);
        double tail = (1 - Math.Pow(1 - alpha, n)) / alpha;
        var mean = new double[h];
        var se = new double[h];
        double sigma = Math.Sqrt(fit.Sigma2);
        for (int j = 0; j < h; j++)
        {
            mean[j] = fit.Level + drift * (j + tail);
            if (adj.Seasonal) mean[j] *= adj.IndexAt(j);
            se[j] = sigma * Math.Sqrt(j * alpha * alpha + 1);
        }
        var parameters = new ThetaParameters(alpha, fit.Level0, 2, drift, fit.Sigma2, adj.Seasonal, adj.LastIndices);
        return (ThetaForecast.WithIntervals(mean, se, parameters), adj.Note);
    }

    /// <summary>Slope of the least-squares line of <paramref name="x"/> on 0..n-1 (R: <c>lsfit(0:(n-1), x)$coefficients[2]</c>); 0 for one value.</summary>
    internal static double LeastSquaresSlope(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        if (n < 2) return 0;
        double tbar = (n - 1) / 2.0, xbar = Statistics.Autocorrelation.Mean(x), sxy = 0, stt = 0;
        for (int t = 0; t < n; t++)
        {
            double dt = t - tbar;
            sxy += dt * (x[t] - xbar);
            stt += dt * dt;
        }
        return sxy / stt;
    }
}
