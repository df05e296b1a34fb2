namespace Hindsight.Forecasting.Classical.Theta;

/// <summary>
/// Nelder-Mead minimiser exactly as R's <c>nmmin</c> (stats/src/optim.c, Nash's Compact Numerical Methods, re-crafted by
/// Ripley), the optimiser behind <c>optim(method = "Nelder-Mead")</c> and forecast's <c>etsNelderMead</c>. A private copy
/// for the theta models until the shared Classical/Optimization Nelder-Mead lands; non-finite values count as 1e35.
/// </summary>
internal static class NmMin
{
    private const double Big = 1.0e35;

    /// <summary>Result: the best point, its value, function evaluations and R's fail code (0 converged, 1 maxit, 10 shrink failed).</summary>
    internal readonly record struct Result(double[] X, double Value, int Evaluations, int Fail);

    /// <summary>
    /// Minimises <paramref name="f"/> from <paramref name="start"/>. R's optim uses abstol = -Inf, intol = sqrt(eps),
    /// alpha = 1, beta = 0.5, gamma = 2, maxit = 500; ets uses maxit = 2000.
    /// </summary>
    /// <exception cref="ArgumentException">f is not finite at the start (R: "function cannot be evaluated at initial parameters").</exception>
    internal static Result Minimize(Func<double[], double> f, double[] start, int maxit, double abstol = double.NegativeInfinity,
        double intol = 1.490116119384765625e-8, double alpha = 1, double bet = 0.5, double gamm = 2)
    {
        int n = start.Length;
        var b = (double[])start.Clone();
        if (maxit <= 0) return new Result(b, f(b), 0, 0);
        double fv = f(b);
        if (!double.IsFinite(fv)) throw new ArgumentException("Nelder-Mead: function cannot be evaluated at initial parameters.");
        int n1 = n + 1, c = n + 2;
        var p = new double[n1, c]; // rows 0..n-1 parameters, row n the value; columns = vertices, the last the centroid
        int funcount = 1, fail = 0;
        double convtol = intol * (Math.Abs(fv) + intol);
        p[n1 - 1, 0] = fv;
        for (int i = 0; i < n; i++) p[i, 0] = b[i];
        int l = 1, h;
        double size = 0, step = 0;
        for (int i = 0; i < n; i++) if (0.1 * Math.Abs(b[i]) > step) step = 0.1 * Math.Abs(b[i]);
        if (step == 0.0) step = 0.1;
        for (int j = 2; j <= n1; j++)
        {
            for (int i = 0; i < n; i++) p[i, j - 1] = b[i];
            double trystep = step;
            while (p[j - 2, j - 1] == b[j - 2])
            {
                p[j - 2, j - 1] = b[j - 2] + trystep;
                trystep *= 10;
            }
            size += trystep;
        }
        double oldsize = size;
        bool calcvert = true;
        do
        {
            if (calcvert)
            {
                for (int j = 0; j < n1; j++)
                {
                    if (j + 1 == l) continue;
                    for (int i = 0; i < n; i++) b[i] = p[i, j];
                    fv = f(b);
                    if (!double.IsFinite(fv)) fv = Big;
                    funcount++;
                    p[n1 - 1, j] = fv;
                }
                calcvert = false;
            }
            double vl = p[n1 - 1, l - 1], vh = vl;
            h = l;
            for (int j = 1; j <= n1; j++)
            {
                if (j == l) continue;
                double v = p[n1 - 1, j - 1];
                if (v < vl) { l = j; vl = v; }
                if (v > vh) { h = j; vh = v; }
            }
            if (vh <= vl + convtol || vl <= abstol) break;

            for (int i = 0; i < n; i++)
            {
                double temp = -p[i, h - 1];
                for (int j = 0; j < n1; j++) temp += p[i, j];
                p[i, c - 1] = temp / n;
            }
            for (int i = 0; i < n; i++) b[i] = (1.0 + alpha) * p[i, c - 1] - alpha * p[i, h - 1];
            fv = f(b);
            if (!double.IsFinite(fv)) fv = Big;
            funcount++;
            double vr = fv;
            if (vr < vl)
            {
                p[n1 - 1, c - 1] = fv;
                for (int i = 0; i < n; i++)
                {
                    double e = gamm * b[i] + (1 - gamm) * p[i, c - 1];
                    p[i, c - 1] = b[i];
                    b[i] = e;
                }
                fv = f(b);
                if (!double.IsFinite(fv)) fv = Big;
                funcount++;
                if (fv < vr)
                {
                    for (int i = 0; i < n; i++) p[i, h - 1] = b[i];
                    p[n1 - 1, h - 1] = fv;
                }
                else
                {
                    for (int i = 0; i < n; i++) p[i, h - 1] = p[i, c - 1];
                    p[n1 - 1, h - 1] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    for (int i = 0; i < n; i++) p[i, h - 1] = b[i];
                    p[n1 - 1, h - 1] = vr;
                }
                for (int i = 0; i < n; i++) b[i] = (1 - bet) * p[i, h - 1] + bet * p[i, c - 1];
                fv = f(b);
                if (!double.IsFinite(fv)) fv = Big;
                funcount++;
                if (fv < p[n1 - 1, h - 1])
                {
                    for (int i = 0; i < n; i++) p[i, h - 1] = b[i];
                    p[n1 - 1, h - 1] = fv;
                }
                else if (vr >= vh)
                {
                    // shrink towards the lowest vertex
                    calcvert = true;
                    size = 0.0;
                    for (int j = 0; j < n1; j++)
                    {
                        if (j + 1 == l) continue;
                        for (int i = 0; i < n; i++)
                        {
                            p[i, j] = bet * (p[i, j] - p[i, l - 1]) + p[i, l - 1];
                            size += Math.Abs(p[i, j] - p[i, l - 1]);
                        }
                    }
                    if (size < oldsize) oldsize = size;
                    else { fail = 10; break; }
                }
            }
        } while (funcount <= maxit);

        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = p[i, l - 1];
        if (funcount > maxit) fail = 1;
        return new Result(x, p[n1 - 1, l - 1], funcount, fail);
    }
}
