using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// R's <c>stats::arima</c> (R 4.2) step by step: regression start by least squares on the differenced data with
/// <c>parscale = 10 se</c>, CSS (<c>armaCSS</c>) then exact ML (<c>armafn</c> through <see cref="ArimaKalman"/>) by
/// <see cref="Bfgs"/>, AR parameters transformed for stationarity (<c>transform.pars = TRUE</c>), R's checks that fail
/// a fit (non-stationary AR from CSS, singular Hessian), MA roots inverted after ML, sigma2, log-likelihood and AIC.
/// </summary>
public static class ArimaEstimator
{
    /// <summary>
    /// Fits <paramref name="x"/> as <c>arima(x, order, seasonal, xreg, include.mean, method)</c>.
    /// </summary>
    /// <param name="x">The series (finite values).</param>
    /// <param name="order">Orders and period.</param>
    /// <param name="xreg">One regressor column (e.g. drift 1..n) or null.</param>
    /// <param name="xregName">Its name.</param>
    /// <param name="includeMean">Add an intercept when there is no differencing.</param>
    /// <param name="method">Estimation method.</param>
    /// <param name="fixedCoefficients">Every coefficient given (R's <c>fixed</c> with no NA): nothing is estimated.</param>
    /// <exception cref="ArimaFitException">R's <c>arima</c> would stop with an error.</exception>
    public static ArimaFit Fit(ReadOnlySpan<double> x, ArimaOrder order, double[]? xreg = null, string xregName = "xreg",
        bool includeMean = true, ArimaMethod method = ArimaMethod.CssMl, double[]? fixedCoefficients = null)
        => Fit(x, order, xreg, xregName, includeMean, method, fixedCoefficients, deferVariance: false);

    /// <summary>
    /// As the public <see cref="Fit(ReadOnlySpan{double}, ArimaOrder, double[], string, bool, ArimaMethod, double[])"/>;
    /// with <paramref name="deferVariance"/> the Hessian and <c>var.coef</c> (and R's errors from them) wait until
    /// <see cref="ArimaFit.VarianceDiagonal"/> is first read: auto.arima needs them only for a model that could be chosen.
    /// With <paramref name="singleThread"/> the optimiser's finite differences stay on the calling thread (for fits that
    /// themselves run concurrently); the results are the same either way.
    /// </summary>
    internal static ArimaFit Fit(ReadOnlySpan<double> x, ArimaOrder order, double[]? xreg, string xregName,
        bool includeMean, ArimaMethod method, double[]? fixedCoefficients, bool deferVariance, bool singleThread = false)
        => Fit(x, order, xreg is null ? null : [xreg], [xregName], includeMean, method, fixedCoefficients, deferVariance, singleThread);

