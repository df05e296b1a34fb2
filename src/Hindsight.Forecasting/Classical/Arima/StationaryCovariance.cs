namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The stationary covariance Q0 of the ARMA block of the state (the solution of <c>Q0 = T Q0 T' + R R'</c>, the matrix R's
/// <c>getQ0</c> computes by Gardner et al. (1980)) from the ARMA autocovariances in O(r^2 + p^3) operations instead of
/// Gardner's O(r^6): equal to <see cref="GardnerQ0"/> up to rounding (both solve the same linear equations exactly).
/// </summary>
/// <remarks>
/// With the state <c>a_t[i] = sum_{j=0}^{r-1-i} (phi_{i+j} y_{t-1-j} + R_{i+j} e_t-j)</c> (0-based phi, R = (1, theta)), the first
/// row is <c>Q0[0,k] = sum_j phi_{k+j} gamma(j+1) + R_{k+j} psi_j</c> with the autocovariances gamma and the MA(infinity)
/// weights psi, and the rest follows from the Lyapunov equation row by row from the bottom:
/// <c>Q0[i,k] = phi_i phi_k Q0[0,0] + phi_i Q0[0,k+1] + phi_k Q0[i+1,0] + Q0[i+1,k+1] + R_i R_k</c>.
/// </remarks>
internal static class StationaryCovariance
{
    /// <summary>The r x r covariance (column-major, r = max(p, q + 1)), or null when the AR part is (numerically) not
    /// stationary: a singular autocovariance system or a non-positive variance.</summary>
    public static double[]? Compute(ReadOnlySpan<double> phi, ReadOnlySpan<double> theta)
    {
        int p = phi.Length, q = theta.Length;
        int r = Math.Max(p, q + 1);
        // psi_0..psi_r (MA(infinity) weights), R_0..R_{r-1} = (1, theta, 0...)
        Span<double> psi = r + 1 <= 256 ? stackalloc double[r + 1] : new double[r + 1];
        for (int j = 0; j <= r; j++)
        {
            double s = j == 0 ? 1.0 : j <= q ? theta[j - 1] : 0.0;
            for (int k = 1; k <= Math.Min(j, p); k++) s += phi[k - 1] * psi[j - k];
            psi[j] = s;
        }
        // gamma(0..p): gamma(h) - sum_k phi_k gamma(|h - k|) = sum_{j=h}^{q} th_j psi_{j-h} (th_0 = 1)
        var gamma = new double[r + 2];
        int m = p + 1;
        var a = new double[m * m];
        var b = new double[m];
        for (int h = 0; h <= p; h++)
        {
            a[h * m + h] += 1.0;
            for (int k = 1; k <= p; k++) a[h * m + Math.Abs(h - k)] -= phi[k - 1];
            b[h] = Rhs(h, theta, psi);
        }
        if (!Solve(a, b, m)) return null;
        for (int h = 0; h <= p; h++) gamma[h] = b[h];
        for (int h = p + 1; h <= r + 1; h++)
        {
            double s = Rhs(h, theta, psi);
            for (int k = 1; k <= p; k++) s += phi[k - 1] * gamma[h - k];
            gamma[h] = s;
        }
        if (!(gamma[0] > 0) || !double.IsFinite(gamma[0])) return null;

        var P = new double[r * r];
        // first row (= first column)
        for (int k = 0; k < r; k++)
        {
            double s = 0;
            for (int j = 0; j <= r - 1 - k; j++)
            {
                int c = k + j;
                if (c < p) s += phi[c] * gamma[j + 1];
                double rc = c == 0 ? 1.0 : c <= q ? theta[c - 1] : 0.0;
                if (rc != 0) s += rc * psi[j];
            }
            P[k] = s;
            P[k * r] = s;
        }
        double p00 = P[0];
        for (int i = r - 1; i >= 1; i--)
        {
            double phii = i < p ? phi[i] : 0.0, ri = i <= q ? theta[i - 1] : 0.0;
            double pi0 = i + 1 < r ? P[i + 1] : 0.0; // Q0[i+1, 0]
            for (int k = r - 1; k >= i; k--)
            {
                double phik = k < p ? phi[k] : 0.0, rk = k <= q ? theta[k - 1] : 0.0;
                double s = phii * phik * p00 + ri * rk;
                if (k + 1 < r) s += phii * P[k + 1] + P[(i + 1) + r * (k + 1)];
                s += phik * pi0;
                P[i + r * k] = s;
                P[k + r * i] = s;
            }
        }
        return P;
    }

    private static double Rhs(int h, ReadOnlySpan<double> theta, ReadOnlySpan<double> psi)
    {
        int q = theta.Length;
        double s = 0;
        for (int j = h; j <= q; j++) s += (j == 0 ? 1.0 : theta[j - 1]) * psi[j - h];
        return s;
    }

    // Gaussian elimination with partial pivoting; b receives the solution; false when singular
    private static bool Solve(double[] a, double[] b, int n)
    {
        for (int k = 0; k < n; k++)
        {
            int best = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(a[i * n + k]) > Math.Abs(a[best * n + k])) best = i;
            double piv = a[best * n + k];
            if (piv == 0 || !double.IsFinite(piv)) return false;
            if (best != k)
            {
                for (int j = 0; j < n; j++) (a[k * n + j], a[best * n + j]) = (a[best * n + j], a[k * n + j]);
                (b[k], b[best]) = (b[best], b[k]);
            }
            for (int i = k + 1; i < n; i++)
            {
                double f = a[i * n + k] / piv;
                if (f == 0) continue;
                for (int j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
                b[i] -= f * b[k];
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
            b[i] = s / a[i * n + i];
        }
        return true;
    }
}
