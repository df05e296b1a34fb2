namespace Hindsight.Distributions;

/// <summary>
/// Gamma and Poisson variates from the engine's seeded <see cref="Rng"/> (the same seed gives the same draws on every
/// machine). Gamma: Marsaglia and Tsang's squeeze method (2000), with the boost u^(1/a) for shapes below 1. Poisson:
/// inversion by sequential search for small means, Hormann's transformed rejection with squeeze (PTRS, 1993) from mean 10.
/// </summary>
internal static class Samplers
{
    /// <summary>A Gamma(shape, rate 1) draw; shape &gt; 0.</summary>
    public static double Gamma(Rng rng, double shape)
    {
        if (shape < 1)
        {
            // Gamma(a) = Gamma(a + 1) U^(1/a).
            double u = 1 - rng.NextDouble();
            return Gamma(rng, shape + 1) * Math.Pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = rng.NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1 - rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>A Poisson(mean) draw; mean &gt;= 0.</summary>
    public static double Poisson(Rng rng, double mean)
    {
        if (mean <= 0) return 0;
        if (mean < 10)
        {
            // Inversion: walk the CDF from 0 until it passes a uniform draw.
            double u = rng.NextDouble(), p = Math.Exp(-mean), cdf = p;
            int k = 0;
            while (u > cdf && k < 1000) { k++; p *= mean / k; cdf += p; }
            return k;
        }
        double sqrtMean = Math.Sqrt(mean), logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * sqrtMean, a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = rng.NextDouble() - 0.5, v = rng.NextDouble(), us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log(a / (us * us) + b) <= -mean + k * logMean - SpecialFunctions.LogGamma(k + 1))
                return k;
        }
    }
}