    /// <summary>
    /// As above with any number of regressor columns <paramref name="xreg"/> (each of length n, named by
    /// <paramref name="xregNames"/>): after the intercept (when fitted) they form R's <c>xreg</c> matrix. With two or more
    /// columns and nothing fixed the matrix is rotated by its right singular vectors (R's <c>xreg %*% svd(xreg)$v</c>) for
    /// the estimation, and the coefficients and their variances are rotated back.
    /// </summary>
    /// <exception cref="ArgumentException">(parameter <c>xreg</c>) A column that vanishes after differencing or is a
    /// combination of the others there: R's least-squares start has an NA coefficient and its fit fails.</exception>
    internal static ArimaFit Fit(ReadOnlySpan<double> x, ArimaOrder order, IReadOnlyList<double[]>? xreg, IReadOnlyList<string>? xregNames,
        bool includeMean, ArimaMethod method, double[]? fixedCoefficients, bool deferVariance, bool singleThread = false)
    {
        var o = order.Period <= 1 ? order with { SeasonalP = 0, SeasonalD = 0, SeasonalQ = 0, Period = 1 } : order;
        // R uses period = frequency(x) even for a non-seasonal model; only the products with P, D, Q matter
        var y = x.ToArray();
        int n = y.Length;
        var delta = o.Delta();
        int narma = o.ArmaCount, nd = o.Differences;
        var columns = new List<double[]>();
        var names = new List<string>();
        if (includeMean && nd == 0)
        {
            var one = new double[n];
            Array.Fill(one, 1.0);
            columns.Add(one);
            names.Add("intercept");
        }
        if (xreg is not null)
        {
            for (int j = 0; j < xreg.Count; j++)
            {
                if (xreg[j].Length != n) throw new ArgumentException("lengths of 'x' and 'xreg' do not match", nameof(xreg));
                columns.Add(xreg[j]);
                names.Add(xregNames is not null && j < xregNames.Count ? xregNames[j] : xreg.Count == 1 ? "xreg" : $"xreg{j + 1}");
            }
        }
        int ncxreg = columns.Count;
        int nused = n - delta.Length;
        int ncond = 0;
        if (method != ArimaMethod.Ml) ncond = o.D + o.SeasonalD * o.Period + o.P + o.Period * o.SeasonalP;
        bool noOptim = fixedCoefficients is not null;
        if (noOptim && fixedCoefficients!.Length != narma + ncxreg) throw new ArgumentException("wrong length for 'fixed'", nameof(fixedCoefficients));
        bool transformPars = !noOptim;
        int npar = narma + ncxreg;
        var init0 = new double[npar];
        var parscale = new double[npar];
        Array.Fill(parscale, 1.0);
        // R: orig.xreg <- (ncxreg == 1) || any(fixed regression coefficient); otherwise xreg <- xreg %*% svd(xreg)$v
        double[][]? rotation = null;
        double[][] design = columns.ToArray();
        if (ncxreg > 1 && !noOptim)
        {
            rotation = RegressionAlgebra.Svd(columns).V;
            design = RegressionAlgebra.Rotate(columns, rotation);
        }
        if (ncxreg > 0)
        {
            var (coef, se) = RegressionStart(y, design, o);
            for (int j = 0; j < ncxreg; j++)
            {
                init0[narma + j] = coef[j];
                parscale[narma + j] = 10 * se[j];
            }
        }
        if (nused <= 0) throw new ArimaFitException("too few non-missing observations");
        var init = (double[])init0.Clone();
        var coefFixed = fixedCoefficients;

        var ctx = new Context(y, o, design, narma, ncond, delta);
        ArimaStateSpace mod;
        double[] coefOut, residuals;
        Func<double[]> varDiag;
        double sigma2, value;
        int convergence;

        if (method == ArimaMethod.Css)
        {
            BfgsResult res = noOptim
                ? new BfgsResult([], ctx.Css(coefFixed!), 0, 0, 0)
                : Bfgs.Minimize(p => ctx.Css(p), init, parscale);
            coefOut = noOptim ? (double[])coefFixed!.Clone() : res.Par;
            var (phi, theta) = Expand(coefOut, o, false);
            mod = new ArimaStateSpace(phi, theta, delta);
            var xa = ctx.Adjusted(coefOut);
            ArimaKalman.Filter(xa, mod, new double[n], new double[ArimaKalman.ScratchLength(mod.Rd)]);
            residuals = new double[n];
            sigma2 = ArimaCss.MeanSquare(xa, o, phi, theta, ncond, new double[n], residuals);
            varDiag = () => [];
            if (!noOptim)
            {
                var at = res.Par;
                varDiag = () => InverseDiagonal(Bfgs.Hessian(p => ctx.Css(p), at, parscale), npar, nused, null, rotation, narma);
            }
            value = res.Value;
            convergence = res.Convergence;
        }
        else
        {
            if (method == ArimaMethod.CssMl)
            {
                if (!noOptim)
                {
                    var res0 = Bfgs.Minimize(p => ctx.Css(p), init, parscale);
                    if (res0.Convergence == 0) init = res0.Par;
                }
                if (o.P > 0 && !ArimaParameters.ArCheck(init.AsSpan(0, o.P))) throw new ArimaFitException("non-stationary AR part from CSS");
                if (o.SeasonalP > 0 && !ArimaParameters.ArCheck(init.AsSpan(o.P + o.Q, o.SeasonalP)))
                    throw new ArimaFitException("non-stationary seasonal AR part from CSS");
            }
            if (transformPars)
            {
                init = ArimaParameters.InvTrans(init, o);
                if (o.Q > 0) ArimaParameters.MaInvert(init.AsSpan(o.P, o.Q)).CopyTo(init, o.P);
                if (o.SeasonalQ > 0) ArimaParameters.MaInvert(init.AsSpan(o.P + o.Q + o.SeasonalP, o.SeasonalQ)).CopyTo(init, o.P + o.Q + o.SeasonalP);
            }
            var template = noOptim ? ctx.Template(coefFixed!, false) : ctx.Template(init, transformPars);
            BfgsResult res;
            Func<double[]>? hessian = null;
            if (noOptim)
            {
                res = new BfgsResult([], ctx.Ml(coefFixed!, template, false), 0, 0, 0);
                coefOut = (double[])coefFixed!.Clone();
            }
            else
            {
                bool trans = transformPars;
                // a second objective instance for the second core when one likelihood costs enough (n rd^2 operations)
                Objective? ml2 = null;
                if (!singleThread && Environment.ProcessorCount > 1 && (long)n * template.Rd * template.Rd >= ParallelWork)
                {
                    var ctx2 = new Context(y, o, design, narma, ncond, delta);
                    var template2 = ctx2.Template(init, transformPars);
                    ml2 = p => ctx2.Ml(p, template2, trans);
                }
                res = Bfgs.Minimize(p => ctx.Ml(p, template, trans), init, parscale, fn2: ml2);
                coefOut = (double[])res.Par.Clone();
                if (transformPars)
                {
                    bool changed = false;
                    if (o.Q > 0) changed |= Replace(coefOut, o.P, ArimaParameters.MaInvert(coefOut.AsSpan(o.P, o.Q)));
                    if (o.SeasonalQ > 0) changed |= Replace(coefOut, o.P + o.Q + o.SeasonalP, ArimaParameters.MaInvert(coefOut.AsSpan(o.P + o.Q + o.SeasonalP, o.SeasonalQ)));
                    if (changed)
                    {
                        // optim(maxit = 0): the value at the flipped coefficients, same convergence code
                        res = res with { Par = (double[])coefOut.Clone(), Value = ctx.Ml(coefOut, template, true) };
                    }
                }
                var at = (double[])coefOut.Clone();
                hessian = () => Bfgs.Hessian(p => ctx.Ml(p, template, trans), at, parscale, fn2: ml2);
            }
            if (transformPars)
            {
                var a = ArimaParameters.GradTrans(coefOut, o);
                varDiag = () => InverseDiagonal(hessian!(), npar, nused, a, rotation, narma);
                coefOut = ArimaParameters.UndoPars(coefOut, o);
            }
            else varDiag = noOptim ? () => [] : () => InverseDiagonal(hessian!(), npar, nused, null, rotation, narma);
            var (phi, theta) = Expand(coefOut, o, false);
            mod = new ArimaStateSpace(phi, theta, delta);
            residuals = new double[n];
            var sums = ArimaKalman.Filter(ctx.Adjusted(coefOut), mod, residuals, new double[ArimaKalman.ScratchLength(mod.Rd)]);
            sigma2 = sums.Ssq / nused;
            value = res.Value;
            convergence = res.Convergence;
        }
        double v = 2 * nused * value + nused + nused * Math.Log(2 * Math.PI);
        double aic = method != ArimaMethod.Css ? v + 2 * (noOptim ? 0 : npar) + 2 : double.NaN;
        if (rotation is not null)
        {
            // R: coef[ind] <- S$v %*% coef[ind] (residuals, sigma2 and the likelihood come from the rotated fit, as in R)
            coefOut = (double[])coefOut.Clone(); // (the optimiser's result stays where a deferred Hessian is taken)
            RegressionAlgebra.Multiply(rotation, coefOut.AsSpan(narma, ncxreg)).CopyTo(coefOut, narma);
        }
        var allNames = ArmaNames(o).Concat(names).ToArray();
        var variance = new Lazy<double[]>(varDiag);
        if (!deferVariance) _ = variance.Value; // R's arima computes var.coef (and fails on a singular Hessian) here
        return new ArimaFit(o, method, coefOut, allNames, sigma2, -0.5 * v, aic, residuals, mod, nused, convergence, variance,
            columns.ToArray(), noOptim);
    }

