namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>R's starting values: the initial-state heuristic (<c>forecast:::initstate</c>, with <c>stats::decompose</c> and
/// the short-series Fourier regression) and the smoothing-parameter starts (<c>forecast:::initparam</c>).</summary>
internal static class EtsInit
{
    /// <summary>
    /// R: <c>forecast:::initstate(y, trendtype, seasontype)</c>: l0, b0 (with a trend) and m-1 seasonal states
    /// s_0..s_{m-2} (the last one is implied by the normalisation).
    /// </summary>
    /// <exception cref="ArgumentException">A seasonal model with fewer than 4 values (R: "not enough data").</exception>
    public static double[] InitialState(ReadOnlySpan<double> y, EtsForm trend, EtsForm season, int m)
    {
        int n = y.Length;
        double[] seasInit = [];
        double[] ysa;
        if (season != EtsForm.None)
        {
            if (n < 4) throw new ArgumentException("ets: not enough data for a seasonal model (R: fewer than 4 values).");
            double[] seasonal;
            if (n < 3 * m)
            {
                // R: tslm(y ~ trend + fourier(y, 1)); the seasonal part is y minus (or over) the fitted linear trend
                var (b0, b1) = FourierTrend(y, m);
                seasonal = new double[n];
                for (int t = 0; t < n; t++)
                    seasonal[t] = season == EtsForm.Additive ? y[t] - b0 - b1 * (t + 1) : y[t] / (b0 + b1 * (t + 1));
            }
            else seasonal = Decompose(y, m, season == EtsForm.Multiplicative);
            seasInit = new double[m - 1];
            for (int i = 0; i < m - 1; i++) seasInit[i] = seasonal[m - 1 - i]; // rev(seasonal[2:m])
            ysa = new double[n];
            if (season == EtsForm.Additive)
                for (int t = 0; t < n; t++) ysa[t] = y[t] - seasonal[t];
            else
            {
                double sum = 0;
                for (int i = 0; i < seasInit.Length; i++) { seasInit[i] = Math.Max(seasInit[i], 0.01); sum += seasInit[i]; }
                if (sum > m)
                {
                    double denom = 0;
                    foreach (var v in seasInit) denom += v + 0.01;
                    for (int i = 0; i < seasInit.Length; i++) seasInit[i] /= denom;
                }
                for (int t = 0; t < n; t++) ysa[t] = y[t] / Math.Max(seasonal[t], 0.01);
            }
        }
        else
        {
            m = 1;
            ysa = y.ToArray();
        }
        int maxn = Math.Min(Math.Max(10, 2 * m), ysa.Length);
        var result = new List<double>(2 + seasInit.Length);
        if (trend == EtsForm.None)
        {
            result.Add(Mean(ysa.AsSpan(0, maxn)));
        }
        else
        {
            var (a, b) = LineFit(ysa.AsSpan(0, maxn));
            double l0, b0;
            if (trend == EtsForm.Additive)
            {
                l0 = a; b0 = b;
                if (Math.Abs(l0 + b0) < 1e-8) { l0 *= 1 + 0.001; b0 *= 1 - 0.001; }
            }
            else
            {
                l0 = a + b;
                if (Math.Abs(l0) < 1e-8) l0 = 1e-7;
                b0 = (a + 2 * b) / l0;
                l0 /= b0;
                if (Math.Abs(b0) > 1e10) b0 = Math.Sign(b0) * 1e10;
                if (l0 < 1e-8 || b0 < 1e-8)
                {
                    l0 = Math.Max(ysa[0], 0.001);
                    b0 = Math.Max(ysa[1] / ysa[0], 0.001);
                }
            }
            result.Add(l0);
            result.Add(b0);
        }
        result.AddRange(seasInit);
        return [.. result];
    }

