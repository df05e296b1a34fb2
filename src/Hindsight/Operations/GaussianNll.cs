using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>
    /// Negative log-likelihood of <paramref name="target"/> under Normal(loc, scale), fused (one tape entry): per element
    /// <c>ln scale + 0.5 ln(2 pi) + 0.5 z^2</c> with <c>z = (y - loc) / scale</c>. Effectively
    /// <c>-torch.distributions.Normal(loc, scale).log_prob(target)</c> reduced as <paramref name="reduction"/> says (not
    /// <c>F.gaussian_nll_loss</c>, which takes a variance and drops the constant). Computed in double per element.
    /// Gradients flow to <paramref name="loc"/> and <paramref name="scale"/>, not to the target.
    /// </summary>
    /// <param name="loc">Means, any shape (...).</param>
    /// <param name="scale">Standard deviations, positive, shape (...).</param>
    /// <param name="target">Observations, finite, shape (...).</param>
    /// <param name="reduction">Mean over elements (default), sum, or one value per element.</param>
    /// <exception cref="ArgumentException">Shapes differ, a target is not finite, or a scale is not positive and finite.</exception>
    public static Tensor GaussianNll(Tensor loc, Tensor scale, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckLikelihoodInputs("GaussianNll", target, false, (loc, nameof(loc)), (scale, nameof(scale)));
        RequirePositive("GaussianNll", scale, nameof(scale));
        int n = target.Length;
        var y = LikelihoodOutput(target, reduction);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double s = scale.Data[i], z = (target.Data[i] - (double)loc.Data[i]) / s;
            StoreLikelihood(y, reduction, i, Math.Log(s) + HalfLogTwoPi + 0.5 * z * z, ref sum);
        }
        FinishLikelihood(y, reduction, sum, n);
        if (Tape.ShouldRecord(loc, scale))
            Tape.Record(new TapeEntry(GaussianNllBackward, y, loc, scale, i0: (int)reduction, context: target));
        return y;
    }

    // d/d loc = -z / scale; d/d scale = (1 - z^2) / scale.
    private static void GaussianNllBackward(in TapeEntry e)
    {
        Tensor loc = e.A!, scale = e.B!, target = (Tensor)e.Context!;
        var dLoc = LikelihoodGrad(loc);
        var dScale = LikelihoodGrad(scale);
        int n = target.Length;
        for (int i = 0; i < n; i++)
        {
            double g = LikelihoodUpstream(e, i, n);
            double s = scale.Data[i], z = (target.Data[i] - (double)loc.Data[i]) / s;
            if (dLoc.Length != 0) dLoc[i] += (float)(g * -z / s);
            if (dScale.Length != 0) dScale[i] += (float)(g * (1 - z * z) / s);
        }
    }
}
