namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>A seasonal-trend decomposition: <c>x = Seasonal + Trend + Remainder</c>.</summary>
/// <param name="Seasonal">Seasonal component.</param>
/// <param name="Trend">Trend component.</param>
/// <param name="Remainder">What is left.</param>
public sealed record StlDecomposition(double[] Seasonal, double[] Trend, double[] Remainder);

/// <summary>
/// STL of Cleveland et al. (1990) as R's <c>stats::stl</c> (the Fortran <c>stl.f</c>: <c>stlstp</c>, <c>stlss</c>,
/// <c>stless</c>, <c>stlest</c>, <c>stlfts</c>), without robustness iterations, and forecast's <c>mstl</c> for one period.
/// </summary>
public static class Stl
{
    /// <summary>
    /// R: <c>stl(ts(x, frequency = period), s.window = sWindow)</c> with R's defaults: s.degree 0, t.window
    /// <c>nextodd(ceiling(1.5 period / (1 - 1.5 / s.window)))</c>, t.degree 1, l.window <c>nextodd(period)</c>, l.degree 1,
    /// jumps <c>ceiling(window / 10)</c>, 2 inner and 0 outer iterations.
    /// </summary>
    /// <exception cref="ArgumentException">Period below 2 or at most two periods of data (R: "series is not periodic or has less than two periods").</exception>
    public static StlDecomposition Decompose(ReadOnlySpan<double> x, int period, int sWindow)
    {
        int n = x.Length;
        if (period < 2 || n <= 2 * period) throw new ArgumentException("series is not periodic or has less than two periods");
        int tWindow = NextOdd(Math.Ceiling(1.5 * period / (1 - 1.5 / sWindow)));
        int lWindow = NextOdd(period);
        int sDegree = 0, tDegree = 1, lDegree = 1;
        int sJump = (int)Math.Ceiling(sWindow / 10.0), tJump = (int)Math.Ceiling(tWindow / 10.0), lJump = (int)Math.Ceiling(lWindow / 10.0);
        var y = x.ToArray();
        var season = new double[n];
        var trend = new double[n];
        var rw = new double[n];
        // R: stl (Fortran): spans at least 3 and odd, period at least 2
        int ns = Odd3(sWindow), nt = Odd3(tWindow), nl = Odd3(lWindow), np = Math.Max(2, period);
        int wl = n + 2 * np;
        var work = new double[5][];
        for (int i = 0; i < 5; i++) work[i] = new double[wl];
        Step(y, n, np, ns, nt, nl, sDegree, tDegree, lDegree, sJump, tJump, lJump, 2, false, rw, season, trend, work);
        var remainder = new double[n];
        for (int i = 0; i < n; i++) remainder[i] = y[i] - season[i] - trend[i];
        return new StlDecomposition(season, trend, remainder);
    }

    /// <summary>
    /// R: <c>forecast::mstl(ts(x, frequency = period))</c> for one seasonal period: STL with <c>s.window = 11</c> (the
    /// first of mstl's default <c>7 + 4 * seq(6)</c>), one iteration.
    /// </summary>
    public static StlDecomposition Mstl(ReadOnlySpan<double> x, int period) => Decompose(x, period, 7 + 4 * 1);

    private static int NextOdd(double x)
    {
        int r = (int)Math.Round(x, MidpointRounding.ToEven);
        if (r % 2 == 0) r++;
        return r;
    }

    private static int Odd3(int span)
    {
        int s = Math.Max(3, span);
        return s % 2 == 0 ? s + 1 : s;
    }

    // stlstp: the inner loop (ni passes)
    private static void Step(double[] y, int n, int np, int ns, int nt, int nl, int isdeg, int itdeg, int ildeg, int nsjump, int ntjump,
        int nljump, int ni, bool userw, double[] rw, double[] season, double[] trend, double[][] work)
    {
        for (int j = 0; j < ni; j++)
        {
            for (int i = 0; i < n; i++) work[0][i] = y[i] - trend[i];
            SeasonalSmooth(work[0], n, np, ns, isdeg, nsjump, userw, rw, work[1], work[2], work[3], work[4], season);
            LowPass(work[1], n + 2 * np, np, work[2], work[0]);
            Loess(work[2], n, nl, ildeg, nljump, false, work[3], work[0], work[4]);
            for (int i = 0; i < n; i++) season[i] = work[1][np + i] - work[0][i];
            for (int i = 0; i < n; i++) work[0][i] = y[i] - season[i];
            Loess(work[0], n, nt, itdeg, ntjump, userw, rw, trend, work[2]);
        }
    }