    /// <summary>R's <c>mean</c> (a second pass corrects the rounding of the first, as R's long-double mean nearly does).</summary>
    internal static double Mean(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (var v in x) s += v;
        s /= x.Length;
        double t = 0;
        foreach (var v in x) t += v - s;
        return s + t / x.Length;
    }

    /// <summary>R: <c>lsfit(1:n, x)$coefficients</c>: intercept and slope of x on 1..n.</summary>
    internal static (double Intercept, double Slope) LineFit(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double tm = (n + 1) / 2.0, xm = Mean(x);
        double sxy = 0, sxx = 0;
        for (int t = 0; t < n; t++)
        {
            double dt = t + 1 - tm;
            sxy += dt * (x[t] - xm);
            sxx += dt * dt;
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return (xm - slope * tm, slope);
    }

    /// <summary>Intercept and trend slope of R's <c>tslm(y ~ trend + fourier(y, 1))</c> (least squares on 1, t,
    /// sin(2 pi t/m) when m &gt; 2, cos(2 pi t/m)).</summary>
    internal static (double Intercept, double Slope) FourierTrend(ReadOnlySpan<double> y, int m)
    {
        int n = y.Length;
        bool hasSin = Math.Abs(2.0 / m - Math.Round(2.0 / m)) > 2.220446049250313e-16;
        int k = hasSin ? 4 : 3;
        var x = new double[n, k];
        for (int t = 0; t < n; t++)
        {
            int c = 0;
            x[t, c++] = 1;
            x[t, c++] = t + 1;
            if (hasSin) x[t, c++] = double.SinPi(2.0 / m * (t + 1));
            x[t, c] = double.CosPi(2.0 / m * (t + 1));
        }
        var beta = LeastSquares(x, y);
        return (beta[0], beta[1]);
    }

    /// <summary>Least squares by Householder QR (as R's <c>lm</c>), for a full-rank design.</summary>
    internal static double[] LeastSquares(double[,] a, ReadOnlySpan<double> yIn)
    {
        int n = a.GetLength(0), k = a.GetLength(1);
        var q = (double[,])a.Clone();
        var y = yIn.ToArray();
        for (int j = 0; j < k; j++)
        {
            double norm = 0;
            for (int i = j; i < n; i++) norm += q[i, j] * q[i, j];
            norm = Math.Sqrt(norm);
            if (norm == 0) continue;
            double alpha = q[j, j] > 0 ? -norm : norm;
            double v0 = q[j, j] - alpha;
            // v = (v0, q[j+1.., j]); H = I - 2 v v^T / (v^T v)
            double vtv = v0 * v0;
            for (int i = j + 1; i < n; i++) vtv += q[i, j] * q[i, j];
            for (int c = j + 1; c < k; c++)
            {
                double dot = v0 * q[j, c];
                for (int i = j + 1; i < n; i++) dot += q[i, j] * q[i, c];
                double f = 2 * dot / vtv;
                q[j, c] -= f * v0;
                for (int i = j + 1; i < n; i++) q[i, c] -= f * q[i, j];
            }
            double dy = v0 * y[j];
            for (int i = j + 1; i < n; i++) dy += q[i, j] * y[i];
            double fy = 2 * dy / vtv;
            y[j] -= fy * v0;
            for (int i = j + 1; i < n; i++) y[i] -= fy * q[i, j];
            q[j, j] = alpha;
        }
        var beta = new double[k];
        for (int j = k - 1; j >= 0; j--)
        {
            double s = y[j];
            for (int c = j + 1; c < k; c++) s -= q[j, c] * beta[c];
            beta[j] = q[j, j] == 0 ? 0 : s / q[j, j];
        }
        return beta;
    }

    /// <summary>
    /// The seasonal component of R's <c>stats::decompose(y, type)</c>: a centred moving average (weights 1/(2m), 1/m ..,
    /// 1/(2m) for even m, summed as R's <c>filter</c>), the seasonal figure as the mean detrended value of each position
    /// of the cycle, centred (additive) or normalised (multiplicative), repeated over the series.
    /// </summary>
    internal static double[] Decompose(ReadOnlySpan<double> x, int f, bool multiplicative)
    {
        int l = x.Length;
        double[] filter;
        if (f % 2 == 0)
        {
            filter = new double[f + 1];
            filter[0] = filter[f] = 0.5 / f;
            for (int i = 1; i < f; i++) filter[i] = 1.0 / f;
        }
        else
        {
            filter = new double[f];
            for (int i = 0; i < f; i++) filter[i] = 1.0 / f;
        }
        int nf = filter.Length, shift = nf / 2;
        var season = new double[l];
        for (int i = 0; i < l; i++)
        {
            if (i + shift - (nf - 1) < 0 || i + shift >= l) { season[i] = double.NaN; continue; }
            double z = 0;
            for (int j = Math.Max(0, shift + i - l); j < Math.Min(nf, i + shift + 1); j++) z += filter[j] * x[i + shift - j];
            season[i] = multiplicative ? x[i] / z : x[i] - z;
        }
        var figure = new double[f];
        for (int i = 0; i < f; i++)
        {
            double s = 0;
            int c = 0;
            for (int t = i; t < l; t += f)
                if (!double.IsNaN(season[t])) { s += season[t]; c++; }
            double mean = s / c;
            if (c > 0)
            {
                double corr = 0;
                for (int t = i; t < l; t += f)
                    if (!double.IsNaN(season[t])) corr += season[t] - mean;
                mean += corr / c;
            }
            figure[i] = mean;
        }
        double fm = Mean(figure);
        for (int i = 0; i < f; i++) figure[i] = multiplicative ? figure[i] / fm : figure[i] - fm;
        var seasonal = new double[l];
        for (int t = 0; t < l; t++) seasonal[t] = figure[t % f];
        return seasonal;
    }

    /// <summary>R: <c>forecast:::initparam</c>: starting alpha, beta, gamma, phi for those to be estimated (NaN: not estimated).</summary>
    public static (double Alpha, double Beta, double Gamma, double Phi) InitialParameters(double? alphaGiven, double? betaGiven, double? gammaGiven,
        double? phiGiven, EtsForm trend, EtsForm season, bool damped, double[] lower, double[] upper, int m, EtsBounds bounds)
    {
        if (bounds == EtsBounds.Admissible)
        {
            for (int i = 0; i < 3; i++) { lower[i] = 0; upper[i] = 0.001; }
        }
        else
        {
            for (int i = 0; i < 4; i++)
                if (lower[i] > upper[i]) throw new ArgumentException("ets: inconsistent parameter boundaries.");
        }
        double alpha = double.NaN, beta = double.NaN, gamma = double.NaN, phi = double.NaN;
        double alphaValue;
        if (alphaGiven is null)
        {
            alpha = lower[0] + 0.2 * (upper[0] - lower[0]) / m;
            if (alpha > 1 || alpha < 0) alpha = lower[0] + 0.002;
            alphaValue = alpha;
        }
        else alphaValue = alphaGiven.Value;
        if (trend != EtsForm.None && betaGiven is null)
        {
            upper[1] = Math.Min(upper[1], alphaValue);
            beta = lower[1] + 0.1 * (upper[1] - lower[1]);
            if (beta < 0 || beta > alphaValue) beta = alphaValue - 0.001;
        }
        if (season != EtsForm.None && gammaGiven is null)
        {
            upper[2] = Math.Min(upper[2], 1 - alphaValue);
            gamma = lower[2] + 0.05 * (upper[2] - lower[2]);
            if (gamma < 0 || gamma > 1 - alphaValue) gamma = 1 - alphaValue - 0.001;
        }
        if (damped && phiGiven is null)
        {
            phi = lower[3] + 0.99 * (upper[3] - lower[3]);
            if (phi < 0 || phi > 1) phi = upper[3] - 0.001;
        }
        return (alpha, beta, gamma, phi);
    }
}
