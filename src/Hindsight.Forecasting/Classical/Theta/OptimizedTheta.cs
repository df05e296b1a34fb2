namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// The optimised theta model (OTM) and its dynamic form (DOTM) of Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler
/// (2016), as their R package forecTheta (<c>otm</c>, <c>dotm</c>) and statsforecast's OptimizedTheta define it. On the
/// (seasonally adjusted) series y_1..y_n with <c>B_n = 6 (2 mean(t y_t) - (1 + n) mean(y)) / (n^2 - 1)</c> and
/// <c>A_n = mean(y) - (n + 1) B_n / 2</c> (the least-squares line on t = 1..n):
/// <code>
/// mu_1     = ell_0 + (1 - 1/theta) (A_n + B_n)                      (DOTM: mu_1 = y_1, A_1 = y_1, B_1 = 0)
/// ell_t    = alpha y_t + (1 - alpha) ell_{t-1}
/// mu_{t+1} = ell_t + (1 - 1/theta) (A_t (1 - alpha)^t + B_t (1 - (1 - alpha)^{t+1}) / alpha)
/// </code>
/// with A_t = A_n, B_t = B_n (OTM) or updated every step from the running mean (DOTM:
/// <c>B_t = ((t - 2) B_{t-1} + 6 (y_t - mean_{t-1}) / t) / (t + 1)</c>, <c>A_t = mean_t - B_t (t + 1) / 2</c>).
/// ell_0, alpha and theta minimise the sum of squared one-step errors <c>((y_t - mu_t) / mean|y|)^2</c> (DOTM: from t = 3)
/// by R's Nelder-Mead (optim defaults: maxit 500, reltol sqrt(eps)) from <c>(y_1 / 2, 0.5, 2)</c> (y_1 the unadjusted first
/// value, as forecTheta), restarted once from its optimum, returning 1e300 outside <c>ell_0 in [-1e10, 1e10], alpha in [0.1, 0.99], theta in [1, 1e10]</c>.
/// Forecasts continue the recursion with y replaced by mu. Intervals: <c>mean ± z sigma sqrt(1 + j alpha^2)</c>, j = 0..h-1,
/// sigma the standard deviation of residuals 3..n — the analytic variance of the model with A, B fixed, where forecTheta and
/// statsforecast draw 200 random paths; reseasonalised like the mean.
/// </summary>
internal static class OptimizedTheta
{
    /// <summary>Fitted (or fixed) parameters: initial level, alpha, theta.</summary>
    internal readonly record struct Parameters(double Level0, double Alpha, double Theta);

    /// <summary>Fits (when <paramref name="fixedParameters"/> is null) and forecasts <paramref name="h"/> steps of <paramref name="y"/> with period <paramref name="m"/>.</summary>
    internal static (ThetaForecast Forecast, Parameters Parameters, string? Note) Forecast(ReadOnlySpan<double> y, int m, int h, bool dynamic,
        Parameters? fixedParameters = null)
    {
        var adj = SeasonalAdjustment.Apply(y, m);
        var x = adj.Adjusted;
        int n = x.Length;
        var (an, bn) = Line(x);
        double cte = 0;
        foreach (double v in x) cte += Math.Abs(v);
        cte /= n;
        if (!(cte > 0) || !double.IsFinite(cte)) cte = 1; // an all-zero series: R would divide by zero; the minimiser is the same
        var p = fixedParameters ?? Optimize(x, y[0] / 2, an, bn, cte, dynamic);
        var mu = new double[n + h];
        Run(x, p, an, bn, dynamic, mu, h);
        var mean = mu.AsSpan(n, h).ToArray();
        // residual standard deviation from t = 3 (forecTheta: sd(Y_residuals[3:n]))
        int from = n >= 4 ? 2 : 0;
        double sigma = StandardDeviation(x, mu, from, n);
        var se = new double[h];
        for (int j = 0; j < h; j++)
        {
            se[j] = sigma * Math.Sqrt(1 + j * p.Alpha * p.Alpha);
            if (adj.Seasonal)
            {
                double s = adj.IndexAt(j);
                mean[j] *= s;
                se[j] *= Math.Abs(s);
            }
        }
        var parameters = new ThetaParameters(p.Alpha, p.Level0, p.Theta, bn, sigma * sigma, adj.Seasonal, adj.LastIndices);
        return (ThetaForecast.WithIntervals(mean, se, parameters), p, adj.Note);
    }

