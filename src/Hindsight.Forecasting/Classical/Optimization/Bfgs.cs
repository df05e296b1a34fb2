namespace Hindsight.Forecasting.Classical.Optimization;

/// <summary>An objective for <see cref="Bfgs"/>: the value at <c>x</c> (in the caller's, unscaled units).</summary>
public delegate double Objective(ReadOnlySpan<double> x);

/// <summary>What <see cref="Bfgs.Minimize"/> found (R: the list <c>optim</c> returns).</summary>
/// <param name="Par">The best parameters, in the caller's units.</param>
/// <param name="Value">The objective at <see cref="Par"/>.</param>
/// <param name="Convergence">0 converged, 1 the iteration limit was reached (R's <c>convergence</c>).</param>
/// <param name="FunctionCount">Objective evaluations of the line search (R's <c>counts[1]</c>).</param>
/// <param name="GradientCount">Gradient evaluations (R's <c>counts[2]</c>).</param>
public sealed record BfgsResult(double[] Par, double Value, int Convergence, int FunctionCount, int GradientCount);

/// <summary>An error R's <c>optim</c> raises (a non-finite start value or finite-difference gradient); the caller's fit fails as R's does.</summary>
public sealed class OptimizationException(string message) : Exception(message);

/// <summary>
/// R's <c>optim(method = "BFGS")</c>: the variable-metric method of Nash (1990) as <c>vmmin</c> in R's
/// <c>src/appl/optim.c</c>, with optim's wrapper around it: the search runs on <c>par / parscale</c>, the gradient is
/// the central difference <c>(f(p + e) - f(p - e)) / 2e</c> with <c>e = ndeps = 1e-3</c> on those scaled parameters
/// (R: <c>fmingr</c>), and the Hessian, when asked, is the central difference of that gradient (R: <c>optimhess</c>).
/// </summary>
public static class Bfgs
{
    /// <summary>R's default <c>reltol</c>: <c>sqrt(.Machine$double.eps)</c>.</summary>
    public static readonly double DefaultRelTol = Math.Sqrt(2.220446049250313e-16);
    private const double StepReduction = 0.2, AcceptTol = 1e-4, RelTest = 10.0; // R: stepredn, acctol, reltest

    /// <summary>Minimises <paramref name="fn"/> from <paramref name="start"/> (R: <c>optim(start, fn, method = "BFGS", control = list(maxit, reltol, parscale))</c>).</summary>
    /// <param name="fn">The objective.</param>
    /// <param name="start">Start values, in the caller's units.</param>
    /// <param name="parscale">Scale of each parameter (null: all 1).</param>
    /// <param name="maxit">Most iterations (R's default 100); 0 only evaluates the start.</param>
    /// <param name="reltol">Relative tolerance on the objective's decrease (R's default sqrt(eps)).</param>
    /// <param name="abstol">Stop once the objective is at most this (R's default -Inf).</param>
    /// <param name="ndeps">Finite-difference step on the scaled parameters (R's default 1e-3).</param>
    /// <param name="fn2">Optional second instance of the same objective, safe to call concurrently with
    /// <paramref name="fn"/>: the gradient's finite differences are then split over two threads (same values, same result).</param>
    /// <exception cref="OptimizationException">The start value or a finite difference is not finite.</exception>
    public static BfgsResult Minimize(Objective fn, ReadOnlySpan<double> start, ReadOnlySpan<double> parscale = default,
        int maxit = 100, double reltol = double.NaN, double abstol = double.NegativeInfinity, double ndeps = 1e-3,
        Objective? fn2 = null)
    {
        ArgumentNullException.ThrowIfNull(fn);
        if (double.IsNaN(reltol)) reltol = DefaultRelTol;
        int n = start.Length;
        var scale = new double[n];
        for (int i = 0; i < n; i++) scale[i] = parscale.IsEmpty ? 1.0 : parscale[i];
        var b = new double[n];
        for (int i = 0; i < n; i++) b[i] = start[i] / scale[i];
        var work = new double[n];
        var scaled = new Scaled(fn, scale, work, ndeps, fn2);

        if (maxit <= 0)
            return new BfgsResult(Unscale(b, scale), scaled.Value(b), 0, 0, 0);

        var g = new double[n];
        var t = new double[n];
        var X = new double[n];
        var c = new double[n];
        var B = new double[n * n]; // lower triangle, B[i * n + j] for j <= i

        double f = scaled.Value(b);
        if (!double.IsFinite(f)) throw new OptimizationException("initial value in 'vmmin' is not finite");
        double fmin = f;
        int funcount = 1, gradcount = 1, iter = 0, count, ilast;
        scaled.Gradient(b, g);
        iter++;
        ilast = gradcount;

        do
        {
            if (ilast == gradcount)
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < i; j++) B[i * n + j] = 0.0;
                    B[i * n + i] = 1.0;
                }
            for (int i = 0; i < n; i++) { X[i] = b[i]; c[i] = g[i]; }
            double gradproj = 0.0;
            for (int i = 0; i < n; i++)
            {
                double s = 0.0;
                for (int j = 0; j <= i; j++) s -= B[i * n + j] * g[j];
                for (int j = i + 1; j < n; j++) s -= B[j * n + i] * g[j];
                t[i] = s;
                gradproj += s * g[i];
            }

