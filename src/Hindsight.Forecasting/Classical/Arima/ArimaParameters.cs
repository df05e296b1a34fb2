namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The coefficient transformations of R's <c>arima</c> (<c>src/library/stats/src/arima.c</c>): the map of AR coefficients to
/// stationary ones through the partial autocorrelations (<c>partrans</c>, its inverse <c>invpartrans</c>), the expansion of
/// a seasonal ARMA into full polynomials (<c>ARIMA_transPars</c>), and the MA root flip (<c>maInvert</c> of <c>arima</c>).
/// </summary>
internal static class ArimaParameters
{
    /// <summary>R: <c>partrans</c>: tanh to (-1, 1) as PACF values, then Durbin-Levinson to AR coefficients.</summary>
    public static void Partrans(int p, ReadOnlySpan<double> raw, Span<double> result)
    {
        if (p > 100) throw new ArgumentException("can only transform 100 pars in arima0");
        Span<double> work = stackalloc double[p];
        for (int j = 0; j < p; j++) work[j] = result[j] = Math.Tanh(raw[j]);
        for (int j = 1; j < p; j++)
        {
            double a = result[j];
            for (int k = 0; k < j; k++) work[k] -= a * result[j - k - 1];
            for (int k = 0; k < j; k++) result[k] = work[k];
        }
    }

    /// <summary>R: <c>invpartrans</c>: Durbin-Levinson backwards to the PACF, then atanh.</summary>
    public static void InvPartrans(int p, ReadOnlySpan<double> phi, Span<double> result)
    {
        if (p > 100) throw new ArgumentException("can only transform 100 pars in arima0");
        Span<double> work = stackalloc double[p];
        for (int j = 0; j < p; j++) work[j] = result[j] = phi[j];
        for (int j = p - 1; j > 0; j--)
        {
            double a = result[j];
            for (int k = 0; k < j; k++) work[k] = (result[k] + a * result[j - k - 1]) / (1 - a * a);
            for (int k = 0; k < j; k++) result[k] = work[k];
        }
        for (int j = 0; j < p; j++) result[j] = Math.Atanh(result[j]);
    }

    /// <summary>
    /// R: <c>ARIMA_transPars</c>: the expanded AR polynomial <paramref name="phi"/> (length p + mP) and MA polynomial
    /// <paramref name="theta"/> (length q + mQ) of the coefficients <paramref name="par"/> (transformed first when <paramref name="trans"/>).
    /// </summary>
    public static void TransPars(ReadOnlySpan<double> par, in ArimaOrder o, bool trans, Span<double> phi, Span<double> theta)
    {
        int mp = o.P, mq = o.Q, msp = o.SeasonalP, msq = o.SeasonalQ, ns = o.Period;
        int p = mp + ns * msp, q = mq + ns * msq;
        Span<double> prm = stackalloc double[mp + mq + msp + msq];
        par[..prm.Length].CopyTo(prm);
        if (trans)
        {
            if (mp > 0) Partrans(mp, par, prm);
            int v = mp + mq;
            if (msp > 0) Partrans(msp, par[v..], prm[v..]);
        }
        if (ns > 0)
        {
            for (int i = 0; i < mp; i++) phi[i] = prm[i];
            for (int i = 0; i < mq; i++) theta[i] = prm[i + mp];
            for (int i = mp; i < p; i++) phi[i] = 0.0;
            for (int i = mq; i < q; i++) theta[i] = 0.0;
            for (int j = 0; j < msp; j++)
            {
                phi[(j + 1) * ns - 1] += prm[j + mp + mq];
                for (int i = 0; i < mp; i++) phi[(j + 1) * ns + i] -= prm[i] * prm[j + mp + mq];
            }
            for (int j = 0; j < msq; j++)
            {
                theta[(j + 1) * ns - 1] += prm[j + mp + mq + msp];
                for (int i = 0; i < mq; i++) theta[(j + 1) * ns + i] += prm[i + mp] * prm[j + mp + mq + msp];
            }
        }
        else
        {
            for (int i = 0; i < mp; i++) phi[i] = prm[i];
            for (int i = 0; i < mq; i++) theta[i] = prm[i + mp];
        }
    }

