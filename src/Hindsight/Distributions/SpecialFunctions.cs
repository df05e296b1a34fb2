namespace Hindsight.Distributions;

/// <summary>
/// Log-gamma and digamma in double precision, for the likelihoods and their gradients: an asymptotic (Stirling / Bernoulli)
/// series for x &gt;= 15, reached from smaller arguments by the recurrences Gamma(x + 1) = x Gamma(x) and
/// psi(x + 1) = psi(x) + 1/x. Accurate to a few units in 1e-15 relative for x &gt; 0 (checked against torch.lgamma and
/// torch.digamma in float64 by the distribution fixtures). Only positive arguments are needed (and accepted).
/// </summary>
internal static class SpecialFunctions
{
    private const double HalfLogTwoPi = 0.91893853320467274178; // 0.5 ln(2 pi)
    private const double AsymptoticFrom = 15.0;

    /// <summary>ln Gamma(x) for x &gt; 0 (PyTorch's <c>torch.lgamma</c>); NaN for x &lt;= 0 or NaN.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return x;
        double shift = 0;
        if (x < AsymptoticFrom)
        {
            // ln Gamma(x) = ln Gamma(x + n) - ln(x (x + 1) ... (x + n - 1)); the product stays far from overflow for n <= 15.
            double product = 1;
            while (x < AsymptoticFrom) { product *= x; x += 1; }
            shift = Math.Log(product);
        }
        double inv = 1 / x, inv2 = inv * inv;
        // Sum_k B_2k / (2k (2k - 1) x^(2k - 1)), k = 1..5.
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        return (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series - shift;
    }

    /// <summary>psi(x) = d ln Gamma(x) / dx for x &gt; 0 (PyTorch's <c>torch.digamma</c>); NaN for x &lt;= 0 or NaN.</summary>
    public static double Digamma(double x)
    {
        if (!(x > 0)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return x;
        double shift = 0;
        while (x < AsymptoticFrom) { shift -= 1 / x; x += 1; }
        double inv2 = 1 / (x * x);
        // ln x - 1/(2x) - Sum_k B_2k / (2k x^2k), k = 1..5.
        double series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132))));
        return Math.Log(x) - 0.5 / x - series + shift;
    }

    /// <summary>psi(x + n) - psi(x) for a count n &gt;= 0: the exact sum 1/x + ... + 1/(x + n - 1) for small n (no
    /// cancellation when x is large), else the difference of digammas.</summary>
    public static double DigammaDifference(double x, double n)
    {
        if (n == 0) return 0;
        if (n <= 64 && n == Math.Floor(n))
        {
            double s = 0;
            for (int k = 0; k < (int)n; k++) s += 1 / (x + k);
            return s;
        }
        return Digamma(x + n) - Digamma(x);
    }

    /// <summary>ln Gamma(x + n) - ln Gamma(x), summing logs for small integer n (exact where ln Gamma(x) is large).</summary>
    public static double LogGammaDifference(double x, double n)
    {
        if (n == 0) return 0;
        if (n <= 64 && n == Math.Floor(n))
        {
            double s = 0;
            for (int k = 0; k < (int)n; k++) s += Math.Log(x + k);
            return s;
        }
        return LogGamma(x + n) - LogGamma(x);
    }

    /// <summary>ln(1 + e^x) without overflow (PyTorch's <c>F.softplus</c> with beta 1; above its threshold 20 it returns x).</summary>
    public static double Softplus(double x) => x > 20 ? x : Log1p(Math.Exp(x));

    /// <summary>ln(1 + u), accurate for small u (Kahan's correction: the rounding of 1 + u is divided out).</summary>
    public static double Log1p(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : Math.Log(w) * u / (w - 1);
    }

    /// <summary>d softplus(x) / dx = sigmoid(x), as PyTorch's softplus backward (exactly 1 above the threshold 20).</summary>
    public static double SoftplusDerivative(double x)
    {
        if (x > 20) return 1;
        double z = Math.Exp(x);
        return z / (z + 1);
    }
}