    // stless: loess smoothing of y (1-based positions 1..n) into ys, fitted every njump points and interpolated between
    private static void Loess(Span<double> y, int n, int len, int ideg, int njump, bool userw, Span<double> rw, Span<double> ys, Span<double> res)
    {
        if (n < 2) { ys[0] = y[0]; return; }
        int newnj = Math.Min(njump, n - 1);
        int nleft = 0, nright = 0;
        if (len >= n)
        {
            nleft = 1; nright = n;
            for (int i = 1; i <= n; i += newnj)
                if (!Estimate(y, n, len, ideg, i, out ys[i - 1], nleft, nright, res, userw, rw)) ys[i - 1] = y[i - 1];
        }
        else if (newnj == 1)
        {
            int nsh = (len + 1) / 2;
            nleft = 1; nright = len;
            for (int i = 1; i <= n; i++)
            {
                if (i > nsh && nright != n) { nleft++; nright++; }
                if (!Estimate(y, n, len, ideg, i, out ys[i - 1], nleft, nright, res, userw, rw)) ys[i - 1] = y[i - 1];
            }
        }
        else
        {
            int nsh = (len + 1) / 2;
            for (int i = 1; i <= n; i += newnj)
            {
                if (i < nsh) { nleft = 1; nright = len; }
                else if (i >= n - nsh + 1) { nleft = n - len + 1; nright = n; }
                else { nleft = i - nsh + 1; nright = len + i - nsh; }
                if (!Estimate(y, n, len, ideg, i, out ys[i - 1], nleft, nright, res, userw, rw)) ys[i - 1] = y[i - 1];
            }
        }
        if (newnj != 1)
        {
            for (int i = 1; i <= n - newnj; i += newnj)
            {
                double delta = (ys[i + newnj - 1] - ys[i - 1]) / newnj;
                for (int j = i + 1; j <= i + newnj - 1; j++) ys[j - 1] = ys[i - 1] + delta * (j - i);
            }
            int k = (n - 1) / newnj * newnj + 1;
            if (k != n)
            {
                if (!Estimate(y, n, len, ideg, n, out ys[n - 1], nleft, nright, res, userw, rw)) ys[n - 1] = y[n - 1];
                if (k != n - 1)
                {
                    double delta = (ys[n - 1] - ys[k - 1]) / (n - k);
                    for (int j = k + 1; j <= n - 1; j++) ys[j - 1] = ys[k - 1] + delta * (j - k);
                }
            }
        }
    }

    // stlest: the local (degree 0 or 1) tricube-weighted fit at xs over positions nleft..nright
    private static bool Estimate(Span<double> y, int n, int len, int ideg, double xs, out double ys, int nleft, int nright, Span<double> w,
        bool userw, Span<double> rw)
    {
        double range = n - 1.0;
        double h = Math.Max(xs - nleft, nright - xs);
        if (len > n) h += (len - n) / 2; // integer division as the Fortran
        double h9 = 0.999 * h, h1 = 0.001 * h, a = 0.0;
        for (int j = nleft; j <= nright; j++)
        {
            double r = Math.Abs(j - xs);
            if (r <= h9)
            {
                if (r <= h1) w[j - 1] = 1.0;
                else { double u = r / h; u = 1.0 - u * u * u; w[j - 1] = u * u * u; }
                if (userw) w[j - 1] = rw[j - 1] * w[j - 1];
                a += w[j - 1];
            }
            else w[j - 1] = 0.0;
        }
        ys = 0;
        if (a <= 0.0) return false;
        for (int j = nleft; j <= nright; j++) w[j - 1] /= a;
        if (h > 0.0 && ideg > 0)
        {
            a = 0.0;
            for (int j = nleft; j <= nright; j++) a += w[j - 1] * j;
            double b = xs - a, c = 0.0;
            for (int j = nleft; j <= nright; j++) c += w[j - 1] * (j - a) * (j - a);
            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (int j = nleft; j <= nright; j++) w[j - 1] *= b * (j - a) + 1.0;
            }
        }
        double s = 0.0;
        for (int j = nleft; j <= nright; j++) s += w[j - 1] * y[j - 1];
        ys = s;
        return true;
    }

    // stlfts: moving averages of lengths np, np, 3
    private static void LowPass(double[] x, int n, int np, double[] trend, double[] work)
    {
        MovingAverage(x, n, np, trend);
        MovingAverage(trend, n - np + 1, np, work);
        MovingAverage(work, n - 2 * np + 2, 3, trend);
    }

    // stlma
    private static void MovingAverage(double[] x, int n, int len, double[] ave)
    {
        int newn = n - len + 1;
        double flen = len, v = 0.0;
        for (int i = 0; i < len; i++) v += x[i];
        ave[0] = v / flen;
        if (newn > 1)
        {
            int k = len - 1, m = -1;
            for (int j = 1; j < newn; j++)
            {
                k++; m++;
                v = v - x[m] + x[k];
                ave[j] = v / flen;
            }
        }
    }

    // stlss: loess of each cycle-subseries, extended one period at both ends
    private static void SeasonalSmooth(double[] y, int n, int np, int ns, int isdeg, int nsjump, bool userw, double[] rw, double[] season,
        double[] work1, double[] work2, double[] work3, double[] work4)
    {
        for (int j = 1; j <= np; j++)
        {
            int k = (n - j) / np + 1;
            for (int i = 1; i <= k; i++) work1[i - 1] = y[(i - 1) * np + j - 1];
            if (userw) for (int i = 1; i <= k; i++) work3[i - 1] = rw[(i - 1) * np + j - 1];
            Loess(work1, k, ns, isdeg, nsjump, userw, work3, work2.AsSpan(1), work4);
            int nright = Math.Min(ns, k);
            if (!Estimate(work1, k, ns, isdeg, 0, out work2[0], 1, nright, work4, userw, work3)) work2[0] = work2[1];
            int nleft = Math.Max(1, k - ns + 1);
            if (!Estimate(work1, k, ns, isdeg, k + 1, out work2[k + 1], nleft, k, work4, userw, work3)) work2[k + 1] = work2[k];
            for (int m = 1; m <= k + 2; m++) season[(m - 1) * np + j - 1] = work2[m - 1];
        }
    }
}