            if (gradproj < 0.0)
            {
                // downhill: backtracking line search from a unit step
                double steplength = 1.0;
                bool accpoint = false;
                do
                {
                    count = 0;
                    for (int i = 0; i < n; i++)
                    {
                        b[i] = X[i] + steplength * t[i];
                        if (RelTest + X[i] == RelTest + b[i]) count++; // no change
                    }
                    if (count < n)
                    {
                        f = scaled.Value(b);
                        funcount++;
                        accpoint = double.IsFinite(f) && f <= fmin + gradproj * steplength * AcceptTol;
                        if (!accpoint) steplength *= StepReduction;
                    }
                } while (!(count == n || accpoint));
                bool enough = f > abstol && Math.Abs(f - fmin) > reltol * (Math.Abs(fmin) + reltol);
                if (!enough) { count = n; fmin = f; } // small value or small relative change: stop
                if (count < n)
                {
                    // progress: BFGS update of the inverse Hessian approximation
                    fmin = f;
                    scaled.Gradient(b, g);
                    gradcount++;
                    iter++;
                    double d1 = 0.0;
                    for (int i = 0; i < n; i++)
                    {
                        t[i] = steplength * t[i];
                        c[i] = g[i] - c[i];
                        d1 += t[i] * c[i];
                    }
                    if (d1 > 0)
                    {
                        double d2 = 0.0;
                        for (int i = 0; i < n; i++)
                        {
                            double s = 0.0;
                            for (int j = 0; j <= i; j++) s += B[i * n + j] * c[j];
                            for (int j = i + 1; j < n; j++) s += B[j * n + i] * c[j];
                            X[i] = s;
                            d2 += s * c[i];
                        }
                        d2 = 1.0 + d2 / d1;
                        for (int i = 0; i < n; i++)
                            for (int j = 0; j <= i; j++)
                                B[i * n + j] += (d2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / d1;
                    }
                    else ilast = gradcount; // not positive: reset
                }
                else if (ilast < gradcount) { count = 0; ilast = gradcount; } // no progress: reset once
            }
            else
            {
                // uphill: reset unless just reset
                count = 0;
                if (ilast == gradcount) count = n;
                else ilast = gradcount;
            }
            if (iter >= maxit) break;
            if (gradcount - ilast > 2 * n) ilast = gradcount; // periodic restart
        } while (count != n || ilast != gradcount);