    // n * rd^2 of a likelihood from which its finite differences are split over two threads
    private const long ParallelWork = 20_000;

    private static bool Replace(double[] coef, int offset, double[] values)
    {
        bool changed = false;
        for (int i = 0; i < values.Length; i++)
        {
            if (coef[offset + i] != values[i]) changed = true;
            coef[offset + i] = values[i];
        }
        return changed;
    }

    private static IEnumerable<string> ArmaNames(ArimaOrder o)
    {
        for (int i = 1; i <= o.P; i++) yield return $"ar{i}";
        for (int i = 1; i <= o.Q; i++) yield return $"ma{i}";
        for (int i = 1; i <= o.SeasonalP; i++) yield return $"sar{i}";
        for (int i = 1; i <= o.SeasonalQ; i++) yield return $"sma{i}";
    }

    internal static (double[] Phi, double[] Theta) Expand(ReadOnlySpan<double> coef, in ArimaOrder o, bool trans)
    {
        var phi = new double[o.ExpandedP];
        var theta = new double[o.ExpandedQ];
        ArimaParameters.TransPars(coef, o, trans, phi, theta);
        return (phi, theta);
    }

    // diag(var.coef): diag(solve(H * n)) or, with transformed parameters, diag(A' solve(H * n) A); with rotated regressors
    // the regression block of that matrix is then rotated back, B var B' with B = diag(I, V) (R: A %*% var %*% t(A))
    private static double[] InverseDiagonal(double[] hessian, int npar, int nused, double[]? gradTrans, double[][]? rotation, int narma)
    {
        var hn = new double[npar * npar];
        for (int i = 0; i < hn.Length; i++) hn[i] = hessian[i] * nused;
        var inv = SmallLinearAlgebra.Inverse(hn, npar);
        if (rotation is null)
        {
            var diag = new double[npar];
            for (int k = 0; k < npar; k++)
            {
                if (gradTrans is null) { diag[k] = inv[k * npar + k]; continue; }
                double s = 0;
                for (int i = 0; i < npar; i++)
                    for (int j = 0; j < npar; j++)
                        s += gradTrans[i + npar * k] * inv[i * npar + j] * gradTrans[j + npar * k];
                diag[k] = s;
            }
            return diag;
        }
        var cov = inv;
        if (gradTrans is not null)
        {
            cov = new double[npar * npar];
            for (int k = 0; k < npar; k++)
                for (int l = 0; l < npar; l++)
                {
                    double s = 0;
                    for (int i = 0; i < npar; i++)
                        for (int j = 0; j < npar; j++)
                            s += gradTrans[i + npar * k] * inv[i * npar + j] * gradTrans[j + npar * l];
                    cov[k * npar + l] = s;
                }
        }
        // B (npar x npar): identity on the ARMA block, V on the regression block
        double B(int r, int c) => r < narma || c < narma ? (r == c ? 1 : 0) : rotation[r - narma][c - narma];
        var result = new double[npar];
        for (int k = 0; k < npar; k++)
        {
            double s = 0;
            for (int i = 0; i < npar; i++)
            {
                double bki = B(k, i);
                if (bki == 0) continue;
                for (int j = 0; j < npar; j++) s += bki * cov[i * npar + j] * B(k, j);
            }
            result[k] = s;
        }
        return result;
    }

