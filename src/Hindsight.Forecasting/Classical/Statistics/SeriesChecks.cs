namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>Small helpers R's forecast package uses on series.</summary>
public static class SeriesChecks
{
    /// <summary>
    /// R: <c>forecast:::is.constant</c>, i.e. <c>isTRUE(all.equal(x, rep(x[1], n)))</c>: the mean absolute difference from the
    /// first value over the values that differ, relative to their mean absolute value (absolute when that is at most
    /// 1.5e-8), is at most 1.5e-8.
    /// </summary>
    public static bool IsConstant(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return true;
        double first = x[0], sumDiff = 0, sumAbs = 0;
        int count = 0;
        foreach (var v in x)
        {
            if (v == first) continue;
            sumDiff += Math.Abs(v - first);
            sumAbs += Math.Abs(v);
            count++;
        }
        if (count == 0) return true;
        double xy = sumDiff / count, xn = sumAbs / count;
        if (double.IsFinite(xn) && xn > 1.5e-8) xy /= xn;
        return !(double.IsNaN(xy) || xy > 1.5e-8);
    }

    /// <summary>R: <c>var(x)</c> (denominator n - 1).</summary>
    public static double Variance(ReadOnlySpan<double> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double s = 0;
        foreach (var v in x) s += (v - mean) * (v - mean);
        return s / (x.Length - 1);
    }

    /// <summary>Lag-<paramref name="lag"/> differences applied <paramref name="times"/> times (R: <c>diff(x, lag, differences)</c>).</summary>
    public static double[] Diff(ReadOnlySpan<double> x, int lag = 1, int times = 1)
    {
        var cur = x.ToArray();
        for (int t = 0; t < times; t++)
        {
            if (cur.Length <= lag) return [];
            var next = new double[cur.Length - lag];
            for (int i = 0; i < next.Length; i++) next[i] = cur[i + lag] - cur[i];
            cur = next;
        }
        return cur;
    }
}
