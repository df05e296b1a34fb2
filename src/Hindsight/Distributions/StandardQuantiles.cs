namespace Hindsight.Distributions;

/// <summary>
/// Quantile functions of the standard normal and the standard Student-t distributions, and the Student-t tail, in double.
/// </summary>
internal static class StandardQuantiles
{
    // Acklam's rational approximations of the normal quantile (relative error below 1.2e-9), central and tail regions.
    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    private const double TailBelow = 0.02425;

    /// <summary>Phi^-1(p), the standard normal quantile (PyTorch's <c>Normal(0, 1).icdf</c>), for p in (0, 1).</summary>
    public static double Normal(double p)
    {
        if (p < TailBelow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        if (p > 1 - TailBelow)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        double r = p - 0.5, s = r * r;
        return (((((A[0] * s + A[1]) * s + A[2]) * s + A[3]) * s + A[4]) * s + A[5]) * r / (((((B[0] * s + B[1]) * s + B[2]) * s + B[3]) * s + B[4]) * s + 1);
    }

    /// <summary>P(T &gt; t) for t &gt;= 0 and T standard Student-t with <paramref name="df"/> degrees of freedom:
    /// 0.5 I_(df / (df + t^2))(df / 2, 1/2).</summary>
    public static double StudentTUpperTail(double t, double df)
    {
        double t2 = t * t;
        return 0.5 * IncompleteBeta.Evaluate(df / 2, 0.5, df / (df + t2), t2 / (df + t2)).Lower;
    }

    /// <summary>Density of the standard Student-t at t.</summary>
    public static double StudentTDensity(double t, double df) =>
        Math.Exp(SpecialFunctions.LogGamma((df + 1) / 2) - SpecialFunctions.LogGamma(df / 2) - 0.5 * Math.Log(df * Math.PI)
                 - (df + 1) / 2 * SpecialFunctions.Log1p(t * t / df));

    /// <summary>
    /// The standard Student-t quantile for p in (0, 1) (scipy's <c>t.ppf</c>): by symmetry the upper half only, solving
    /// P(T &gt; t) = 1 - p by Newton's method from the normal quantile. The tail is convex and decreasing in t &gt; 0 and
    /// the Student-t quantile lies beyond the normal one, so the iterates increase monotonically to the root.
    /// </summary>
    public static double StudentT(double p, double df)
    {
        if (p == 0.5) return 0;
        if (p < 0.5) return -StudentT(1 - p, df);
        double tail = 1 - p;
        double t = Normal(p);
        for (int i = 0; i < 200; i++)
        {
            double step = (StudentTUpperTail(t, df) - tail) / StudentTDensity(t, df);
            if (!double.IsFinite(step)) break;
            t += step;
            if (Math.Abs(step) <= 1e-13 * Math.Max(1, Math.Abs(t))) break;
        }
        return t;
    }
}
