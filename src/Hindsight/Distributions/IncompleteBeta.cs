namespace Hindsight.Distributions;

/// <summary>
/// The regularized incomplete beta function I_x(a, b) and its complement 1 - I_x(a, b) (scipy's <c>betainc</c>), by
/// the classical continued fraction evaluated with the modified Lentz method, on the side of the symmetry
/// I_x(a, b) = 1 - I_(1-x)(b, a) where it converges fast. Both tails are returned so a caller far in either tail keeps its
/// relative accuracy. Used for the Student-t and negative binomial CDFs.
/// </summary>
internal static class IncompleteBeta
{
    private const int MaxIterations = 100_000;
    private const double Epsilon = 1e-15, Tiny = 1e-300;

    /// <summary>(I_x(a, b), 1 - I_x(a, b)) for a, b &gt; 0 and x in [0, 1]; <paramref name="oneMinusX"/> is 1 - x,
    /// passed separately so that x near 1 loses nothing.</summary>
    public static (double Lower, double Upper) Evaluate(double a, double b, double x, double oneMinusX)
    {
        if (x <= 0) return (0, 1);
        if (oneMinusX <= 0) return (1, 0);
        // x^a (1 - x)^b / (a B(a, b)) is the prefactor of the continued fraction.
        double logFront = SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(a) - SpecialFunctions.LogGamma(b)
                          + a * Math.Log(x) + b * Math.Log(oneMinusX);
        double front = Math.Exp(logFront);
        if (x < (a + 1) / (a + b + 2))
        {
            double lower = front * ContinuedFraction(a, b, x) / a;
            return (lower, 1 - lower);
        }
        double upper = front * ContinuedFraction(b, a, oneMinusX) / b;
        return (1 - upper, upper);
    }

    // The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) with d_2m+1 = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
    // d_2m = m(b-m)x / ((a+2m-1)(a+2m)), by the modified Lentz method.
    private static double ContinuedFraction(double a, double b, double x)
    {
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MaxIterations; m++)
        {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + even / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d; h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + odd / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < Epsilon) break;
        }
        return h;
    }
}
