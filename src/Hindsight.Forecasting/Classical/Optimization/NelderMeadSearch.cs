namespace Hindsight.Forecasting.Classical.Optimization;

/// <summary>
/// R's <c>nmmin</c> turned inside out: instead of calling an objective, the search hands out the next point to evaluate
/// (<see cref="Point"/>) and continues when told its value (<see cref="Tell"/>). The points, their order and the result
/// are exactly those of <see cref="NelderMead.Minimize(NelderMead.Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/>
/// with the same arguments, so a caller can advance several independent searches together and evaluate their points in
/// one batch (ETS fits its candidate models that way, one search per SIMD lane).
/// </summary>
internal sealed class NelderMeadSearch
{
    private readonly IEnumerator<double[]> _steps;
    private double _value;

    /// <summary>Starts a search from <paramref name="start"/> (copied); arguments as <see cref="NelderMead.Minimize(NelderMead.Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/>.</summary>
    public NelderMeadSearch(ReadOnlySpan<double> start, int maxit = 500, double abstol = double.NegativeInfinity,
        double reltol = NelderMead.DefaultRelTol, double alpha = 1.0, double beta = 0.5, double gamma = 2.0)
    {
        _steps = Steps(start.ToArray(), maxit, abstol, reltol, alpha, beta, gamma);
        Advance();
    }

    /// <summary>Whether the search has finished (then <see cref="Result"/> or <see cref="Failed"/> holds the outcome).</summary>
    public bool Done { get; private set; }

    /// <summary>The search stopped because the objective was not finite at the start (R: "function cannot be evaluated at
    /// initial parameters"; <see cref="NelderMead.Minimize(NelderMead.Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/> throws).</summary>
    public bool Failed { get; private set; }

    /// <summary>The point whose objective value the search waits for (n values; valid until <see cref="Tell"/>; do not modify).</summary>
    public double[] Point => _steps.Current;

    /// <summary>The outcome, once <see cref="Done"/> and not <see cref="Failed"/>.</summary>
    public NelderMeadResult Result { get; private set; }

    /// <summary>Gives the objective at <see cref="Point"/> and advances to the next point (or the end).</summary>
    public void Tell(double value)
    {
        if (Done) throw new InvalidOperationException("Nelder-Mead: the search has finished.");
        _value = value;
        Advance();
    }

    private void Advance()
    {
        if (!_steps.MoveNext()) Done = true;
    }

    /// <summary>nmmin, each objective call replaced by <c>yield return point</c> and a read of <see cref="_value"/>.</summary>
    private IEnumerator<double[]> Steps(double[] bvec, int maxit, double abstol, double reltol, double alpha, double beta, double gamma)
    {
        int n = bvec.Length;
        yield return bvec;
        double fv = _value;
        if (maxit <= 0)
        {
            Result = new NelderMeadResult(bvec, fv, 0, 0);
            yield break;
        }
        if (!double.IsFinite(fv))
        {
            Failed = true;
            yield break;
        }
        int n1 = n + 1;
        var p = new double[n1 + 1][];
        for (int j = 0; j <= n1; j++) p[j] = new double[n];
        var values = new double[n1 + 1];
        int c = n1;
        int funcount = 1, fail = 0;
        double convtol = reltol * (Math.Abs(fv) + reltol);
        values[0] = fv;
        Array.Copy(bvec, p[0], n);
        int l = 0;
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
        do
        {
            if (calcvert)
            {
                for (int j = 0; j < n1; j++)
                {
                    if (j == l) continue;
                    Array.Copy(p[j], bvec, n);
                    yield return bvec;
                    fv = _value;
                    if (!double.IsFinite(fv)) fv = NelderMead.Big;
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
            NelderMead.Centroid(p, h, n1, centroid);
            for (int i = 0; i < n; i++) bvec[i] = (1.0 + alpha) * centroid[i] - alpha * p[h][i];
            yield return bvec;
            fv = _value;
            if (!double.IsFinite(fv)) fv = NelderMead.Big;
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
                yield return bvec;
                fv = _value;
                if (!double.IsFinite(fv)) fv = NelderMead.Big;
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
                yield return bvec;
                fv = _value;
                if (!double.IsFinite(fv)) fv = NelderMead.Big;
                funcount++;
                if (fv < values[h])
                {
                    Array.Copy(bvec, p[h], n);
                    values[h] = fv;
                }
                else if (vr >= vh)
                {
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
        Result = new NelderMeadResult(best, values[l], funcount, fail);
    }
}
