namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// Forecast means and variances as R's <c>forecast.ets</c>: the analytic formulas of Hyndman et al. (2008) for class 1
/// (additive errors, forecast:::class1), class 2 (multiplicative errors, additive components, forecast:::class2) and
/// class 3 (multiplicative error and season, forecast:::class3); otherwise (multiplicative trends) 5000 simulated paths
/// (forecast:::pegelsfcast.C) with type-8 quantiles. Intervals are mean +- |z| sqrt(var).
/// </summary>
internal static class EtsIntervals
{
    public static EtsForecast Compute(EtsModel model, double[] state, int h, IReadOnlyList<double> levelsIn, ulong seed, int paths)
    {
        var levels = levelsIn.Select(l => l > 0 && l < 1 ? 100 * l : l).Order().ToArray();
        foreach (var l in levels)
            if (l < 0 || l > 99.99) throw new ArgumentException($"ets: confidence level {l} out of range.");
        var spec = model.Spec;
        double[] mu, var;
        if (spec.Trend != EtsForm.Multiplicative && spec.Season != EtsForm.Multiplicative)
        {
            (mu, var, var cj) = Class1(model, state, h);
            if (spec.Error == EtsForm.Multiplicative) var = Class2(mu, cj, model.Sigma2);
        }
        else if (spec.Error == EtsForm.Multiplicative && spec.Season == EtsForm.Multiplicative && spec.Trend != EtsForm.Multiplicative)
            (mu, var) = Class3(model, state, h);
        else
            return Simulate(model, state, h, levels, seed, paths);
        var lower = new double[levels.Length][];
        var upper = new double[levels.Length][];
        for (int i = 0; i < levels.Length; i++)
        {
            double z = Math.Abs(Hindsight.Forecasting.Classical.Statistics.NormalDistribution.Quantile((100 - levels[i]) / 200));
            lower[i] = new double[h];
            upper[i] = new double[h];
            for (int t = 0; t < h; t++)
            {
                double margin = Math.Sqrt(var[t]) * z;
                lower[i][t] = mu[t] - margin;
                upper[i][t] = mu[t] + margin;
            }
        }
        return new EtsForecast(mu, levels, lower, upper, false);
    }

    /// <summary>R: forecast:::class1 (H, F, G of the linear state-space form; mu_j = H F^(j-1) x, c_j = H F^(j-1) G).</summary>
    private static (double[] Mu, double[] Var, double[] Cj) Class1(EtsModel model, double[] x, int h)
    {
        var spec = model.Spec;
        int p = x.Length, m = model.Period;
        double phi = spec.Damped ? model.PhiOrOne : 1.0;
        var hrow = new double[p];
        hrow[0] = 1;
        if (spec.Season == EtsForm.Additive) hrow[p - 1] = 1;
        if (spec.Trend == EtsForm.Additive) hrow[1] = phi;
        var f = new double[p, p];
        f[0, 0] = 1;
        if (spec.Trend == EtsForm.Additive) f[0, 1] = f[1, 1] = phi;
        if (spec.Season == EtsForm.Additive)
        {
            f[p - m, p - 1] = 1;
            for (int i = 0; i < m - 1; i++) f[p - m + 1 + i, p - m + i] = 1;
        }
        var g = new double[p];
        g[0] = model.Alpha;
        if (spec.Trend == EtsForm.Additive) g[1] = model.Beta ?? 0;
        if (spec.Season == EtsForm.Additive) g[2] = model.Gamma ?? 0; // R sets G[3, 1] whatever the trend
        var mu = new double[h];
        var cj = new double[Math.Max(h - 1, 0)];
        var r = (double[])hrow.Clone();
        var next = new double[p];
        for (int i = 0; i < h; i++)
        {
            double dm = 0, dc = 0;
            for (int k = 0; k < p; k++) { dm += r[k] * x[k]; dc += r[k] * g[k]; }
            mu[i] = dm;
            if (i < h - 1) cj[i] = dc;
            Array.Clear(next);
            for (int k = 0; k < p; k++)
            {
                if (r[k] == 0) continue;
                for (int c = 0; c < p; c++) next[c] += r[k] * f[k, c];
            }
            (r, next) = (next, r);
        }
        var var = new double[h];
        double s2 = model.Sigma2, cum = 0;
        var[0] = s2;
        for (int i = 1; i < h; i++) { cum += cj[i - 1] * cj[i - 1]; var[i] = s2 * (1 + cum); }
        return (mu, var, cj);
    }