    // lm(dx ~ dxreg - 1) on the differenced data (or on the raw data when that has rank 0): coefficients and standard errors
    private static (double[] Coef, double[] Se) RegressionStart(double[] y, double[][] design, in ArimaOrder o)
    {
        var dx = Difference(y, o);
        var dcols = new double[design.Length][];
        for (int j = 0; j < design.Length; j++) dcols[j] = Difference(design[j], o);
        bool allZero = true;
        for (int j = 0; j < design.Length; j++)
        {
            double n0 = 0, n1 = 0;
            foreach (var v in design[j]) n0 += v * v;
            foreach (var v in dcols[j]) n1 += v * v;
            if (n1 > 0) allZero = false;
            if (o.Differences > 0 && dcols[j].Length > 0 && n1 < 1e-14 * n0)
                throw new ArgumentException($"xreg: a regressor (or a combination of them) vanishes after {o.D} difference(s) and {o.SeasonalD} seasonal difference(s), e.g. Fourier terms of the seasonal period with a seasonal difference; R's fit fails there.", "xreg");
        }
        if (design.Length == 1)
        {
            var column = design[0];
            var dz = Difference(column, o);
            if (dx.Length > 1 && TryLeastSquares(dx, dz, out var c, out var se)) return ([c], [se]);
            if (TryLeastSquares(y, column, out c, out se)) return ([c], [se]);
            throw new ArgumentException("xreg: the regressor is all zero (R's lm has no coefficient for it).", "xreg");
        }
        if (dx.Length > design.Length && !allZero)
        {
            if (RegressionAlgebra.TryLeastSquares(dx, dcols, out var c, out var se)) return (c, se);
        }
        else if (RegressionAlgebra.TryLeastSquares(y, design, out var c, out var se)) return (c, se);
        throw new ArgumentException("xreg: the regressors (with the intercept or drift when fitted) are collinear after differencing; R's lm gives an NA coefficient and its fit fails.", "xreg");
    }

    private static bool TryLeastSquares(double[] y, double[] z, out double coef, out double se)
    {
        double szz = 0, szy = 0;
        for (int i = 0; i < y.Length; i++) { szz += z[i] * z[i]; szy += z[i] * y[i]; }
        coef = se = 0;
        if (szz == 0) return false;
        coef = szy / szz;
        double rss = 0;
        for (int i = 0; i < y.Length; i++) { double e = y[i] - coef * z[i]; rss += e * e; }
        se = y.Length > 1 ? Math.Sqrt(rss / (y.Length - 1) / szz) : double.NaN;
        return true;
    }