    /// <summary>R: <c>ARIMA_undoPars</c>: the AR blocks of <paramref name="par"/> mapped through <see cref="Partrans"/>, the rest copied.</summary>
    public static double[] UndoPars(ReadOnlySpan<double> par, in ArimaOrder o)
    {
        var res = par.ToArray();
        if (o.P > 0) Partrans(o.P, par, res);
        int v = o.P + o.Q;
        if (o.SeasonalP > 0) Partrans(o.SeasonalP, par[v..], res.AsSpan(v));
        return res;
    }

    /// <summary>R: <c>ARIMA_Invtrans</c>: the AR blocks of <paramref name="par"/> mapped through <see cref="InvPartrans"/>.</summary>
    public static double[] InvTrans(ReadOnlySpan<double> par, in ArimaOrder o)
    {
        var res = par.ToArray();
        if (o.P > 0) InvPartrans(o.P, par, res);
        int v = o.P + o.Q;
        if (o.SeasonalP > 0) InvPartrans(o.SeasonalP, par[v..], res.AsSpan(v));
        return res;
    }

    /// <summary>R: <c>ARIMA_Gradtrans</c>: the Jacobian (n x n, column-major as R) of <see cref="UndoPars"/> by forward differences of 1e-3.</summary>
    public static double[] GradTrans(ReadOnlySpan<double> raw, in ArimaOrder o)
    {
        const double eps = 1e-3;
        int n = raw.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) a[i + i * n] = 1;
        Span<double> w1 = stackalloc double[100], w2 = stackalloc double[100], w3 = stackalloc double[100];
        Block(0, o.P, raw, a, n, w1, w2, w3);
        Block(o.P + o.Q, o.SeasonalP, raw, a, n, w1, w2, w3);
        return a;

        static void Block(int v, int m, ReadOnlySpan<double> raw, double[] a, int n, Span<double> w1, Span<double> w2, Span<double> w3)
        {
            if (m <= 0) return;
            for (int i = 0; i < m; i++) w1[i] = raw[i + v];
            Partrans(m, w1, w2);
            for (int i = 0; i < m; i++)
            {
                w1[i] += eps;
                Partrans(m, w1, w3);
                for (int j = 0; j < m; j++) a[i + v + (j + v) * n] = (w3[j] - w2[j]) / eps;
                w1[i] -= eps;
            }
        }
    }

    /// <summary>R: <c>arCheck</c> of <c>arima</c>: whether every root of <c>1 - ar_1 z - ... - ar_p z^p</c> lies outside the unit circle.</summary>
    public static bool ArCheck(ReadOnlySpan<double> ar)
    {
        int p = 0;
        for (int i = 0; i < ar.Length; i++) if (ar[i] != 0) p = i + 1;
        if (p == 0) return true;
        var coef = new double[p + 1];
        coef[0] = 1;
        for (int i = 0; i < p; i++) coef[i + 1] = -ar[i];
        foreach (var root in PolynomialRoots.Find(coef))
            if (!(root.Magnitude > 1)) return false;
        return true;
    }

    /// <summary>R: <c>maInvert</c> of <c>arima</c>: MA coefficients with every root inside the unit circle replaced by its inverse.</summary>
    public static double[] MaInvert(ReadOnlySpan<double> ma)
    {
        int q = ma.Length, q0 = 0;
        for (int i = 0; i < q; i++) if (ma[i] != 0) q0 = i + 1;
        if (q0 == 0) return ma.ToArray();
        var coef = new double[q0 + 1];
        coef[0] = 1;
        for (int i = 0; i < q0; i++) coef[i + 1] = ma[i];
        var roots = PolynomialRoots.Find(coef);
        bool any = false;
        foreach (var r in roots) if (r.Magnitude < 1) any = true;
        if (!any) return ma.ToArray();
        var result = new double[q];
        if (q0 == 1) { result[0] = 1 / ma[0]; return result; }
        for (int i = 0; i < roots.Length; i++) if (roots[i].Magnitude < 1) roots[i] = 1 / roots[i];
        // x <- 1; for (r in roots) x <- c(x, 0) - c(0, x) / r
        var x = new System.Numerics.Complex[q0 + 1];
        x[0] = 1;
        int len = 1;
        foreach (var r in roots)
        {
            for (int k = len; k >= 1; k--) x[k] -= x[k - 1] / r;
            len++;
        }
        for (int i = 0; i < q0; i++) result[i] = x[i + 1].Real;
        return result;
    }
}
