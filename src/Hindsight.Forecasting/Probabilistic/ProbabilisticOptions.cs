using System.Globalization;
using Hindsight.Settings;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>The distribution a neural forecaster's likelihood head predicts (DeepAR's output), or none.</summary>
public enum OutputDistribution
{
    /// <summary>No distribution head (a point forecast, or quantiles with <see cref="ProbabilisticOptions.Quantiles"/>).</summary>
    None,
    /// <summary>Normal(loc, scale) per step, trained by its negative log-likelihood.</summary>
    Gaussian,
    /// <summary>Student-t(df, loc, scale) per step (heavier tails), trained by its negative log-likelihood.</summary>
    StudentT,
    /// <summary>Negative binomial(mu, alpha) per step for non-negative counts, mean scaled by each window's level as DeepAR.</summary>
    NegBin,
}

/// <summary>
/// Probabilistic outputs of the neural forecasters (issue 12 part 3): a monotone multi-quantile head trained with the
/// pinball loss, or a distribution head trained by likelihood, and the sample paths of recursive forecasts. Help, default
/// and range of each setting are declared here once.
/// </summary>
public sealed record ProbabilisticOptions
{
    /// <summary>Quantile levels the neural models learn at once with the pinball loss (comma list in (0, 1), e.g. <c>0.1,0.5,0.9</c>), or null for none.</summary>
    [Setting("Neural models learn these quantiles at once (pinball loss, monotone by construction), e.g. 0.1,0.5,0.9; the median and each interval level's bounds are added",
        DefaultText = "none (point forecasts)")]
    public string? Quantiles { get; init; }

    /// <summary>Likelihood head of the neural models (DeepAR): gaussian, studentt or negbin (non-negative counts).</summary>
    [Setting("Neural models predict a distribution per step, trained by likelihood as DeepAR: gaussian, studentt or negbin (non-negative counts)")]
    public OutputDistribution Distribution { get; init; } = OutputDistribution.None;

    /// <summary>Sample paths per forecast of a recursive probabilistic model (each step drawn and fed back); their quantiles give the forecast.</summary>
    [Setting("Sample paths per forecast of recursive probabilistic neural models (steps drawn and fed back)", Min = 1, Max = 100000)]
    public int Samples { get; init; } = 200;

    /// <summary>Interval levels in percent whose bounds a quantile head learns too (set from the run's <c>level</c>; stored in model files).</summary>
    public IReadOnlyList<double> IntervalLevels { get; init; } = [];

    /// <summary>Equal when every setting is (the interval levels compared element by element, so a model file's settings read back equal).</summary>
    public bool Equals(ProbabilisticOptions? other) =>
        other is not null && Quantiles == other.Quantiles && Distribution == other.Distribution && Samples == other.Samples
        && IntervalLevels.SequenceEqual(other.IntervalLevels);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Quantiles, Distribution, Samples, IntervalLevels.Count);

    /// <summary>Whether a head is asked for (quantiles or a distribution).</summary>
    public bool IsProbabilistic => Quantiles is not null || Distribution != OutputDistribution.None;

    /// <summary>
    /// The head of the neural models: quantiles (the asked ones, the median and the bounds of each interval level in
    /// <paramref name="intervalLevels"/> percent, by default <see cref="IntervalLevels"/>), a distribution, or a point forecast.
    /// </summary>
    /// <exception cref="ArgumentException">Both quantiles and a distribution, or a bad quantile list (parameter <c>quantiles</c>).</exception>
    public OutputHead Head(IEnumerable<double>? intervalLevels = null)
    {
        if (Quantiles is not null && Distribution != OutputDistribution.None)
            throw new ArgumentException("quantiles: give either quantiles or a distribution, not both.", "quantiles");
        if (Quantiles is not null)
        {
            var levels = ParseQuantiles(Quantiles).Select(q => (double)q).Append(0.5);
            foreach (var l in intervalLevels ?? IntervalLevels) levels = levels.Concat(IntervalBounds(l));
            return new OutputHead(HeadKind.Quantiles, [.. levels.Select(q => (float)q).Distinct().Order()]);
        }
        return Distribution switch
        {
            OutputDistribution.Gaussian => new OutputHead(HeadKind.Gaussian, []),
            OutputDistribution.StudentT => new OutputHead(HeadKind.StudentT, []),
            OutputDistribution.NegBin => new OutputHead(HeadKind.NegativeBinomial, []),
            _ => OutputHead.Point,
        };
    }

    /// <summary>The quantile levels of <paramref name="text"/> (comma list, each in (0, 1), none repeated), in the order given.</summary>
    /// <exception cref="ArgumentException">A level that does not parse, lies outside (0, 1) or repeats (parameter <c>quantiles</c>).</exception>
    public static float[] ParseQuantiles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("quantiles: no quantile level given; expected a comma list such as 0.1,0.5,0.9.", "quantiles");
        var levels = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out levels[i]) || !(levels[i] > 0 && levels[i] < 1))
                throw new ArgumentException($"quantiles: '{parts[i]}' is not a level between 0 and 1 (exclusive); expected a comma list such as 0.1,0.5,0.9.", "quantiles");
        }
        if (levels.Distinct().Count() != levels.Length) throw new ArgumentException($"quantiles: '{text}' names a level twice.", "quantiles");
        return levels;
    }

    /// <summary>The lower and upper quantile levels of a central interval of <paramref name="level"/> percent: (1 - l) / 2 and (1 + l) / 2.</summary>
    public static double[] IntervalBounds(double level) => [(1 - level / 100) / 2, (1 + level / 100) / 2];
}
