using System.Numerics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// Roots of a real polynomial (R: <c>polyroot</c>, which uses the Jenkins-Traub <c>cpoly</c>; here the Aberth-Ehrlich
/// simultaneous iteration, then Newton polishing). The roots agree with R's to rounding; only their moduli against
/// 1 and 1.01 and the MA root flip use them.
/// </summary>
internal static class PolynomialRoots
{
    /// <summary>The roots of <c>c_0 + c_1 z + ... + c_n z^n</c> (trailing zero coefficients dropped as R's polyroot does).</summary>
    public static Complex[] Find(ReadOnlySpan<double> coefficients)
    {
        int n = coefficients.Length - 1;
        while (n > 0 && coefficients[n] == 0) n--;
        if (n <= 0) return [];
        var c = new double[n + 1];
        for (int i = 0; i <= n; i++) c[i] = coefficients[i] / coefficients[n]; // monic
        if (n == 1) return [new Complex(-c[0], 0)];
        if (n == 2)
        {
            double b = c[1], cc = c[0], disc = b * b - 4 * cc;
            if (disc >= 0)
            {
                double s = Math.Sqrt(disc), r1 = -(b + Math.CopySign(s, b)) / 2;
                double r2 = r1 != 0 ? cc / r1 : 0;
                return [new Complex(r1, 0), new Complex(r2, 0)];
            }
            double im = Math.Sqrt(-disc) / 2;
            return [new Complex(-b / 2, im), new Complex(-b / 2, -im)];
        }
        // Aberth-Ehrlich from points on a circle of the Cauchy bound's scale
        double radius = 0;
        for (int i = 0; i < n; i++) radius = Math.Max(radius, Math.Pow(Math.Abs(c[i]), 1.0 / (n - i)));
        if (radius == 0) radius = 1;
        var z = new Complex[n];
        for (int k = 0; k < n; k++) z[k] = Complex.FromPolarCoordinates(radius, 2 * Math.PI * k / n + 0.4);
        for (int iter = 0; iter < 500; iter++)
        {
            double maxStep = 0;
            for (int k = 0; k < n; k++)
            {
                Evaluate(c, n, z[k], out var pv, out var dp);
                if (pv == Complex.Zero) continue;
                var ratio = pv / dp;
                var sum = Complex.Zero;
                for (int j = 0; j < n; j++) if (j != k) sum += 1 / (z[k] - z[j]);
                var step = ratio / (1 - ratio * sum);
                if (!double.IsFinite(step.Real) || !double.IsFinite(step.Imaginary)) continue;
                z[k] -= step;
                maxStep = Math.Max(maxStep, step.Magnitude / Math.Max(1, z[k].Magnitude));
            }
            if (maxStep < 1e-15) break;
        }
        for (int k = 0; k < n; k++)
            for (int it = 0; it < 3; it++)
            {
                Evaluate(c, n, z[k], out var pv, out var dp);
                if (dp == Complex.Zero) break;
                var nz = z[k] - pv / dp;
                if (!double.IsFinite(nz.Real) || !double.IsFinite(nz.Imaginary)) break;
                z[k] = nz;
            }
        return z;
    }

    private static void Evaluate(double[] c, int n, Complex z, out Complex value, out Complex derivative)
    {
        Complex p = 1, dp = 0; // monic: leading coefficient 1
        for (int i = n - 1; i >= 0; i--)
        {
            dp = dp * z + p;
            p = p * z + c[i];
        }
        value = p;
        derivative = dp;
    }
}
