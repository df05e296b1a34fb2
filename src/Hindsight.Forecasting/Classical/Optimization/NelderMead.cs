using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Optimization;

/// <summary>The outcome of <see cref="NelderMead"/> minimisation.</summary>
/// <param name="Parameters">The best vertex found.</param>
/// <param name="Value">The objective at <paramref name="Parameters"/>.</param>
/// <param name="Evaluations">Objective evaluations used (R's <c>fncount</c>).</param>
/// <param name="Fail">R's <c>fail</c> code: 0 converged, 1 evaluation limit reached, 10 the simplex stopped shrinking.</param>
public readonly record struct NelderMeadResult(double[] Parameters, double Value, int Evaluations, int Fail);

/// <summary>
/// Nelder-Mead simplex minimiser with the semantics of R's <c>nmmin</c> (src/appl/optim.c, Nash's
/// "Compact Numerical Methods" as re-crafted by B.D. Ripley), which <c>optim(method = "Nelder-Mead")</c> and forecast's
/// <c>etsNelderMead</c> call: the same initial simplex, order of operations and stopping rule, so the same optimum is
/// reached as in R (up to the last bits of floating point).
/// </summary>
/// <remarks>
/// Initial simplex: the start plus, per coordinate i, the start with <c>step = max(0.1 |par_j|)</c> (0.1 when all are 0)
/// added to coordinate i (multiplied by 10 until the coordinate actually changes). Each iteration finds the lowest (L) and
/// highest (H) vertex, stops when <c>f_H &lt;= f_L + reltol (|f_start| + reltol)</c> or <c>f_L &lt;= abstol</c>, then
/// reflects H through the centroid of the others (coefficient <c>alpha</c>), tries an expansion (<c>gamma</c>) when the
/// reflection beats L, otherwise a contraction (<c>beta</c>) and, if that fails too, shrinks towards L. A non-finite objective
/// counts as 1e35 (R's <c>big</c>). Stops after more than <c>maxit</c> evaluations.
/// </remarks>
public static class NelderMead
{
    /// <summary>A function to minimise; the span is only valid during the call.</summary>
    public delegate double Objective(ReadOnlySpan<double> x);

    /// <summary>The objective at up to <see cref="BatchSize"/> points at once: <paramref name="points"/> holds
    /// <c>values.Length</c> consecutive points; each value must equal what the single-point objective returns there.</summary>
    public delegate void BatchObjective(ReadOnlySpan<double> points, Span<double> values);

    /// <summary>Most points a <see cref="BatchObjective"/> receives at once.</summary>
    public const int BatchSize = 4;

    /// <summary>The error when the objective is not finite at the start (R: "function cannot be evaluated at initial parameters").</summary>
    public const string StartNotFiniteMessage = "Nelder-Mead: the function cannot be evaluated at the initial parameters.";

    /// <summary>R's <c>big</c>: the value a non-finite objective is replaced with.</summary>
    public const double Big = 1.0e35;
    /// <summary>R's default relative tolerance <c>sqrt(.Machine$double.eps)</c>.</summary>
    public const double DefaultRelTol = 1.4901161193847656e-08;

    /// <summary>Minimises <paramref name="f"/> from <paramref name="start"/> as R's <c>nmmin</c>.</summary>
    /// <param name="f">Objective; receives a span it must not keep.</param>
    /// <param name="start">Starting point (not modified).</param>
    /// <param name="maxit">Most evaluations (R's <c>maxit</c>: optim's default 500, ets passes 2000).</param>
    /// <param name="abstol">Absolute stop level (R: <c>-Inf</c>).</param>
    /// <param name="reltol">Relative tolerance (R: <c>sqrt(eps)</c>).</param>
    /// <param name="alpha">Reflection coefficient (1).</param>
    /// <param name="beta">Contraction coefficient (0.5).</param>
    /// <param name="gamma">Expansion coefficient (2).</param>
    /// <exception cref="ArgumentException">The objective is not finite at the start (R: "function cannot be evaluated at initial parameters").</exception>
    public static NelderMeadResult Minimize(Objective f, ReadOnlySpan<double> start, int maxit = 500,
        double abstol = double.NegativeInfinity, double reltol = DefaultRelTol, double alpha = 1.0, double beta = 0.5, double gamma = 2.0) =>
        Minimize(f, null, start, maxit, abstol, reltol, alpha, beta, gamma);

