using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// R's parameter checks: the usual box (<c>forecast:::check.param</c>, and <c>EtsTargetFunction::check_params</c> in the
/// optimiser) and the admissible (forecastable) region of Hyndman et al. (2008) (<c>forecast:::admissible</c>), whose
/// seasonal case needs the roots of the characteristic polynomial inside the unit circle (within 1e-10).
/// </summary>
internal static class EtsBoundsCheck
{
    /// <summary>Whether the parameters pass R's checks; null beta/gamma/phi are absent components. The check flags say
    /// which parameters are tested against the box (R's C++ tests only the optimised ones; R's check.param every non-null one).</summary>
    public static bool Check(double alpha, double? beta, double? gamma, double? phi, IReadOnlyList<double> lower, IReadOnlyList<double> upper,
        EtsBounds bounds, int m, bool checkAlpha = true, bool checkBeta = true, bool checkGamma = true, bool checkPhi = true)
    {
        if (bounds != EtsBounds.Admissible)
        {
            if (checkAlpha && (alpha < lower[0] || alpha > upper[0])) return false;
            if (beta is double b && checkBeta && (b < lower[1] || b > alpha || b > upper[1])) return false;
            if (phi is double p && checkPhi && (p < lower[3] || p > upper[3])) return false;
            if (gamma is double g && checkGamma && (g < lower[2] || g > 1 - alpha || g > upper[2])) return false;
        }
        if (bounds != EtsBounds.Usual && !Admissible(alpha, beta, gamma, phi, m)) return false;
        return true;
    }

    /// <summary>R: <c>forecast:::admissible</c>.</summary>
    public static bool Admissible(double alpha, double? betaOrNull, double? gammaOrNull, double? phiOrNull, int m)
    {
        double phi = phiOrNull ?? 1.0;
        if (phi < 0 || phi > 1 + 1e-8) return false;
        if (gammaOrNull is not double gamma)
        {
            if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
            if (betaOrNull is double b && (b < alpha * (phi - 1) || b > (1 + phi) * (2 - alpha))) return false;
            return true;
        }
        if (m <= 1) return true;
        double beta = betaOrNull ?? 0.0;
        double d = 1 - 1 / phi - alpha;
        if (gamma < (d > 0 ? d : 0) || gamma > 1 + 1 / phi - alpha) return false;
        if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
        if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
        // characteristic polynomial, highest degree first: z^(m+1) + (a+b-phi) z^m + (a+b-a phi) z^(m-1..2) + (a+b-a phi+g-1) z + phi(1-a-g)
        Span<double> coef = stackalloc double[m + 2];
        coef[0] = 1;
        coef[1] = alpha + beta - phi;
        for (int i = 0; i < m - 2; i++) coef[2 + i] = alpha + beta - alpha * phi;
        coef[m] = alpha + beta - alpha * phi + gamma - 1;
        coef[m + 1] = phi * (1 - alpha - gamma);
        return RootsWithin(coef, 1 + 1e-10);
    }

    /// <summary>
    /// Whether every root of the polynomial <paramref name="coef"/> (highest degree first) has modulus below
    /// <paramref name="radius"/> (R: <c>max(abs(polyroot(P))) &lt;= 1 + 1e-10</c>), by the Schur-Cohn recursion on the
    /// polynomial in z / radius: with k = constant / leading coefficient, all roots lie inside the unit circle exactly when
    /// |k| &lt; 1 and the roots of (P(z) - k z^n P(1/z)) / z do. No iteration, O(degree^2), so the optimiser's thousands of
    /// checks stay cheap (R finds the roots with cpolyroot; only a point within rounding of the boundary can differ).
    /// </summary>
    internal static bool RootsWithin(ReadOnlySpan<double> coef, double radius)
    {
        int n = coef.Length - 1;
        // c[i] is the coefficient of w^i of P(radius w); r holds the same coefficients reversed (r[i] = c[deg - i]), so
        // both Q and its reversal come from unit-stride loads: Q_i = c[i+1] - k r[i+1], Q_(deg-1-i) = r[i] - k c[i], the
        // same operations on the same values as the one-array update c[i+1] - k c[deg-1-i] (the bits do not change)
        Span<double> buffers = stackalloc double[4 * (n + 1)];
        var c = buffers[..(n + 1)];
        var r = buffers.Slice(n + 1, n + 1);
        var nc = buffers.Slice(2 * (n + 1), n + 1);
        var nr = buffers.Slice(3 * (n + 1), n + 1);
        double scale = 1;
        for (int i = 0; i <= n; i++)
        {
            c[i] = coef[n - i] * scale;
            scale *= radius;
        }
        for (int i = 0; i <= n; i++) r[i] = c[n - i];
        for (int deg = n; deg >= 1; deg--)
        {
            double lead = c[deg];
            if (lead == 0 || !double.IsFinite(lead)) return false;
            double k = c[0] / lead;
            if (!(Math.Abs(k) < 1)) return false;
            // Q(w) = (P(w) - k P*(w)) / w, P*(w) = w^deg P(1/w)
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var kv = Vector256.Create(k);
                for (; i + Vector256<double>.Count <= deg; i += Vector256<double>.Count)
                {
                    (Vector256.Create<double>(c[(i + 1)..]) - kv * Vector256.Create<double>(r[(i + 1)..])).CopyTo(nc[i..]);
                    (Vector256.Create<double>(r[i..]) - kv * Vector256.Create<double>(c[i..])).CopyTo(nr[i..]);
                }
            }
            for (; i < deg; i++)
            {
                nc[i] = c[i + 1] - k * r[i + 1];
                nr[i] = r[i] - k * c[i];
            }
            var swap = c; c = nc; nc = swap;
            swap = r; r = nr; nr = swap;
        }
        return true;
    }
}
