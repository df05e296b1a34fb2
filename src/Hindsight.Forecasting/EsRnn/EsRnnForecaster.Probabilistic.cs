using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting.EsRnn;

/// <remarks>
/// Probabilistic outputs: with <c>--quantiles</c> the network predicts, per step, the quantiles of the normalised log
/// value <c>log(y / (l[n-1] S))</c> (monotone by <see cref="Ops.MonotoneCumsum"/>) and trains on their pinball loss, Smyl's
/// loss at several levels at once; with <c>--distribution gaussian|studentt</c> it predicts that distribution of the
/// normalised log value and trains on its likelihood (in data units a log-normal or log-t, scaled by level and season).
/// A quantile is re-leveled and re-seasonalised as the point forecast is, <c>exp(q) l[n-1] S[n + k mod m] - shift</c>:
/// exp and the positive factor are increasing, so a quantile of the normalised value is the same quantile of the value
/// and the quantiles never cross. The point forecast is the median. An ensemble takes the median of its members'
/// quantiles per level and step. The negative binomial is refused: its counts live in the data's units, esrnn's
/// outputs in logs of normalised values.
/// </remarks>
public sealed partial class EsRnnForecaster : IQuantileForecaster
{
    /// <summary>
    /// The head of an esrnn model of <paramref name="settings"/>: <see cref="ProbabilisticOptions.Head"/> (quantiles with the
    /// median and each interval level's bounds, or a distribution), refusing the negative binomial.
    /// </summary>
    /// <exception cref="ArgumentException">A negative binomial distribution (parameter <c>distribution</c>), or a bad quantile list.</exception>
    public static OutputHead HeadOf(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var head = settings.Probabilistic.Head(settings.Probabilistic.IntervalLevels);
        if (head.Kind == HeadKind.NegativeBinomial)
            throw new ArgumentException("distribution: esrnn forecasts logs of level- and season-normalised values; negbin models counts in the data's units (use gaussian, studentt or quantiles with esrnn, or negbin with another neural model).", "distribution");
        return head;
    }

    /// <inheritdoc/>
    public string? QuantileMethod => Head.IsProbabilistic ? Head.Method : null;

    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => Head.Kind == HeadKind.Quantiles ? Head.Levels : null;

    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(levels);
        if (!Head.IsProbabilistic) throw new InvalidOperationException($"{Name}: the model has no quantile or distribution head (train it with quantiles or a distribution).");
        foreach (var level in levels)
            if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(levels), level, $"{Name}: a quantile level must lie in (0, 1), got {level}.");
        Predict(inputs.Take(0).ToList(), horizon); // the horizon checks
        foreach (var input in inputs)
        {
            if (input.Series < 0 || input.Series >= _shift.Length) throw new ArgumentException($"{Name}: series index {input.Series} out of range (fitted on {_shift.Length} series).");
            if (input.History.Length < MinHistory) throw TooShort(input.Series, $"has a history of {input.History.Length} values; the model needs at least {MinHistory}.");
        }
        return Quantiles(inputs, horizon, levels);
    }

    // The quantiles [input][level][step] in the data's units (inputs already checked): the median over the members.
    private float[][][] Quantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        var histories = Histories(inputs);
        var members = Enumerable.Range(0, Nets.Count).Select(j => MemberQuantiles(j, inputs, histories, horizon, levels)).ToArray();
        return NeuralEnsemble.MedianOverMembers(members, Median);
    }

    // Member j's quantiles [input][level][step]: the head's quantile of the normalised log value (a quantile head's
    // interpolated linearly between its levels, a distribution's exact), then exp(q) x level x season - shift.
    private float[][][] MemberQuantiles(int member, IReadOnlyList<ForecastInput> inputs, float[][] histories, int horizon, IReadOnlyList<double> levels)
    {
        int h = Settings.Horizon, n = inputs.Count, q = levels.Count;
        var (output, scale) = Normalised(member, inputs, histories);                    // (n, H x W), n x H
        var result = new float[n][][];
        for (int i = 0; i < n; i++) { result[i] = new float[q][]; for (int j = 0; j < q; j++) result[i][j] = new float[horizon]; }
        float Data(int i, int k, double z) => (float)(Math.Exp(z) * scale[i * h + k]) - _shift[inputs[i].Series];
        if (Head.Kind == HeadKind.Quantiles)
        {
            var quantiles = HeadOutputs.Quantiles(Head, output);                           // (n, H, K)
            int kq = Head.Levels.Length;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < horizon; k++)
                {
                    var row = quantiles.Data.AsSpan((i * h + k) * kq, kq);
                    for (int j = 0; j < q; j++) result[i][j][k] = Data(i, k, HeadOutputs.Interpolate(Head.Levels, row, levels[j]));
                }
            return result;
        }
        var values = HeadOutputs.Distribution(Head, output).Quantiles(levels.Select(l => (float)l).ToArray()); // (n, H, Q)
        for (int i = 0; i < n; i++)
            for (int k = 0; k < horizon; k++)
                for (int j = 0; j < q; j++) result[i][j][k] = Data(i, k, values.Data[(i * h + k) * q + j]);
        return result;
    }
}
