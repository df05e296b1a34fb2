using Hindsight.Distributions;
using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Negative log-likelihood of the counts <paramref name="target"/> under the negative binomial with mean
    /// <paramref name="mu"/> and shape (dispersion) <paramref name="alpha"/>, as DeepAR defines it (Salinas et al. 2019; GluonTS's
    /// <c>NegativeBinomial(mu, alpha)</c>): variance mu + alpha mu^2, and per element, with r = 1/alpha,
    /// <c>-[lgamma(y + r) - lgamma(y + 1) - lgamma(r) - r ln(1 + alpha mu) + y ln(alpha mu / (1 + alpha mu))]</c>.
    /// In PyTorch's parameterisation this is <c>-torch.distributions.NegativeBinomial(total_count = 1/alpha,
    /// logits = ln(alpha mu)).log_prob(target)</c> (probs = alpha mu / (1 + alpha mu)), reduced as <paramref name="reduction"/>
    /// says; computed in double per element. Gradients flow to mu and alpha (through digamma), not to the target.
    /// Targets need not be integers (the density's lgamma form is used as is), but must be finite and non-negative.
    /// </summary>
    /// <param name="mu">Means, positive, shape (...).</param>
    /// <param name="alpha">Shapes (dispersions), positive, shape (...); alpha to 0 tends to Poisson(mu).</param>
    /// <param name="target">Counts, finite and non-negative, shape (...).</param>
    /// <param name="reduction">Mean over elements (default), sum, or one value per element.</param>
    /// <exception cref="ArgumentException">Shapes differ, a target is negative or not finite, or mu or alpha is not positive and finite.</exception>
    public static Tensor NegativeBinomialNll(Tensor mu, Tensor alpha, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckLikelihoodInputs("NegativeBinomialNll", target, true, (mu, nameof(mu)), (alpha, nameof(alpha)));
        RequirePositive("NegativeBinomialNll", mu, nameof(mu));
        RequirePositive("NegativeBinomialNll", alpha, nameof(alpha));
        int n = target.Length;
        var y = LikelihoodOutput(target, reduction);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double m = mu.Data[i], a = alpha.Data[i], count = target.Data[i], r = 1 / a, am = a * m;
            double log1pAm = SpecialFunctions.Log1p(am);
            double value = -SpecialFunctions.LogGammaDifference(r, count) + SpecialFunctions.LogGamma(count + 1)
                           + r * log1pAm - (count == 0 ? 0 : count * (Math.Log(am) - log1pAm));
            StoreLikelihood(y, reduction, i, value, ref sum);
        }
        FinishLikelihood(y, reduction, sum, n);
        if (Tape.ShouldRecord(mu, alpha))
            Tape.Record(new TapeEntry(NegativeBinomialNllBackward, y, mu, alpha, i0: (int)reduction, context: target));
        return y;
    }

    // d/d mu = (mu - y) / (mu (1 + alpha mu));
    // d/d alpha = -[ln(1 + alpha mu) - (psi(y + r) - psi(r))] / alpha^2 - (y - mu) / (alpha (1 + alpha mu)).
    private static void NegativeBinomialNllBackward(in TapeEntry e)
    {
        Tensor mu = e.A!, alpha = e.B!, target = (Tensor)e.Context!;
        var dMu = LikelihoodGrad(mu);
        var dAlpha = LikelihoodGrad(alpha);
        int n = target.Length;
        for (int i = 0; i < n; i++)
        {
            double g = LikelihoodUpstream(e, i, n);
            double m = mu.Data[i], a = alpha.Data[i], count = target.Data[i], r = 1 / a, onePlusAm = 1 + a * m;
            if (dMu.Length != 0) dMu[i] += (float)(g * (m - count) / (m * onePlusAm));
            if (dAlpha.Length != 0)
            {
                double d = -(SpecialFunctions.Log1p(a * m) - SpecialFunctions.DigammaDifference(r, count)) / (a * a)
                           - (count - m) / (a * onePlusAm);
                dAlpha[i] += (float)(g * d);
            }
        }
    }
}
