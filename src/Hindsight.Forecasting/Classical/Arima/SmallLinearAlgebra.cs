namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>The dense solves R's <c>solve()</c> does for <c>arima</c>'s coefficient covariance (LAPACK <c>dgesv</c> + <c>dgecon</c>).</summary>
internal static class SmallLinearAlgebra
{
    /// <summary>
    /// The inverse of the n x n matrix <paramref name="a"/> (row-major) by LU with partial pivoting, or an error as R's
    /// <c>solve</c>: exactly singular, or reciprocal condition number (1-norm; computed exactly here, LAPACK estimates it)
    /// below machine epsilon.
    /// </summary>
    /// <exception cref="ArimaFitException">The matrix is singular as R judges it.</exception>
    public static double[] Inverse(double[] a, int n)
    {
        var lu = (double[])a.Clone();
        var piv = new int[n];
        for (int k = 0; k < n; k++)
        {
            int best = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(lu[i * n + k]) > Math.Abs(lu[best * n + k])) best = i;
            piv[k] = best;
            if (lu[best * n + k] == 0 || double.IsNaN(lu[best * n + k]))
                throw new ArimaFitException("Lapack routine dgesv: system is exactly singular");
            if (best != k)
                for (int j = 0; j < n; j++) (lu[k * n + j], lu[best * n + j]) = (lu[best * n + j], lu[k * n + j]);
            for (int i = k + 1; i < n; i++)
            {
                double f = lu[i * n + k] /= lu[k * n + k];
                for (int j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
            }
        }
        var inv = new double[n * n];
        var col = new double[n];
        for (int c = 0; c < n; c++)
        {
            Array.Clear(col);
            col[c] = 1;
            for (int k = 0; k < n; k++) if (piv[k] != k) (col[k], col[piv[k]]) = (col[piv[k]], col[k]);
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) col[i] -= lu[i * n + j] * col[j];
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = i + 1; j < n; j++) col[i] -= lu[i * n + j] * col[j];
                col[i] /= lu[i * n + i];
            }
            for (int i = 0; i < n; i++) inv[i * n + c] = col[i];
        }
        double rcond = 1 / (OneNorm(a, n) * OneNorm(inv, n));
        if (!(rcond >= 2.220446049250313e-16))
            throw new ArimaFitException($"system is computationally singular: reciprocal condition number = {rcond:G6}");
        return inv;
    }

    private static double OneNorm(double[] m, int n)
    {
        double best = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.Abs(m[i * n + j]);
            if (s > best || double.IsNaN(s)) best = s;
        }
        return best;
    }
}