        return new BfgsResult(Unscale(b, scale), fmin, iter < maxit ? 0 : 1, funcount, gradcount);
    }

    /// <summary>
    /// R's <c>optimhess</c>: the Hessian of <paramref name="fn"/> at <paramref name="par"/> by central differences of the
    /// finite-difference gradient, steps <c>ndeps / parscale</c>, symmetrised; row-major n x n.
    /// </summary>
    /// <param name="fn">The objective.</param>
    /// <param name="par">Where (caller's units).</param>
    /// <param name="parscale">Scale of each parameter (null: all 1).</param>
    /// <param name="ndeps">Finite-difference step on the scaled parameters.</param>
    /// <param name="fn2">Optional second instance of the objective for a second thread (see <see cref="Minimize"/>).</param>
    /// <exception cref="OptimizationException">A finite difference is not finite.</exception>
    public static double[] Hessian(Objective fn, ReadOnlySpan<double> par, ReadOnlySpan<double> parscale = default, double ndeps = 1e-3,
        Objective? fn2 = null)
    {
        ArgumentNullException.ThrowIfNull(fn);
        int n = par.Length;
        var scale = new double[n];
        for (int i = 0; i < n; i++) scale[i] = parscale.IsEmpty ? 1.0 : parscale[i];
        var dpar = new double[n];
        for (int i = 0; i < n; i++) dpar[i] = par[i] / scale[i];
        // optimhess's 4 n^2 points, computed exactly as R's loop computes them (dpar[i] += eps, -= 2 eps, += eps); a point
        // met twice (the same bits: (i, j) and (j, i) of parameters with parscale 1) is evaluated once, and the distinct
        // points are evaluated in one batch (split over two threads with fn2): the same values as R's order, fewer evaluations
        var points = new HessianPoints(n);
        var index = new int[n, 2, n, 2]; // row i, its sign, coordinate j, its sign -> point
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / scale[i];
            dpar[i] += eps;
            AddGradientPoints(points, dpar, scale, ndeps, index, i, 0);
            dpar[i] -= 2 * eps;
            AddGradientPoints(points, dpar, scale, ndeps, index, i, 1);
            dpar[i] += eps;
        }
        var values = points.Evaluate(fn, fn2);
        var df1 = new double[n];
        var df2 = new double[n];
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / scale[i];
            GradientFrom(values, index, i, 0, ndeps, df1);
            GradientFrom(values, index, i, 1, ndeps, df2);
            for (int j = 0; j < n; j++)
                h[i * n + j] = (df1[j] - df2[j]) / (2 * eps * scale[i] * scale[j]);
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double tmp = 0.5 * (h[i * n + j] + h[j * n + i]);
                h[i * n + j] = h[j * n + i] = tmp;
            }
        return h;
    }

    // fmingr's points at p: coordinate j moved by +-ndeps (scaled), the others at p * scale
    private static void AddGradientPoints(HessianPoints points, double[] p, double[] scale, double ndeps, int[,,,] index, int row, int sign)
    {
        int n = p.Length;
        var x = new double[n];
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < n; k++) x[k] = p[k] * scale[k];
            x[j] = (p[j] + ndeps) * scale[j];
            index[row, sign, j, 0] = points.Add(x);
            x[j] = (p[j] - ndeps) * scale[j];
            index[row, sign, j, 1] = points.Add(x);
        }
    }

    // fmingr's gradient from the evaluated points, with its error on a non-finite difference
    private static void GradientFrom(double[] values, int[,,,] index, int row, int sign, double ndeps, double[] df)
    {
        for (int j = 0; j < df.Length; j++)
            df[j] = (values[index[row, sign, j, 0]] - values[index[row, sign, j, 1]]) / (2 * ndeps);
        for (int j = 0; j < df.Length; j++)
            if (!double.IsFinite(df[j])) throw new OptimizationException($"non-finite finite-difference value [{j + 1}]");
    }

    private static double[] Unscale(double[] b, double[] scale)
    {
        var par = new double[b.Length];
        for (int i = 0; i < b.Length; i++) par[i] = b[i] * scale[i];
        return par;
    }

    // optim's fminfn / fmingr: the objective and its numerical gradient on the scaled parameters.
    private sealed class Scaled(Objective fn, double[] scale, double[] x, double ndeps, Objective? fn2)
    {
        private double[] _x2 = [];

        public double Value(double[] p)
        {
            for (int i = 0; i < p.Length; i++)
            {
                if (!double.IsFinite(p[i])) throw new OptimizationException("non-finite value supplied by optim");
                x[i] = p[i] * scale[i];
            }
            return fn(x);
        }

        public void Gradient(double[] p, double[] df)
        {
            int n = p.Length;
            if (fn2 is null || n < 2)
            {
                Differences(fn, x, p, df, 0, n);
            }
            else
            {
                // the 2n evaluations split evenly over two threads (an odd n splits one coordinate's pair), each thread
                // with its own objective instance and point; the differences are formed afterwards, as fmingr forms them
                if (_x2.Length != n) _x2 = new double[n];
                if (_values.Length != 2 * n) _values = new double[2 * n];
                int half = n;
                try { Parallel.Invoke(() => Evaluate(fn, x, p, 0, half), () => Evaluate(fn2, _x2, p, half, 2 * n)); }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
                for (int i = 0; i < n; i++) df[i] = (_values[2 * i] - _values[2 * i + 1]) / (2 * ndeps);
            }
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(df[i])) throw new OptimizationException($"non-finite finite-difference value [{i + 1}]");
        }

        private double[] _values = [];

        // evaluations k in [from, to): coordinate k / 2 moved up (k even) or down (k odd)
        private void Evaluate(Objective f, double[] xs, double[] p, int from, int to)
        {
            for (int i = 0; i < p.Length; i++) xs[i] = p[i] * scale[i];
            for (int k = from; k < to; k++)
            {
                int i = k / 2;
                xs[i] = (k % 2 == 0 ? p[i] + ndeps : p[i] - ndeps) * scale[i];
                _values[k] = f(xs);
                xs[i] = p[i] * scale[i];
            }
        }

        private void Differences(Objective f, double[] xs, double[] p, double[] df, int from, int to)
        {
            for (int i = 0; i < p.Length; i++) xs[i] = p[i] * scale[i];
            for (int i = from; i < to; i++)
            {
                xs[i] = (p[i] + ndeps) * scale[i];
                double val1 = f(xs);
                xs[i] = (p[i] - ndeps) * scale[i];
                double val2 = f(xs);
                df[i] = (val1 - val2) / (2 * ndeps);
                xs[i] = p[i] * scale[i];
            }
        }
    }
}
