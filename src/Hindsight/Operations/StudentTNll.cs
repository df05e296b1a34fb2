using Hindsight.Distributions;
using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    private const double HalfLogPi = 0.57236494292470008707;

    /// <summary>
    /// Negative log-likelihood of <paramref name="target"/> under a Student-t with <paramref name="df"/> degrees of freedom,
    /// location and scale, fused (one tape entry): per element, with <c>z = (y - loc) / scale</c>,
    /// <c>ln scale + 0.5 ln df + 0.5 ln pi + lgamma(df/2) - lgamma((df+1)/2) + (df+1)/2 ln(1 + z^2/df)</c>. Effectively
    /// <c>-torch.distributions.StudentT(df, loc, scale).log_prob(target)</c>, reduced as <paramref name="reduction"/> says;
    /// computed in double per element. Gradients flow to df, loc and scale (the df one through digamma), not to the target.
    /// </summary>
    /// <param name="df">Degrees of freedom, positive, shape (...).</param>
    /// <param name="loc">Locations, shape (...).</param>
    /// <param name="scale">Scales, positive, shape (...).</param>
    /// <param name="target">Observations, finite, shape (...).</param>
    /// <param name="reduction">Mean over elements (default), sum, or one value per element.</param>
    /// <exception cref="ArgumentException">Shapes differ, a target is not finite, or df or a scale is not positive and finite.</exception>
    public static Tensor StudentTNll(Tensor df, Tensor loc, Tensor scale, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckLikelihoodInputs("StudentTNll", target, false, (df, nameof(df)), (loc, nameof(loc)), (scale, nameof(scale)));
        RequirePositive("StudentTNll", df, nameof(df));
        RequirePositive("StudentTNll", scale, nameof(scale));
        int n = target.Length;
        var y = LikelihoodOutput(target, reduction);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double nu = df.Data[i], s = scale.Data[i], z = (target.Data[i] - (double)loc.Data[i]) / s;
            double value = Math.Log(s) + 0.5 * Math.Log(nu) + HalfLogPi
                           - SpecialFunctions.LogGammaDifference(nu / 2, 0.5)
                           + (nu + 1) / 2 * SpecialFunctions.Log1p(z * z / nu);
            StoreLikelihood(y, reduction, i, value, ref sum);
        }
        FinishLikelihood(y, reduction, sum, n);
        if (Tape.ShouldRecord(df, loc, scale))
            Tape.Record(new TapeEntry(StudentTNllBackward, y, df, loc, scale, i0: (int)reduction, context: target));
        return y;
    }

    // With w = df + z^2:  d/d loc = -(df+1) z / (scale w);  d/d scale = (1 - (df+1) z^2 / w) / scale;
    // d/d df = 0.5/df + 0.5 (psi(df/2) - psi((df+1)/2)) + 0.5 ln(1 + z^2/df) - (df+1) z^2 / (2 df w).
    private static void StudentTNllBackward(in TapeEntry e)
    {
        Tensor df = e.A!, loc = e.B!, scale = e.C!, target = (Tensor)e.Context!;
        var dDf = LikelihoodGrad(df);
        var dLoc = LikelihoodGrad(loc);
        var dScale = LikelihoodGrad(scale);
        int n = target.Length;
        for (int i = 0; i < n; i++)
        {
            double g = LikelihoodUpstream(e, i, n);
            double nu = df.Data[i], s = scale.Data[i], z = (target.Data[i] - (double)loc.Data[i]) / s;
            double z2 = z * z, w = nu + z2;
            if (dLoc.Length != 0) dLoc[i] += (float)(g * -(nu + 1) * z / (s * w));
            if (dScale.Length != 0) dScale[i] += (float)(g * (1 - (nu + 1) * z2 / w) / s);
            if (dDf.Length != 0)
            {
                double d = StudentTDfConstant(nu) + 0.5 * SpecialFunctions.Log1p(z2 / nu) - (nu + 1) * z2 / (2 * nu * w);
                dDf[i] += (float)(g * d);
            }
        }
    }

    /// <summary>
    /// 0.5/df + 0.5 (psi(df/2) - psi((df+1)/2)), the part of d/d df that does not depend on z. Its two terms cancel to
    /// O(1/df^2), so from df = 40 it comes from the asymptotic series of psi(x) - psi(x + 1/2) with x = df/2:
    /// -1/(2x) - 1/(8x^2) + 1/(64x^4) - 1/(128x^6) + 17/(2048x^8), whose leading term cancels 0.5/df exactly.
    /// </summary>
    internal static double StudentTDfConstant(double nu)
    {
        double x = nu / 2;
        if (x < 20) return 0.5 / nu + 0.5 * (SpecialFunctions.Digamma(x) - SpecialFunctions.Digamma(x + 0.5));
        double inv2 = 1 / (x * x);
        return 0.5 * inv2 * (-1.0 / 8 + inv2 * (1.0 / 64 + inv2 * (-1.0 / 128 + inv2 * 17.0 / 2048)));
    }
}
