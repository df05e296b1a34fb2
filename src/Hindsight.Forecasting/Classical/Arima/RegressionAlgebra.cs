namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The small dense algebra of <c>arima</c>'s regression part: the SVD that rotates several regressors (<c>svd(xreg)$v</c>),
/// least squares with standard errors as <c>summary(lm(y ~ X - 1))</c> gives them, and R's column-by-column products.
/// Matrices are lists of columns (each of length n), as R stores them.
/// </summary>
internal static class RegressionAlgebra
{
    /// <summary>
    /// Singular values (descending) and right singular vectors of the n x k matrix <paramref name="columns"/> by one-sided
    /// Jacobi rotations: <c>V[j][l]</c> is row j, column l of R's <c>svd(X)$v</c> (a column may differ from LAPACK's in sign,
    /// which mirrors the optimisation exactly: the rotated regressor and its coefficient both change sign).
    /// </summary>
    public static (double[] Singular, double[][] V) Svd(IReadOnlyList<double[]> columns)
    {
        int k = columns.Count, n = columns[0].Length;
        var u = columns.Select(c => (double[])c.Clone()).ToArray();
        var v = new double[k][];
        for (int j = 0; j < k; j++) { v[j] = new double[k]; v[j][j] = 1; }
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < k - 1; p++)
                for (int q = p + 1; q < k; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < n; i++) { alpha += u[p][i] * u[p][i]; beta += u[q][i] * u[q][i]; gamma += u[p][i] * u[q][i]; }
                    if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    for (int i = 0; i < n; i++)
                    {
                        double a = u[p][i], b = u[q][i];
                        u[p][i] = c * a - s * b;
                        u[q][i] = s * a + c * b;
                    }
                    for (int j = 0; j < k; j++)
                    {
                        double a = v[j][p], b = v[j][q];
                        v[j][p] = c * a - s * b;
                        v[j][q] = s * a + c * b;
                    }
                }
            if (!rotated) break;
        }
        var sv = new double[k];
        for (int l = 0; l < k; l++)
        {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += u[l][i] * u[l][i];
            sv[l] = Math.Sqrt(ss);
        }
        var order = Enumerable.Range(0, k).OrderByDescending(l => sv[l]).ToArray();
        var sorted = order.Select(l => sv[l]).ToArray();
        var vs = new double[k][];
        for (int j = 0; j < k; j++)
        {
            vs[j] = new double[k];
            for (int l = 0; l < k; l++) vs[j][l] = v[j][order[l]];
        }
        return (sorted, vs);
    }

    /// <summary>R's <c>X %*% V</c> (reference BLAS order: the sum over the inner index from the first term on).</summary>
    public static double[][] Rotate(IReadOnlyList<double[]> columns, double[][] v)
    {
        int k = columns.Count, n = columns[0].Length;
        var result = new double[k][];
        for (int l = 0; l < k; l++)
        {
            var c = new double[n];
            for (int j = 0; j < k; j++)
            {
                double t = v[j][l];
                var x = columns[j];
                for (int i = 0; i < n; i++) c[i] += t * x[i];
            }
            result[l] = c;
        }
        return result;
    }

    /// <summary>R's <c>V %*% b</c>.</summary>
    public static double[] Multiply(double[][] v, ReadOnlySpan<double> b)
    {
        var r = new double[v.Length];
        for (int l = 0; l < b.Length; l++)
            for (int j = 0; j < v.Length; j++) r[j] += b[l] * v[j][l];
        return r;
    }

    /// <summary>
    /// <c>lm(y ~ X - 1)</c>: the least-squares coefficients and their standard errors <c>sqrt(rss / (m - k) * diag((X'X)^-1))</c>
    /// by Householder QR; false when a column is (numerically) a combination of the ones before it, with LINPACK
    /// <c>dqrdc2</c>'s test (the part of the column orthogonal to the earlier ones below 1e-7 of its norm): R's coefficient
    /// would be NA there.
    /// </summary>
    public static bool TryLeastSquares(ReadOnlySpan<double> y, IReadOnlyList<double[]> columns, out double[] coef, out double[] se)
    {
        int k = columns.Count, m = y.Length;
        coef = new double[k];
        se = new double[k];
        var q = columns.Select(c => (double[])c.Clone()).ToArray();
        var z = y.ToArray();
        var r = new double[k * k];
        for (int j = 0; j < k; j++)
        {
            double norm0 = Norm(q[j], 0);
            double norm = Norm(q[j], j);
            if (norm0 == 0 || !(norm >= 1e-7 * norm0)) return false;
            // Householder reflection of rows j.. of column j onto e_j
            double alpha = q[j][j] > 0 ? -norm : norm;
            var h = new double[m];
            for (int i = j; i < m; i++) h[i] = q[j][i];
            h[j] -= alpha;
            double hh = 0;
            for (int i = j; i < m; i++) hh += h[i] * h[i];
            for (int l = j; l < k; l++) Reflect(q[l], h, hh, j);
            Reflect(z, h, hh, j);
            for (int l = j; l < k; l++) r[j * k + l] = q[l][j];
        }
        for (int j = k - 1; j >= 0; j--)
        {
            double s = z[j];
            for (int l = j + 1; l < k; l++) s -= r[j * k + l] * coef[l];
            coef[j] = s / r[j * k + j];
        }
        double rss = 0;
        for (int i = k; i < m; i++) rss += z[i] * z[i];
        double resvar = m > k ? rss / (m - k) : double.NaN;
        // diag((R'R)^-1) = row sums of squares of R^-1
        var rinv = new double[k * k];
        for (int c = 0; c < k; c++)
        {
            for (int j = k - 1; j >= 0; j--)
            {
                double s = j == c ? 1 : 0;
                for (int l = j + 1; l < k; l++) s -= r[j * k + l] * rinv[l * k + c];
                rinv[j * k + c] = s / r[j * k + j];
            }
        }
        for (int j = 0; j < k; j++)
        {
            double s = 0;
            for (int c = 0; c < k; c++) s += rinv[j * k + c] * rinv[j * k + c];
            se[j] = Math.Sqrt(resvar * s);
        }
        return true;
    }

    private static double Norm(double[] x, int from)
    {
        double s = 0;
        for (int i = from; i < x.Length; i++) s += x[i] * x[i];
        return Math.Sqrt(s);
    }

    private static void Reflect(double[] x, double[] h, double hh, int from)
    {
        if (hh == 0) return;
        double d = 0;
        for (int i = from; i < x.Length; i++) d += h[i] * x[i];
        double f = 2 * d / hh;
        for (int i = from; i < x.Length; i++) x[i] -= f * h[i];
    }
}
