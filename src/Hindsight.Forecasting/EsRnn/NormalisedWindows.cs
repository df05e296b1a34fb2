namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// The windows an ES-RNN network learns from, normalised by the per-series exponential smoothing (Smyl 2020): a window with
/// origin t (first forecast period) of series s has inputs <c>log(y[t-L+j] / (l[t-1] S[t-L+j]))</c>, j &lt; L, and targets
/// <c>log(y[t+k] / (l[t-1] S[t + k mod m]))</c>, k &lt; H: divided by the level at the window's end and by the seasonal
/// index, logged. The seasonal indices of the targets are the ones known at the origin (the last m), repeated, as at
/// forecast time. A fused differentiable op: one tape entry back-propagates into <see cref="SeriesSmoothing"/>'s parameters.
/// </summary>
internal static class NormalisedWindows
{
    /// <summary>
    /// The windows <paramref name="windows"/> (series, origin) of positive series <paramref name="y"/> as one tensor
    /// (B, L + H): L inputs then H targets (H = 0 for forecasting). Records its backward when gradients are on.
    /// </summary>
    public static Tensor Build(SeriesSmoothing es, float[][] y, IReadOnlyList<(int S, int T)> windows, int lookback, int horizon)
    {
        int b = windows.Count, width = lookback + horizon, m = es.Season;
        var z = new Tensor(b, width);
        var runs = Runs(es, y, windows.Select(w => w.S));
        for (int i = 0; i < b; i++)
        {
            var (s, t) = windows[i];
            var (level, season) = runs[s];
            double logLevel = Math.Log(level[t - 1]);
            for (int j = 0; j < lookback; j++)
            {
                int u = t - lookback + j;
                z.Data[i * width + j] = (float)(Math.Log(y[s][u]) - logLevel - Math.Log(season[u]));
            }
            for (int k = 0; k < horizon; k++)
                z.Data[i * width + lookback + k] = (float)(Math.Log(y[s][t + k]) - logLevel - Math.Log(season[t + k % m]));
        }
        if (Tape.IsRecording && es.Parameters().Any(p => p.RequiresGrad))
            Tape.RecordCustom(z, () =>
            {
                var dz = Tape.OutputGrad(z);
                var adjoints = runs.ToDictionary(r => r.Key, r => (Level: new double[r.Value.Level.Length], Season: new double[r.Value.Season.Length]));
                for (int i = 0; i < b; i++)
                {
                    var (s, t) = windows[i];
                    var (dLogLevel, dLogSeason) = adjoints[s];
                    for (int j = 0; j < width; j++)
                    {
                        double g = dz[i * width + j];
                        dLogLevel[t - 1] -= g;
                        dLogSeason[j < lookback ? t - lookback + j : t + (j - lookback) % m] -= g;
                    }
                }
                foreach (var (s, (dLogLevel, dLogSeason)) in adjoints)
                    BackwardFromLogs(es, s, y[s], runs[s], dLogLevel, dLogSeason);
            });
        return z;
    }

    /// <summary>
    /// Smyl's level wiggliness penalty: <paramref name="weight"/> times the mean over the distinct series of
    /// <paramref name="seriesIndices"/> of the mean squared change of the log level's step, (d[t] - d[t-1])^2 with
    /// d[t] = log l[t] - log l[t-1], over each series' first <paramref name="trainEnd"/>(s) values. A scalar; differentiable.
    /// </summary>
    public static Tensor LevelPenalty(SeriesSmoothing es, float[][] y, IEnumerable<int> seriesIndices, Func<int, int> trainEnd, float weight)
    {
        var distinct = seriesIndices.Distinct().Order().ToArray();
        var runs = Runs(es, y, distinct);
        var penalty = new Tensor(1);
        double total = 0;
        int counted = 0;
        foreach (int s in distinct)
        {
            int n = trainEnd(s);
            if (n < 3) continue;
            var level = runs[s].Level;
            double sum = 0;
            for (int t = 2; t < n; t++) sum += Square(Math.Log(level[t]) - 2 * Math.Log(level[t - 1]) + Math.Log(level[t - 2]));
            total += sum / (n - 2);
            counted++;
        }
        if (counted == 0) return penalty;
        penalty.Data[0] = (float)(weight * total / counted);
        if (Tape.IsRecording && es.Parameters().Any(p => p.RequiresGrad))
            Tape.RecordCustom(penalty, () =>
            {
                double g = Tape.OutputGrad(penalty)[0] * weight / counted;
                foreach (int s in distinct)
                {
                    int n = trainEnd(s);
                    if (n < 3) continue;
                    var (level, season) = runs[s];
                    var dLogLevel = new double[level.Length];
                    for (int t = 2; t < n; t++)
                    {
                        double e = 2 * g / (n - 2) * (Math.Log(level[t]) - 2 * Math.Log(level[t - 1]) + Math.Log(level[t - 2]));
                        dLogLevel[t] += e; dLogLevel[t - 1] -= 2 * e; dLogLevel[t - 2] += e;
                    }
                    BackwardFromLogs(es, s, y[s], runs[s], dLogLevel, new double[season.Length]);
                }
            });
        return penalty;
    }

    /// <summary>
    /// The forecast origin after all of positive history <paramref name="y"/> (series <paramref name="s"/>'s smoothing):
    /// fills <paramref name="inputs"/> (L) with the normalised last L values and <paramref name="scale"/> (H) with
    /// <c>l[n-1] S[n + k mod m]</c>, the factor that turns exp(normalised forecast k) back into the data's units.
    /// </summary>
    public static void Origin(SeriesSmoothing es, int s, ReadOnlySpan<float> y, Span<float> inputs, Span<double> scale)
    {
        int n = y.Length, lookback = inputs.Length, m = es.Season;
        var level = new double[n];
        var season = new double[n + m];
        es.Run(s, y, level, season);
        double logLevel = Math.Log(level[n - 1]);
        for (int j = 0; j < lookback; j++)
        {
            int u = n - lookback + j;
            inputs[j] = (float)(Math.Log(y[u]) - logLevel - Math.Log(season[u]));
        }
        for (int k = 0; k < scale.Length; k++) scale[k] = level[n - 1] * season[n + k % m];
    }

    private static double Square(double x) => x * x;

    // The recursion of every distinct series (level n, season n + m).
    private static Dictionary<int, (double[] Level, double[] Season)> Runs(SeriesSmoothing es, float[][] y, IEnumerable<int> series)
    {
        var runs = new Dictionary<int, (double[] Level, double[] Season)>();
        foreach (int s in series)
        {
            if (runs.ContainsKey(s)) continue;
            var level = new double[y[s].Length];
            var season = new double[y[s].Length + es.Season];
            es.Run(s, y[s], level, season);
            runs[s] = (level, season);
        }
        return runs;
    }

    // Gradients with respect to log l and log S turned into gradients of l and S (d/dx log x = 1/x), then through the recursion.
    private static void BackwardFromLogs(SeriesSmoothing es, int s, float[] y, (double[] Level, double[] Season) run, double[] dLogLevel, double[] dLogSeason)
    {
        for (int t = 0; t < dLogLevel.Length; t++) dLogLevel[t] /= run.Level[t];
        for (int t = 0; t < dLogSeason.Length; t++) dLogSeason[t] /= run.Season[t];
        es.Backward(s, y, run.Level, run.Season, dLogLevel, dLogSeason);
    }
}
