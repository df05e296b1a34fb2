namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The stationary covariance of the ARMA state (R: <c>getQ0</c>, algorithm AS 154 of Gardner, Harvey and Phillips (1980)):
/// the linear system <c>vec(P) = vec(T P T') + vec(V)</c> solved by Givens updates row by row (<c>inclu2</c>) and back
/// substitution, or plain back substitution for a pure MA.
/// </summary>
internal static class GardnerQ0
{
    /// <summary>The r x r covariance (column-major), r = max(p, q + 1).</summary>
    public static double[] Compute(ReadOnlySpan<double> phi, ReadOnlySpan<double> theta)
    {
        int p = phi.Length, q = theta.Length;
        int r = Math.Max(p, q + 1);
        int np = r * (r + 1) / 2, nrbar = np * (np - 1) / 2;
        if (r > 350) throw new ArgumentException("maximum supported lag is 350");
        var xnext = new double[np];
        var xrow = new double[np];
        var rbar = new double[nrbar];
        var thetab = new double[np];
        var V = new double[np];
        int ind = 0;
        for (int j = 0; j < r; j++)
        {
            double vj = j == 0 ? 1.0 : j - 1 < q ? theta[j - 1] : 0.0;
            for (int i = j; i < r; i++)
            {
                double vi = i == 0 ? 1.0 : i - 1 < q ? theta[i - 1] : 0.0;
                V[ind++] = vi * vj;
            }
        }
        var P = new double[r * r];
        if (r == 1)
        {
            P[0] = 1.0 / (1.0 - phi[0] * phi[0]);
            return P;
        }
        if (p > 0)
        {
            // s * vec(P0) = vec(v), s generated row by row in xnext; P's order changed for more leading zeros
            int ind1 = -1, npr = np - r, npr1 = npr + 1, indj = npr, ind2 = npr - 1;
            ind = 0;
            for (int j = 0; j < r; j++)
            {
                double phij = j < p ? phi[j] : 0.0;
                xnext[indj++] = 0.0;
                int indi = npr1 + j;
                for (int i = j; i < r; i++)
                {
                    double ynext = V[ind++];
                    double phii = i < p ? phi[i] : 0.0;
                    if (j != r - 1)
                    {
                        xnext[indj] = -phii;
                        if (i != r - 1)
                        {
                            xnext[indi] -= phij;
                            xnext[++ind1] = -1.0;
                        }
                    }
                    xnext[npr] = -phii * phij;
                    if (++ind2 >= np) ind2 = 0;
                    xnext[ind2] += 1.0;
                    Include(np, xnext, xrow, ynext, P, rbar, thetab);
                    xnext[ind2] = 0.0;
                    if (i != r - 1)
                    {
                        xnext[indi++] = 0.0;
                        xnext[ind1] = 0.0;
                    }
                }
            }
            int ithisr = nrbar - 1, im = np - 1;
            for (int i = 0; i < np; i++)
            {
                double bi = thetab[im];
                int jm = np - 1;
                for (int j = 0; j < i; j++) bi -= rbar[ithisr--] * P[jm--];
                P[im--] = bi;
            }
            // re-order P
            ind = npr;
            for (int i = 0; i < r; i++) xnext[i] = P[ind++];
            ind = np - 1;
            ind1 = npr - 1;
            for (int i = 0; i < npr; i++) P[ind--] = P[ind1--];
            for (int i = 0; i < r; i++) P[i] = xnext[i];
        }
        else
        {
            // pure MA: back substitution
            int indn = np;
            ind = np;
            for (int i = 0; i < r; i++)
                for (int j = 0; j <= i; j++)
                {
                    --ind;
                    P[ind] = V[ind];
                    if (j != 0) P[ind] += P[--indn];
                }
        }
        // unpack to a full matrix
        ind = np;
        for (int i = r - 1; i > 0; i--)
            for (int j = r - 1; j >= i; j--)
                P[r * i + j] = P[--ind];
        for (int i = 0; i < r - 1; i++)
            for (int j = i + 1; j < r; j++)
                P[i + r * j] = P[j + r * i];
        return P;
    }

    // R: inclu2 (AS 154): updates d, rbar, thetab by the inclusion of xnext and ynext
    private static void Include(int np, double[] xnext, double[] xrow, double ynext, double[] d, double[] rbar, double[] thetab)
    {
        for (int i = 0; i < np; i++) xrow[i] = xnext[i];
        int ithisr = 0;
        for (int i = 0; i < np; i++)
        {
            if (xrow[i] != 0.0)
            {
                double xi = xrow[i], di = d[i], dpi = di + xi * xi;
                d[i] = dpi;
                double cbar = di / dpi, sbar = xi / dpi;
                int len = np - i - 1;
                ExactVectorOps.Rotate(xrow.AsSpan(i + 1, len), rbar.AsSpan(ithisr, len), xi, cbar, sbar);
                ithisr += len;
                double xk2 = ynext;
                ynext = xk2 - xi * thetab[i];
                thetab[i] = cbar * thetab[i] + sbar * xk2;
                if (di == 0.0) return;
            }
            else ithisr = ithisr + np - i - 1;
        }
    }
}
