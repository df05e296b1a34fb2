using Hindsight.Losses;

namespace Hindsight.Distributions;

/// <summary>
/// Negative binomial for counts with mean mu and shape alpha per element, DeepAR's parameterisation (variance
/// mu + alpha mu^2; see <see cref="Ops.NegativeBinomialNll"/> for the map to PyTorch's total_count = 1/alpha,
/// logits = ln(alpha mu)). Quantiles come from the CDF, P(Y &lt;= k) = I_(1/(1 + alpha mu))(1/alpha, k + 1) (regularized
/// incomplete beta), as the smallest count k whose CDF reaches the level (scipy's <c>nbinom.ppf</c>): exact, no sampling
/// noise. Samples are drawn as PyTorch and GluonTS do, Poisson(lambda) with lambda ~ Gamma(shape 1/alpha, scale alpha mu).
/// </summary>
public sealed class NegativeBinomial : Distribution
{
    /// <summary>Means, positive, shape (...).</summary>
    public Tensor Mu { get; }
    /// <summary>Shapes (dispersions), positive, shape (...).</summary>
    public Tensor Alpha { get; }

    /// <summary>A batch of negative binomials; <paramref name="mu"/> and <paramref name="alpha"/> share a shape.</summary>
    public NegativeBinomial(Tensor mu, Tensor alpha) : base(mu)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        if (!mu.SameShape(alpha)) throw new ArgumentException($"NegativeBinomial: alpha shape {alpha.ShapeString} differs from mu shape {mu.ShapeString}.", nameof(alpha));
        Mu = mu; Alpha = alpha;
    }

    /// <inheritdoc/>
    public override Tensor NegativeLogLikelihood(Tensor target, Reduction reduction = Reduction.Mean) => Ops.NegativeBinomialNll(Mu, Alpha, target, reduction);

    /// <inheritdoc/>
    protected override double MeanAt(int i) => Mu.Data[i];

    /// <inheritdoc/>
    protected override double QuantileAt(int i, double level) => CountQuantile(Mu.Data[i], Alpha.Data[i], level);

    /// <inheritdoc/>
    protected override double SampleAt(int i, Rng rng)
    {
        double mu = Mu.Data[i], alpha = Alpha.Data[i];
        double rate = Samplers.Gamma(rng, 1 / alpha) * alpha * mu;
        return Samplers.Poisson(rng, rate);
    }

    /// <summary>Whether P(Y &lt;= k) &gt;= level, evaluated on the tail that keeps its relative accuracy.</summary>
    internal static bool CdfReaches(double mu, double alpha, double k, double level)
    {
        if (k < 0) return false;
        double am = alpha * mu;
        var (lower, upper) = IncompleteBeta.Evaluate(1 / alpha, k + 1, 1 / (1 + am), am / (1 + am));
        return level > 0.5 ? upper <= 1 - level : lower >= level;
    }

    /// <summary>The smallest count k with P(Y &lt;= k) &gt;= level: a bracket grown from the normal approximation, then bisection.</summary>
    internal static double CountQuantile(double mu, double alpha, double level)
    {
        if (CdfReaches(mu, alpha, 0, level)) return 0;
        double sd = Math.Sqrt(mu + alpha * mu * mu);
        double guess = Math.Max(0, Math.Floor(mu + sd * StandardQuantiles.Normal(level)));
        double step = Math.Max(1, Math.Ceiling(sd));
        double lo, hi; // CdfReaches(lo) is false, CdfReaches(hi) is true
        if (CdfReaches(mu, alpha, guess, level))
        {
            hi = guess; lo = guess - step;
            while (lo >= 0 && CdfReaches(mu, alpha, lo, level)) { hi = lo; step *= 2; lo = hi - step; }
            lo = Math.Max(lo, 0);
        }
        else
        {
            lo = guess; hi = guess + step;
            while (!CdfReaches(mu, alpha, hi, level))
            {
                if (hi > 1e15) return double.NaN; // the CDF did not converge (parameters far outside any count data)
                lo = hi; step *= 2; hi = lo + step;
            }
        }
        while (hi - lo > 1)
        {
            double mid = Math.Floor((lo + hi) / 2);
            if (CdfReaches(mu, alpha, mid, level)) hi = mid; else lo = mid;
        }
        return hi;
    }
}