    /// <summary>
    /// As <see cref="Minimize(Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/>, with
    /// <paramref name="batch"/> (when not null) evaluating the initial simplex in groups and, each iteration, the
    /// reflection together with every point R's <c>nmmin</c> may try next (expansion, and the contraction from the old or
    /// the reflected worst vertex), of which only the ones nmmin evaluates are used and counted: the same path and result,
    /// faster when a batch costs less than two single evaluations.
    /// </summary>
    public static NelderMeadResult Minimize(Objective f, BatchObjective? batch, ReadOnlySpan<double> start, int maxit = 500,
        double abstol = double.NegativeInfinity, double reltol = DefaultRelTol, double alpha = 1.0, double beta = 0.5, double gamma = 2.0)
    {
        ArgumentNullException.ThrowIfNull(f);
        int n = start.Length;
        var bvec = start.ToArray();
        if (maxit <= 0) return new NelderMeadResult(bvec, f(bvec), 0, 0);
        double fv = f(bvec);
        if (!double.IsFinite(fv)) throw new ArgumentException(StartNotFiniteMessage);
        int n1 = n + 1;
        // p[j] is vertex j (column j of R's P); values[j] is its objective (row n1-1 of P); the centroid is column C.
        var p = new double[n1 + 1][];
        for (int j = 0; j <= n1; j++) p[j] = new double[n];
        var values = new double[n1 + 1];
        int c = n1; // R's C - 1
        int funcount = 1, fail = 0;
        double convtol = reltol * (Math.Abs(fv) + reltol);
        values[0] = fv;
        Array.Copy(bvec, p[0], n);
        int l = 0; // R's L - 1
        double size = 0.0, step = 0.0;
        for (int i = 0; i < n; i++)
            if (0.1 * Math.Abs(bvec[i]) > step) step = 0.1 * Math.Abs(bvec[i]);
        if (step == 0.0) step = 0.1;
        for (int j = 1; j < n1; j++)
        {
            Array.Copy(bvec, p[j], n);
            double trystep = step;
            while (p[j][j - 1] == bvec[j - 1])
            {
                p[j][j - 1] = bvec[j - 1] + trystep;
                trystep *= 10;
            }
            size += trystep;
        }
        double oldsize = size;
        bool calcvert = true;
        // batch buffers: up to four points and their values; during an iteration the points are the reflection,
        // expansion, contraction of the reflected and contraction of the old worst vertex
        var pts = batch is null ? [] : new double[BatchSize * n];
        var vals = new double[BatchSize];
        var slot = new int[BatchSize];
        do
        {
            if (calcvert && batch is not null)
            {
                int j0 = 0;
                while (j0 < n1)
                {
                    int k = 0;
                    for (int j = j0; j < n1 && k < BatchSize; j++)
                    {
                        j0 = j + 1;
                        if (j == l) continue;
                        Array.Copy(p[j], 0, pts, k * n, n);
                        slot[k++] = j;
                    }
                    if (k == 0) break;
                    batch(pts.AsSpan(0, k * n), vals.AsSpan(0, k));
                    for (int q = 0; q < k; q++)
                    {
                        fv = vals[q];
                        if (!double.IsFinite(fv)) fv = Big;
                        funcount++;
                        values[slot[q]] = fv;
                    }
                }
                calcvert = false;
            }
            if (calcvert)
            {
                for (int j = 0; j < n1; j++)
                {
                    if (j == l) continue;
                    Array.Copy(p[j], bvec, n);
                    fv = f(bvec);
                    if (!double.IsFinite(fv)) fv = Big;
                    funcount++;
                    values[j] = fv;
                }
                calcvert = false;
            }
            double vl = values[l], vh = vl;
            int h = l;
            for (int j = 0; j < n1; j++)
            {
                if (j == l) continue;
                double v = values[j];
                if (v < vl) { l = j; vl = v; }
                if (v > vh) { h = j; vh = v; }
            }
            if (vh <= vl + convtol || vl <= abstol) break;

            var centroid = p[c];
            Centroid(p, h, n1, centroid);
            for (int i = 0; i < n; i++) bvec[i] = (1.0 + alpha) * centroid[i] - alpha * p[h][i];
            bool speculated = batch is not null;
            if (speculated)
            {
                for (int i = 0; i < n; i++)
                {
                    pts[i] = bvec[i];
                    pts[n + i] = gamma * bvec[i] + (1 - gamma) * centroid[i];
                    pts[2 * n + i] = (1 - beta) * bvec[i] + beta * centroid[i];
                    pts[3 * n + i] = (1 - beta) * p[h][i] + beta * centroid[i];
                }
                batch!(pts, vals);
                fv = vals[0];
            }
            else fv = f(bvec);
            if (!double.IsFinite(fv)) fv = Big;
            funcount++;
            double vr = fv;
            if (vr < vl)
            {
                values[c] = fv;
                for (int i = 0; i < n; i++)
                {
                    double e = gamma * bvec[i] + (1 - gamma) * centroid[i];
                    centroid[i] = bvec[i];
                    bvec[i] = e;
                }
                fv = speculated ? vals[1] : f(bvec);
                if (!double.IsFinite(fv)) fv = Big;
                funcount++;
                if (fv < vr)
                {
                    Array.Copy(bvec, p[h], n);
                    values[h] = fv;
                }
                else
                {
                    Array.Copy(centroid, p[h], n);
                    values[h] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    Array.Copy(bvec, p[h], n);
                    values[h] = vr;
                }
                for (int i = 0; i < n; i++) bvec[i] = (1 - beta) * p[h][i] + beta * centroid[i];
                fv = !speculated ? f(bvec) : vr < vh ? vals[2] : vals[3];
                if (!double.IsFinite(fv)) fv = Big;
                funcount++;
                if (fv < values[h])
                {
                    Array.Copy(bvec, p[h], n);
                    values[h] = fv;
                }
                else if (vr >= vh)
                {
                    // shrink towards the lowest vertex
                    calcvert = true;
                    size = 0.0;
                    for (int j = 0; j < n1; j++)
                    {
                        if (j == l) continue;
                        for (int i = 0; i < n; i++)
                        {
                            p[j][i] = beta * (p[j][i] - p[l][i]) + p[l][i];
                            size += Math.Abs(p[j][i] - p[l][i]);
                        }
                    }
                    if (size < oldsize) oldsize = size;
                    else { fail = 10; break; }
                }
            }
        } while (funcount <= maxit);

        var best = new double[n];
        Array.Copy(p[l], best, n);
        if (funcount > maxit) fail = 1;
        return new NelderMeadResult(best, values[l], funcount, fail);
    }

    /// <summary>
    /// nmmin's centroid of the vertices other than <paramref name="h"/>: per coordinate i, <c>(-p[h][i] + p[0][i] + ...
    /// + p[n1-1][i]) / n</c>, summed in that order. Four coordinates at a time in the lanes of a <see cref="Vector256{T}"/>
    /// (each lane adds the same values in the same order, so the bits are those of the scalar loop, which does the rest).
    /// </summary>
    internal static void Centroid(double[][] p, int h, int n1, double[] centroid)
    {
        int n = centroid.Length, i = 0;
        double dn = n;
        if (Vector256.IsHardwareAccelerated)
        {
            var divisor = Vector256.Create(dn);
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var temp = -Vector256.Create<double>(p[h].AsSpan(i));
                for (int j = 0; j < n1; j++) temp += Vector256.Create<double>(p[j].AsSpan(i));
                (temp / divisor).CopyTo(centroid.AsSpan(i));
            }
        }
        for (; i < n; i++)
        {
            double temp = -p[h][i];
            for (int j = 0; j < n1; j++) temp += p[j][i];
            centroid[i] = temp / dn;
        }
    }
}
