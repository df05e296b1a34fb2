namespace Hindsight.Forecasting;

/// <summary>
/// The members of a neural ensemble, after N-BEATS (Oreshkin et al. 2020): networks over several lookbacks x losses x
/// seeds, whose forecasts are combined by their median. Member j takes loss <c>Losses[j mod |Losses|]</c>, lookback
/// <c>Lookback + k x Horizon</c> with <c>k = (j / |Losses|) mod 3</c> (each shortened for short data by <see cref="WindowPlan"/>),
/// and its own seed (member 0 the configured seed, so an ensemble of 1 is the single network). Works for every
/// <see cref="NeuralKind"/>: a member is a <see cref="NeuralConfig"/> with <see cref="NeuralConfig.Ensemble"/> 1.
/// </summary>
public static class NeuralEnsemble
{
    /// <summary>Lookback multiples of the horizon added to the configured lookback, in the order members take them.</summary>
    public const int LookbackSteps = 3;

    /// <summary>The member configurations of <paramref name="config"/> for training series of <paramref name="lengths"/>.</summary>
    public static IReadOnlyList<NeuralConfig> Members(NeuralConfig config, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(lengths);
        var members = new NeuralConfig[config.Ensemble];
        for (int j = 0; j < members.Length; j++)
        {
            int k = j / config.Losses.Count % LookbackSteps;
            int wanted = (int)Math.Min(Settings.SizeLimits.Length, config.Lookback + (long)k * config.Horizon);
            int lookback = WindowPlan.Lookback(lengths, wanted, config.Horizon, config.OutputSteps, config.Validation, config.SeasonalPeriod);
            members[j] = config with
            {
                Ensemble = 1,
                Losses = [config.Losses[j % config.Losses.Count]],
                Lookback = lookback,
                MinInput = config.MinInput is int m ? Math.Min(m, lookback) : null,
                Seed = MemberSeed(config.Seed, j),
            };
        }
        return members;
    }

    /// <summary>The seed of member <paramref name="j"/>: <paramref name="seed"/> itself for member 0, else a SplitMix64 hash of both (so the members of seed s and s + 1 do not overlap).</summary>
    public static ulong MemberSeed(ulong seed, int j)
    {
        if (j == 0) return seed;
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)j;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Trains <paramref name="count"/> independent members, on all cores when there are several (each member's result
    /// depends only on its own seed, so the thread count does not change it); the first member's exception (in member
    /// order) is rethrown as it was thrown.
    /// </summary>
    public static T[] TrainAll<T>(int count, Func<int, T> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var results = new T[count];
        var failures = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[count];
        void One(int j)
        {
            try { results[j] = train(j); }
            catch (Exception ex) { failures[j] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex); }
        }
        if (count == 1 || Environment.ProcessorCount == 1) for (int j = 0; j < count; j++) One(j);
        else Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, One);
        foreach (var f in failures) f?.Throw();
        return results;
    }

    /// <summary>
    /// The per-value median over members of quantiles laid out [member][input][level][step], by <paramref name="median"/>
    /// (which may reorder its argument).
    /// </summary>
    internal static float[][][] MedianOverMembers(float[][][][] members, Func<float[], float> median)
    {
        if (members.Length == 1) return members[0];
        var first = members[0];
        var result = new float[first.Length][][];
        var column = new float[members.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new float[first[i].Length][];
            for (int j = 0; j < result[i].Length; j++)
            {
                result[i][j] = new float[first[i][j].Length];
                for (int k = 0; k < result[i][j].Length; k++)
                {
                    for (int m = 0; m < members.Length; m++) column[m] = members[m][i][j][k];
                    result[i][j][k] = median(column);
                }
            }
        }
        return result;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); sorts it in place.</summary>
    public static float Median(Span<float> values)
    {
        if (values.Length == 0) throw new ArgumentException("median of no values.", nameof(values));
        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2f;
    }
}