    /// <summary>R: forecast:::class2 (theta recursion for multiplicative errors).</summary>
    private static double[] Class2(double[] mu, double[] cj, double sigma2)
    {
        int h = mu.Length;
        var theta = new double[h];
        theta[0] = mu[0] * mu[0];
        for (int j = 1; j < h; j++)
        {
            double s = 0;
            for (int i = 0; i < j; i++) s += cj[i] * cj[i] * theta[j - 1 - i];
            theta[j] = mu[j] * mu[j] + sigma2 * s;
        }
        var var = new double[h];
        for (int j = 0; j < h; j++) var[j] = (1 + sigma2) * theta[j] - mu[j] * mu[j];
        return var;
    }

    /// <summary>R: forecast:::class3 (multiplicative error and season: Kronecker-product moment recursion).</summary>
    private static (double[] Mu, double[] Var) Class3(EtsModel model, double[] x, int h)
    {
        var spec = model.Spec;
        int p = x.Length, m = model.Period, k = p - m;
        double s2 = model.Sigma2, alpha = model.Alpha, beta = model.Beta ?? 0, gamma = model.Gamma ?? 0;
        double[,] f1, g1;
        if (spec.Trend == EtsForm.None) { f1 = new double[,] { { 1 } }; g1 = new double[,] { { alpha } }; }
        else
        {
            f1 = new double[,] { { 1, 1 }, { 0, spec.Damped ? model.PhiOrOne : 1 } };
            g1 = new double[,] { { alpha, alpha }, { beta, beta } };
        }
        var f2 = new double[m, m];
        f2[0, m - 1] = 1;
        for (int i = 1; i < m; i++) f2[i, i - 1] = 1;
        var g2 = new double[m, m];
        g2[0, m - 1] = gamma;
        var mh = new double[k, m];
        for (int i = 0; i < k; i++) for (int j = 0; j < m; j++) mh[i, j] = x[i] * x[k + j];
        int km = k * m;
        var vh = new double[km, km];
        var h21 = new double[km]; // H2 %x% H1: ones on the last block
        for (int i = 0; i < k; i++) h21[(m - 1) * k + i] = 1;
        var f21 = Kron(f2, f1);
        var g21 = Kron(g2, g1);
        var kk = Add(Kron(g2, f1), Kron(f2, g1));
        var f21t = T(f21);
        var g21t = T(g21);
        var kkt = T(kk);
        var f1t = f1; // used as F1 %*% Mh
        var f2t = T(f2);
        var g2t = T(g2);
        var mu = new double[h];
        var var = new double[h];
        for (int i = 0; i < h; i++)
        {
            double mui = 0;
            for (int r = 0; r < k; r++) mui += mh[r, m - 1];
            mu[i] = mui;
            double q = 0;
            for (int a = 0; a < km; a++) for (int b = 0; b < km; b++) q += h21[a] * vh[a, b] * h21[b];
            var[i] = (1 + s2) * q + s2 * mui * mui;
            var vec = new double[km];
            for (int c = 0; c < m; c++) for (int r = 0; r < k; r++) vec[c * k + r] = mh[r, c];
            var vv = new double[km, km];
            for (int a = 0; a < km; a++) for (int b = 0; b < km; b++) vv[a, b] = vec[a] * vec[b];
            var t1 = Mul(Mul(f21, vh), f21t);
            var inner = Add(Mul(Mul(f21, vh), g21t), Mul(Mul(g21, vh), f21t));
            inner = Add(inner, Mul(Mul(kk, Add(vh, vv)), kkt));
            var three = new double[km, km];
            for (int a = 0; a < km; a++) for (int b = 0; b < km; b++) three[a, b] = 3 * vh[a, b] + 2 * vv[a, b];
            inner = Add(inner, Scale(Mul(Mul(g21, three), g21t), s2));
            vh = Add(t1, Scale(inner, s2));
            mh = Add(Mul(Mul(f1t, mh), f2t), Scale(Mul(Mul(g1, mh), g2t), s2));
        }
        return (mu, var);
    }

