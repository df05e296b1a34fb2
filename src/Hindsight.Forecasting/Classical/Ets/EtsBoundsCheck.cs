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
        EtsBounds bounds, int m, bool checkAlpha = true, bool checkBeta = true, bool checkGamma = true, bool checkPhi = true) =>
        Check(alpha, beta, gamma, phi, lower, upper, bounds, m, checkAlpha, checkBeta, checkGamma, checkPhi, default, out _);

    /// <summary>As <see cref="Check(double, double?, double?, double?, IReadOnlyList{double}, IReadOnlyList{double}, EtsBounds, int, bool, bool, bool, bool)"/>;
    /// when <paramref name="deferredRoots"/> (m + 2 values) is not empty, the last test, the characteristic polynomial's
    /// roots, is left to the caller: <paramref name="rootsNeeded"/> says whether it is due and <paramref name="deferredRoots"/>
    /// then holds the polynomial (for <see cref="RootsWithin"/> or <see cref="RootsWithinLanes"/> with radius 1 + 1e-10).</summary>
    public static bool Check(double alpha, double? beta, double? gamma, double? phi, IReadOnlyList<double> lower, IReadOnlyList<double> upper,
        EtsBounds bounds, int m, bool checkAlpha, bool checkBeta, bool checkGamma, bool checkPhi, Span<double> deferredRoots, out bool rootsNeeded)
    {
        rootsNeeded = false;
        if (bounds != EtsBounds.Admissible)
        {
            if (checkAlpha && (alpha < lower[0] || alpha > upper[0])) return false;
            if (beta is double b && checkBeta && (b < lower[1] || b > alpha || b > upper[1])) return false;
            if (phi is double p && checkPhi && (p < lower[3] || p > upper[3])) return false;
            if (gamma is double g && checkGamma && (g < lower[2] || g > 1 - alpha || g > upper[2])) return false;
        }
        if (bounds != EtsBounds.Usual && !Admissible(alpha, beta, gamma, phi, m, deferredRoots, out rootsNeeded)) return false;
        return true;
    }

    /// <summary>R: <c>forecast:::admissible</c>.</summary>
    public static bool Admissible(double alpha, double? betaOrNull, double? gammaOrNull, double? phiOrNull, int m) =>
        Admissible(alpha, betaOrNull, gammaOrNull, phiOrNull, m, default, out _);

    /// <summary>R: <c>forecast:::admissible</c>, the root test deferred as in <see cref="Check(double, double?, double?, double?, IReadOnlyList{double}, IReadOnlyList{double}, EtsBounds, int, bool, bool, bool, bool, Span{double}, out bool)"/>.</summary>
    private static bool Admissible(double alpha, double? betaOrNull, double? gammaOrNull, double? phiOrNull, int m, Span<double> deferredRoots, out bool rootsNeeded)
    {
        rootsNeeded = false;
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
        Span<double> coef = deferredRoots.IsEmpty ? stackalloc double[m + 2] : deferredRoots[..(m + 2)];
        coef[0] = 1;
        coef[1] = alpha + beta - phi;
        for (int i = 0; i < m - 2; i++) coef[2 + i] = alpha + beta - alpha * phi;
        coef[m] = alpha + beta - alpha * phi + gamma - 1;
        coef[m + 1] = phi * (1 - alpha - gamma);
        if (!deferredRoots.IsEmpty)
        {
            rootsNeeded = true;
            return true;
        }
        return RootsWithin(coef, RootRadius);
    }

    /// <summary>R's bound on the roots' moduli: <c>1 + 1e-10</c>.</summary>
    public const double RootRadius = 1 + 1e-10;

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

    /// <summary>
    /// <see cref="RootsWithin"/> for up to four polynomials of the same degree at once, one per lane of a
    /// <see cref="Vector256{T}"/> (each lane's operations and order are those of the scalar test, so each answer is the
    /// same): <paramref name="coefs"/> holds <paramref name="count"/> polynomials of <c>degree + 1</c> coefficients each,
    /// highest degree first; <paramref name="inside"/> receives each answer.
    /// </summary>
    internal static void RootsWithinLanes(ReadOnlySpan<double> coefs, int count, double radius, Span<bool> inside)
    {
        const int width = 4;
        int len = coefs.Length / count, n = len - 1;
        // c[i] holds lane q's coefficient of w^i of P_q(radius w) in element q; r[i] = c[deg - i] as in RootsWithin
        Span<Vector256<double>> buffers = stackalloc Vector256<double>[4 * len];
        var c = buffers[..len];
        var r = buffers.Slice(len, len);
        var nc = buffers.Slice(2 * len, len);
        var nr = buffers.Slice(3 * len, len);
        Span<double> lane = stackalloc double[width];
        double scale = 1;
        for (int i = 0; i <= n; i++)
        {
            for (int q = 0; q < width; q++) lane[q] = coefs[(q < count ? q : 0) * len + n - i] * scale;
            c[i] = Vector256.Create<double>(lane);
            scale *= radius;
        }
        for (int i = 0; i <= n; i++) r[i] = c[n - i];
        var failed = Vector256<double>.Zero;
        var zero = Vector256<double>.Zero;
        var oneV = Vector256<double>.One;
        for (int deg = n; deg >= 1; deg--)
        {
            var lead = c[deg];
            // a lane fails at a zero or non-finite leading coefficient or |k| not below 1 (NaN included); its later values
            // are not used
            var finite = Vector256.LessThan(Vector256.Abs(lead), Vector256.Create(double.PositiveInfinity));
            failed |= Vector256.Equals(lead, zero) | ~finite;
            var k = c[0] / lead;
            failed |= ~Vector256.LessThan(Vector256.Abs(k), oneV);
            if (failed.AsUInt64() == Vector256<ulong>.AllBitsSet) break;
            for (int i = 0; i < deg; i++)
            {
                nc[i] = c[i + 1] - k * r[i + 1];
                nr[i] = r[i] - k * c[i];
            }
            var swap = c; c = nc; nc = swap;
            swap = r; r = nr; nr = swap;
        }
        for (int q = 0; q < count; q++) inside[q] = failed.AsUInt64().GetElement(q) == 0;
    }
}
