namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// <c>forecast::ses(y)</c> = <c>ets(y, "ANN", opt.crit = "mse")</c>, ported for exactly what ses reaches:
/// <list type="bullet">
/// <item>n &gt; 6 (ets needs n &gt; npars + 4 with npars = 2): alpha starts at <c>1e-4 + 0.2 (0.9999 - 1e-4)</c> (R: forecast:::initparam,
/// m = 1), l_0 at the mean of the first min(10, n) values (R: forecast:::initstate); both are estimated by R's Nelder-Mead
/// (etsNelderMead: abstol -Inf, intol sqrt(eps), maxit 2000) minimising amse[1], the mean squared one-step error
/// (etscalc), with alpha outside [1e-4, 0.9999] rejected (check.param, bounds "both"); sigma2 = sum(e^2) / (n - 2).</item>
/// <item>n &lt;= 6: R falls back to HoltWintersZZ(beta = FALSE, gamma = FALSE): l_0 = y_1 and alpha in [0, 1] minimising the
/// sum of squared errors by L-BFGS-B from 0.2 / frequency; here a golden-section search (the same minimum up to the
/// optimiser's tolerance, ~1e-5 in alpha); sigma2 = mean(e^2).</item>
/// </list>
/// </summary>
internal sealed class RSes : ISesFitter
{
    private const double Lower = 1e-4, Upper = 0.9999;

    /// <inheritdoc/>
    public SesFit Fit(ReadOnlySpan<double> y, int frequency)
    {
        int n = y.Length;
        if (n <= 6) return FitHoltWinters(y.ToArray(), Math.Max(1, frequency));
        var data = y.ToArray();
        double alpha0 = Lower + 0.2 * (Upper - Lower); // R: initparam, m = 1 for a non-seasonal model
        int maxn = Math.Min(10, n);                       // R: initstate, maxn = min(max(10, 2m), n)
        double l0 = Statistics.Autocorrelation.Mean(data.AsSpan(0, maxn));
        var result = Optimization.NelderMead.Minimize(p => Objective(data, p[0], p[1]), [alpha0, l0], maxit: 2000);
        return Filter(data, result.Parameters[0], result.Parameters[1]);
    }

    /// <inheritdoc/>
    public SesFit Filter(ReadOnlySpan<double> y, double alpha, double level0)
    {
        int n = y.Length;
        var e = new double[n];
        double l = level0, sse = 0;
        for (int i = 0; i < n; i++)
        {
            e[i] = y[i] - l;
            sse += e[i] * e[i];
            l += alpha * (y[i] - l); // R etscalc update: l = q + alpha (p - q)
        }
        double sigma2 = n > 6 ? sse / (n - 2) : sse / n;
        return new SesFit(alpha, level0, l, e, sigma2);
    }

    /// <summary>R: the ets target function with opt.crit "mse": amse[1] of etscalc, +Inf when alpha is out of bounds.</summary>
    internal static double Objective(double[] y, double alpha, double level0)
    {
        if (alpha < Lower || alpha > Upper) return double.PositiveInfinity; // check.param (usual); admissible [0, 2] holds then
        double l = level0, amse = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = y[i] - l;
            amse = (amse * i + e * e) / (i + 1); // running mean as etscalc (denom[0] = i + 1)
            l += alpha * (y[i] - l);
        }
        return amse;
    }

    /// <summary>R: HoltWintersZZ(x, beta = FALSE, gamma = FALSE): l_0 = x_1, alpha minimising the SSE on [0, 1].</summary>
    private SesFit FitHoltWinters(double[] y, int frequency)
    {
        double l0 = y[0];
        double Sse(double a)
        {
            double l = l0, s = 0;
            foreach (double v in y) { double e = v - l; s += e * e; l = a * v + (1 - a) * l; }
            return s;
        }
        double start = 0.2 / frequency; // R: initparam(lower = 0, upper = 1, m = frequency)
        double best = start, bestValue = Sse(start);
        // golden-section search on [0, 1], then the end points; the start stays when nothing is lower (a flat SSE, n = 2)
        double lo = 0, hi = 1, g = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = Sse(x1), f2 = Sse(x2);
        for (int it = 0; it < 200 && hi - lo > 1e-12; it++)
        {
            if (f1 <= f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = Sse(x1); }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = Sse(x2); }
        }
        foreach (double a in new[] { (lo + hi) / 2, 0.0, 1.0 })
        {
            double v = Sse(a);
            if (v < bestValue * (1 - 1e-12) - 1e-300) { best = a; bestValue = v; }
        }
        return Filter(y, best, l0);
    }
}
