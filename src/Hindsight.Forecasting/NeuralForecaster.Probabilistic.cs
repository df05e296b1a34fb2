using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Forecasting;

/// <remarks>
/// Probabilistic outputs (<see cref="NeuralConfig.Head"/>): a direct model's quantiles come from one forward pass (a
/// quantile head's own levels, interpolated linearly between them for other levels; a distribution's exact quantiles per
/// step); a recursive model draws <see cref="NeuralConfig.Samples"/> sample paths (each step drawn from the predicted
/// distribution, or from the quantile head's piecewise-linear quantile function at a uniform level, and fed back) and
/// takes their empirical quantiles (R's type 7). The point forecast is the median. An ensemble takes, per level and
/// step, the median of its members' quantiles (as its point forecast is their median; a median of non-decreasing
/// quantile vectors is non-decreasing, so the result never crosses).
/// </remarks>
public sealed partial class NeuralForecaster : IQuantileForecaster
{
    /// <inheritdoc/>
    public string? QuantileMethod => Config.Head.IsProbabilistic ? Config.Head.Method : null;

    /// <inheritdoc/>
    public IReadOnlyList<float>? NativeLevels => Config.Head.Kind == HeadKind.Quantiles ? Config.Head.Levels : null;

    /// <inheritdoc/>
    public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(levels);
        if (!Config.Head.IsProbabilistic) throw new InvalidOperationException($"{Name}: the model has no quantile or distribution head (train it with quantiles or a distribution).");
        foreach (var level in levels)
            if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(levels), level, $"{Name}: a quantile level must lie in (0, 1), got {level}.");
        Predict(inputs.Take(0).ToList(), horizon); // the horizon checks
        foreach (var input in inputs)
        {
            if (input.Series < 0 || input.Series >= Scaler!.Mean.Length) throw new ArgumentException($"{Name}: series index {input.Series} out of range.");
            if (input.History.Length < MinHistory) throw TooShort(input.Series, $"has a history of {input.History.Length} values; the model needs at least {MinHistory}.");
        }
        var members = Members.Select(m => MemberQuantiles(m, inputs, horizon, levels)).ToArray();
        return NeuralEnsemble.MedianOverMembers(members, c => NeuralEnsemble.Median(c));
    }

    // The median forecast of a probabilistic model.
    private float[][] PredictMedian(IReadOnlyList<ForecastInput> inputs, int horizon) =>
        PredictQuantiles(inputs, horizon, [0.5]).Select(q => q[0]).ToArray();

    // Negative binomial heads model counts: every training value must be a non-negative number.
    private void CheckCounts(IReadOnlyList<float[]> series)
    {
        if (Config.Head.Kind != HeadKind.NegativeBinomial) return;
        for (int s = 0; s < series.Count; s++)
            for (int t = 0; t < series[s].Length; t++)
                if (series[s][t] < 0)
                    throw TooShort(s, $"has the negative value {series[s][t]} at position {t + 1}; the negbin distribution models non-negative counts (use gaussian or studentt).");
    }

    // One member's quantiles [input][level][step] in the data's units.
    private float[][][] MemberQuantiles(NeuralMember member, IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels)
    {
        var c = member.Config;
        int n = inputs.Count, q = levels.Count;
        var result = new float[n][][];
        for (int i = 0; i < n; i++) { result[i] = new float[q][]; for (int j = 0; j < q; j++) result[i][j] = new float[horizon]; }
        if (n == 0) return result;
        if (!c.Recursive)
        {
            var z = Histories(c, inputs, 0, 1);
            var (x, lengths, last, scale) = Windows(c, inputs, z, 0);
            int o = c.OutputSteps;
            Covariates.CovariateBatch? covariates = null;
            if (EncodeCovariates(inputs) is { } encoded)
            {
                covariates = Covariates.CovariateBatch.Create(CovariateEncoder!, n, c.Lookback, o);
                for (int i = 0; i < n; i++) covariates.Fill(i, encoded[i], inputs[i].History.Length, lengths?[i] ?? c.Lookback);
            }
            var predictor = Rent(member);
            var raw = Forward(member, predictor, x, lengths, covariates);                               // (n, O*W)
            Return(member, predictor);
            if (c.Head.Kind == HeadKind.Quantiles)
            {
                var quantiles = HeadOutputs.Quantiles(c.Head, raw);                                     // (n, O, K)
                int kq = c.Head.Levels.Length;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < horizon; k++)
                    {
                        var row = quantiles.Data.AsSpan((i * o + k) * kq, kq);
                        for (int j = 0; j < q; j++)
                            result[i][j][k] = Scaler!.Inverse(inputs[i].Series, HeadOutputs.Interpolate(c.Head.Levels, row, levels[j]) + last[i]);
                    }
                return result;
            }
            var dist = HeadOutputs.Distribution(c.Head, raw, scale);                                     // batch (n, O)
            var values = dist.Quantiles(levels.Select(l => (float)l).ToArray());                        // (n, O, Q)
            bool counts = c.Head.Kind == HeadKind.NegativeBinomial;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < horizon; k++)
                    for (int j = 0; j < q; j++)
                    {
                        float v = values.Data[(i * o + k) * q + j];
                        result[i][j][k] = counts ? v : Scaler!.Inverse(inputs[i].Series, v + last[i]);
                    }
            return result;
        }
        // Recursive: S sample paths per input, each step drawn and fed back; each input draws from its own generator
        // (seeded by the member's seed, its series and its history length), so its paths do not depend on the batch.
        for (int i = 0; i < n; i++) SamplePaths(c, member, inputs[i], horizon, levels, result[i]);
        return result;
    }

    // The quantiles [level][step] of one input's sample paths, written into `result`.
    private void SamplePaths(NeuralConfig c, NeuralMember member, ForecastInput input, int horizon, IReadOnlyList<double> levels, float[][] result)
    {
        int paths = c.Samples;
        var rowInputs = Enumerable.Repeat(input, paths).ToList();
        var zPaths = Histories(c, [input], horizon, paths);
        var rng = new Rng(NeuralEnsemble.MemberSeed(c.Seed ^ 0x5851F42D4C957F2DUL, input.Series * 100003 + input.History.Length));
        int start = zPaths[0].Length - horizon, s = input.Series;
        var predictor = Rent(member);
        for (int done = 0; done < horizon; done++)
        {
            var (x, lengths, last, scale) = Windows(c, rowInputs, zPaths, done);
            var raw = Forward(member, predictor, x, lengths, null);                                      // (S, W)
            if (c.Head.Kind == HeadKind.Quantiles)
            {
                var quantiles = HeadOutputs.Quantiles(c.Head, raw);                                     // (S, 1, K)
                int kq = c.Head.Levels.Length;
                for (int r = 0; r < paths; r++)
                    zPaths[r][start + done] = HeadOutputs.Interpolate(c.Head.Levels, quantiles.Data.AsSpan(r * kq, kq), rng.NextDouble()) + last[r];
                continue;
            }
            var draws = HeadOutputs.Distribution(c.Head, raw, scale).Sample(1, rng);                     // (1, S, 1)
            bool counts = c.Head.Kind == HeadKind.NegativeBinomial;
            for (int r = 0; r < paths; r++)
                zPaths[r][start + done] = counts ? (draws.Data[r] - Scaler!.Mean[s]) / Scaler.Std[s] : draws.Data[r] + last[r];
        }
        Return(member, predictor);
        var sample = new double[paths];
        for (int k = 0; k < horizon; k++)
        {
            for (int p = 0; p < paths; p++) sample[p] = Scaler!.Inverse(s, zPaths[p][start + k]);
            Array.Sort(sample);
            for (int j = 0; j < levels.Count; j++) result[j][k] = (float)ProbabilisticMetrics.SampleQuantile(sample, levels[j]);
        }
    }

    // The member's raw outputs (B, outputs) for the windows x (B, L): through its inference path when it has one (and
    // takes these windows), else its Forward without a tape.
    private static Tensor Forward(NeuralMember member, ForecastNetPredictor? predictor, Tensor x, int[]? lengths, Covariates.CovariateBatch? covariates)
    {
        if (predictor is not null && (lengths is null || predictor.TakesLengths))
        {
            var raw = new Tensor(x.Dim(0), predictor.OutputSize);
            predictor.Run(x.Data, x.Dim(0), x.Dim(1), lengths, covariates is null ? default : covariates.Steps.Data,
                covariates is null ? default : covariates.Head.Data, raw.Data);
            return raw;
        }
        using (Tape.NoGrad()) return member.Net.Forward(x, lengths, covariates);
    }

    // Per input, `copies` rows: the last min(L, history) scaled values, then `horizon` places for the steps fed back.
    private float[][] Histories(NeuralConfig c, IReadOnlyList<ForecastInput> inputs, int horizon, int copies)
    {
        var rows = new float[inputs.Count * copies][];
        for (int i = 0; i < inputs.Count; i++)
        {
            var history = inputs[i].History.Span;
            int m = Math.Min(c.Lookback, history.Length);
            var z = Scaler!.Transform(inputs[i].Series, history[^m..]);
            for (int p = 0; p < copies; p++)
            {
                var row = new float[m + horizon];
                z.CopyTo(row, 0);
                rows[i * copies + p] = row;
            }
        }
        return rows;
    }

    // The network inputs after `done` steps: each row's last min(L, available) values minus its last value (left-aligned,
    // lengths when short), the last values, and (negative binomial heads) each window's count scale (R, 1).
    private (Tensor X, int[]? Lengths, float[] Last, Tensor? Scale) Windows(NeuralConfig c, IReadOnlyList<ForecastInput> rowInputs, float[][] z, int done)
    {
        int l = c.Lookback, rows = z.Length;
        var x = new Tensor(rows, l);
        var lengths = new int[rows];
        var last = new float[rows];
        bool short_ = false;
        var scale = c.Head.Kind == HeadKind.NegativeBinomial ? new Tensor(rows, 1) : null;
        for (int r = 0; r < rows; r++)
        {
            var row = z[r];
            int observed = Math.Min(l, rowInputs[r].History.Length); // the row's observed values; the forecast slots follow
            int end = observed + done, len = Math.Min(l, end), from = end - len;
            lengths[r] = len;
            short_ |= len < l;
            last[r] = row[end - 1];
            for (int k = 0; k < len; k++) x.Data[r * l + k] = row[from + k] - last[r];
            if (scale is not null)
            {
                int s = rowInputs[r].Series;
                scale.Data[r] = CountScale.Of(x.Data.AsSpan(r * l, len), last[r], Scaler!.Std[s], Scaler.Mean[s]);
            }
        }
        return (x, short_ ? lengths : null, last, scale);
    }
}
