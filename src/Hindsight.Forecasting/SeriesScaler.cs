namespace Hindsight.Forecasting;

/// <summary>
/// Per-series standard scaling <c>z = (x - Mean[s]) / Std[s]</c>, fitted on training values only (population standard
/// deviation; a constant series gets Std 1 so it is only shifted).
/// </summary>
/// <param name="Mean">Mean of each series' training values.</param>
/// <param name="Std">Standard deviation of each series' training values (1 where it is 0).</param>
public sealed record SeriesScaler(float[] Mean, float[] Std)
{
    /// <summary>Fits one scaler per series on the first <paramref name="trainLength"/>(s) values of each.</summary>
    public static SeriesScaler Fit(IReadOnlyList<float[]> series, Func<int, int> trainLength)
    {
        var mean = new float[series.Count];
        var std = new float[series.Count];
        for (int s = 0; s < series.Count; s++)
        {
            var x = series[s].AsSpan(0, Math.Max(1, Math.Min(series[s].Length, trainLength(s))));
            double m = 0;
            foreach (var v in x) m += v;
            m /= x.Length;
            double ss = 0;
            foreach (var v in x) ss += (v - m) * (v - m);
            double sd = Math.Sqrt(ss / x.Length);
            mean[s] = (float)m;
            std[s] = sd > 1e-12 * Math.Max(1, Math.Abs(m)) ? (float)sd : 1f;
        }
        return new SeriesScaler(mean, std);
    }

    /// <summary>Scaled copy of <paramref name="values"/> of series <paramref name="s"/>.</summary>
    public float[] Transform(int s, ReadOnlySpan<float> values)
    {
        var z = new float[values.Length];
        for (int i = 0; i < z.Length; i++) z[i] = (values[i] - Mean[s]) / Std[s];
        return z;
    }

    /// <summary>A scaled value of series <paramref name="s"/> back in the data's units.</summary>
    public float Inverse(int s, float z) => z * Std[s] + Mean[s];
}