    private static double[,] Kron(double[,] a, double[,] b)
    {
        int ar = a.GetLength(0), ac = a.GetLength(1), br = b.GetLength(0), bc = b.GetLength(1);
        var r = new double[ar * br, ac * bc];
        for (int i = 0; i < ar; i++) for (int j = 0; j < ac; j++)
        {
            double v = a[i, j];
            if (v == 0) continue;
            for (int k = 0; k < br; k++) for (int l = 0; l < bc; l++) r[i * br + k, j * bc + l] = v * b[k, l];
        }
        return r;
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int l = 0; l < k; l++)
            {
                double v = a[i, l];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) r[i, j] += v * b[l, j];
            }
        return r;
    }

    private static double[,] T(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var r = new double[m, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[j, i] = a[i, j];
        return r;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var r = (double[,])a.Clone();
        int n = a.GetLength(0), m = a.GetLength(1);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i, j] += b[i, j];
        return r;
    }

    private static double[,] Scale(double[,] a, double s)
    {
        var r = (double[,])a.Clone();
        int n = a.GetLength(0), m = a.GetLength(1);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i, j] *= s;
        return r;
    }

    /// <summary>R: forecast:::pegelsfcast.C: the mean from the recursion, bounds from the type-8 quantiles of simulated
    /// paths (normal errors with variance sigma2, truncated at -1 for multiplicative errors) seeded by <paramref name="seed"/>.</summary>
    private static EtsForecast Simulate(EtsModel model, double[] state, int h, double[] levels, ulong seed, int paths)
    {
        var spec = model.Spec;
        var mean = EtsRecursion.Forecast(state, spec, model.Period, model.PhiOrOne, h);
        if (Math.Abs(mean[0] - EtsRecursion.NaMarker) < 1e-7) throw new ArgumentException("ets: problem with multiplicative damped trend.");
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double sd = Math.Sqrt(model.Sigma2);
        var sims = new double[h][];
        for (int t = 0; t < h; t++) sims[t] = new double[paths];
        var one = new double[1];
        int m = spec.Season == EtsForm.None ? 1 : model.Period;
        int trend = (int)spec.Trend, season = (int)spec.Season;
        var rec = new EtsRecursion(1, model.Period, 1);
        var st = new double[state.Length];
        var next = new double[state.Length];
        for (int pth = 0; pth < paths; pth++)
        {
            state.CopyTo(st, 0);
            for (int t = 0; t < h; t++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double e = sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                if (spec.Error == EtsForm.Multiplicative) e = Math.Max(-1, e);
                var s = season > 0 ? st.AsSpan(trend > 0 ? 2 : 1, m) : [0.0];
                EtsRecursion.Forecast(st[0], trend > 0 ? st[1] : 0, s, m, trend, season, model.PhiOrOne, one);
                double y = spec.Error == EtsForm.Additive ? one[0] + e : one[0] * (1 + e);
                sims[t][pth] = y;
                rec.Run([y], st, spec, model.Alpha, model.Beta ?? 0, model.Gamma ?? 0, model.PhiOrOne, false, next);
                (st, next) = (next, st);
            }
        }
        var lower = new double[levels.Length][];
        var upper = new double[levels.Length][];
        for (int i = 0; i < levels.Length; i++) { lower[i] = new double[h]; upper[i] = new double[h]; }
        for (int t = 0; t < h; t++)
        {
            var v = sims[t].Where(double.IsFinite).Order().ToArray();
            for (int i = 0; i < levels.Length; i++)
            {
                lower[i][t] = Quantile8(v, 0.5 - levels[i] / 200);
                upper[i][t] = Quantile8(v, 0.5 + levels[i] / 200);
            }
        }
        return new EtsForecast(mean, levels, lower, upper, true);
    }

    /// <summary>R's <c>quantile(type = 8)</c> of sorted values (median-unbiased).</summary>
    internal static double Quantile8(double[] sorted, double p)
    {
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        double nppm = 1.0 / 3 + p * (n + 1.0 / 3);
        int j = (int)Math.Floor(nppm + 4 * 2.220446049250313e-16);
        double g = nppm - j;
        if (Math.Abs(g) < 4 * 2.220446049250313e-16) g = 0;
        double lo = sorted[Math.Clamp(j - 1, 0, n - 1)], hi = sorted[Math.Clamp(j, 0, n - 1)];
        return (1 - g) * lo + g * hi;
    }
}