    /// <summary>The least-squares line on t = 1..n: (A_n, B_n).</summary>
    internal static (double A, double B) Line(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        if (n < 2) return (n == 1 ? y[0] : 0, 0);
        double my = 0, mty = 0;
        for (int t = 0; t < n; t++) { my += y[t]; mty += (t + 1) * y[t]; }
        my /= n; mty /= n;
        double b = 6 * (2 * mty - (1.0 + n) * my) / ((double)n * n - 1);
        return (my - (n + 1) * b / 2, b);
    }

    /// <summary>R: optim(c(y_1 / 2, 0.5, 2), sse, method = "Nelder-Mead").</summary>
    internal static Parameters Optimize(double[] x, double level0Start, double an, double bn, double cte, bool dynamic)
    {
        var mu = new double[x.Length];
        double Sse(ReadOnlySpan<double> par)
        {
            if (par[0] < -1e10 || par[0] > 1e10 || par[1] < 0.1 || par[1] > 0.99 || par[2] < 1.0 || par[2] > 1e10) return 1e300;
            Run(x, new Parameters(par[0], par[1], par[2]), an, bn, dynamic, mu, 0);
            double s = 0;
            for (int t = dynamic ? 2 : 0; t < x.Length; t++) { double e = (x[t] - mu[t]) / cte; s += e * e; }
            return s;
        }
        var r = Optimization.NelderMead.Minimize(Sse, [level0Start, 0.5, 2.0], maxit: 500);
        // one restart from the optimum with a fresh simplex (forecTheta stops after the first run): Nelder-Mead can stall
        // on the long valley of (ell_0, theta) a little short of the minimum
        var again = Optimization.NelderMead.Minimize(Sse, r.Parameters, maxit: 500);
        if (again.Value < r.Value) r = again;
        return new Parameters(r.Parameters[0], r.Parameters[1], r.Parameters[2]);
    }

    /// <summary>The SSE objective at <paramref name="p"/> (for tests and the property that the optimum beats theta = 2).</summary>
    internal static double Sse(ReadOnlySpan<double> x, Parameters p, bool dynamic)
    {
        var data = x.ToArray();
        var (an, bn) = Line(data);
        var mu = new double[data.Length];
        Run(data, p, an, bn, dynamic, mu, 0);
        double s = 0;
        for (int t = dynamic ? 2 : 0; t < data.Length; t++) { double e = data[t] - mu[t]; s += e * e; }
        return s;
    }

    /// <summary>The state recursion over the n observations and <paramref name="h"/> forecast steps, one-step means into <paramref name="mu"/>.</summary>
    private static void Run(double[] y, Parameters p, double an, double bn, bool dynamic, double[] mu, int h)
    {
        int n = y.Length, limit = n + h;
        double alpha = p.Alpha, w = 1 - 1 / p.Theta, q = 1 - alpha;
        double ell = alpha * y[0] + q * p.Level0, meanY = y[0], a, b;
        if (dynamic) { a = y[0]; b = 0; mu[0] = y[0]; }
        else { a = an; b = bn; mu[0] = p.Level0 + w * (an + bn); }
        double qk = 1; // (1 - alpha)^k
        for (int k = 1; k < limit; k++)
        {
            qk *= q;
            mu[k] = ell + w * (a * qk + b * (1 - qk * q) / alpha);
            double yk = k < n ? y[k] : mu[k];
            ell = alpha * yk + q * ell;
            double previousMean = meanY;
            meanY = (k * meanY + yk) / (k + 1);
            if (dynamic)
            {
                b = ((k - 1) * b + 6 * (yk - previousMean) / (k + 1)) / (k + 2);
                a = meanY - b * (k + 2) / 2;
            }
        }
    }

    private static double StandardDeviation(double[] x, double[] mu, int from, int n)
    {
        int count = n - from;
        if (count < 2) return 0;
        double mean = 0;
        for (int t = from; t < n; t++) mean += x[t] - mu[t];
        mean /= count;
        double ss = 0;
        for (int t = from; t < n; t++) { double d = x[t] - mu[t] - mean; ss += d * d; }
        return Math.Sqrt(ss / (count - 1));
    }
}