    internal static double[] Difference(double[] x, in ArimaOrder o)
    {
        var cur = x;
        for (int k = 0; k < o.D; k++) cur = Lagged(cur, 1);
        if (o.Period > 1) for (int k = 0; k < o.SeasonalD; k++) cur = Lagged(cur, o.Period);
        return cur;
    }

    private static double[] Lagged(double[] x, int lag)
    {
        if (x.Length <= lag) return [];
        var r = new double[x.Length - lag];
        for (int i = 0; i < r.Length; i++) r[i] = x[i + lag] - x[i];
        return r;
    }

    // The objectives armaCSS and armafn with their scratch, reused across evaluations (no allocation per call).
    private sealed class Context
    {
        private readonly double[] _y, _adj, _w, _resid, _phi, _theta;
        private readonly double[][] _xreg;
        private readonly ArimaOrder _o;
        private readonly int _narma, _ncond;
        private readonly double[] _delta;
        private double[] _scratch = [];

        public Context(double[] y, ArimaOrder o, double[][] xreg, int narma, int ncond, double[] delta)
        {
            _y = y; _o = o; _xreg = xreg; _narma = narma; _ncond = ncond; _delta = delta;
            _adj = new double[y.Length];
            _w = new double[y.Length];
            _resid = new double[y.Length];
            _phi = new double[o.ExpandedP];
            _theta = new double[o.ExpandedQ];
        }

        public double[] Adjusted(ReadOnlySpan<double> par) => AdjustInto(par).ToArray();

        private double[] AdjustInto(ReadOnlySpan<double> par)
        {
            if (_xreg.Length == 0) return _y;
            if (_xreg.Length == 1)
            {
                double b = par[_narma];
                var z = _xreg[0];
                for (int i = 0; i < _y.Length; i++) _adj[i] = _y[i] - z[i] * b;
                return _adj;
            }
            // x - xreg %*% par[narma + 1:k]: the product summed column by column (reference BLAS), then subtracted
            Array.Clear(_adj);
            for (int j = 0; j < _xreg.Length; j++)
            {
                double b = par[_narma + j];
                var z = _xreg[j];
                for (int i = 0; i < _adj.Length; i++) _adj[i] += b * z[i];
            }
            for (int i = 0; i < _y.Length; i++) _adj[i] = _y[i] - _adj[i];
            return _adj;
        }

        // R: armaCSS
        public double Css(ReadOnlySpan<double> par)
        {
            ArimaParameters.TransPars(par, _o, false, _phi, _theta);
            var x = AdjustInto(par);
            double res = ArimaCss.MeanSquare(x, _o, _phi, _theta, _ncond, _w, _resid);
            return 0.5 * Math.Log(res);
        }

        public ArimaStateSpace Template(ReadOnlySpan<double> par, bool trans)
        {
            var (phi, theta) = Expand(par, _o, trans);
            var mod = new ArimaStateSpace(phi, theta, _delta);
            _scratch = new double[ArimaKalman.ScratchLength(mod.Rd)];
            return mod;
        }

        // R: armafn: upARIMA (fresh prior: Q0 block, a = 0) then ARIMA_Like
        public double Ml(ReadOnlySpan<double> par, ArimaStateSpace mod, bool trans)
        {
            ArimaParameters.TransPars(par, _o, trans, _phi, _theta);
            _phi.CopyTo(mod.Phi, 0);
            Array.Clear(mod.Theta);
            _theta.CopyTo(mod.Theta, 0);
            Array.Clear(mod.A);
            var fresh = mod.Pn;
            ResetPrior(mod);
            try { ArimaStateSpace.SetArmaPrior(fresh, mod.Rd, _phi, _theta); }
            catch (ArgumentException) { return double.MaxValue; }
            var x = AdjustInto(par);
            var s = ArimaKalman.Filter(x, mod, [], _scratch);
            double s2 = s.Ssq / s.Count;
            return 0.5 * (Math.Log(s2) + s.SumLog / s.Count);
        }

        // the prior of makeARIMA outside the ARMA block: kappa on the differences, zero elsewhere
        private void ResetPrior(ArimaStateSpace mod)
        {
            Array.Clear(mod.Pn);
            for (int i = 0; i < _delta.Length; i++) mod.Pn[(mod.R + i) + mod.Rd * (mod.R + i)] = 1e6;
        }
    }
}
