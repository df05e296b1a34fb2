namespace Hindsight.Forecasting.Classical.Statistics;

/// <summary>How many differences a series needs, as R's <c>forecast::ndiffs</c> and <c>forecast::nsdiffs</c> decide with their defaults.</summary>
public static class UnitRoots
{
    /// <summary>
    /// R: <c>ndiffs(x, alpha = 0.05, test = "kpss", max.d)</c>: difference while the KPSS p-value is below 0.05 (level
    /// stationarity rejected), stopping at a constant series or <paramref name="maxD"/>.
    /// </summary>
    public static int Ndiffs(ReadOnlySpan<double> x, int maxD = 2, double alpha = 0.05)
    {
        var cur = x.ToArray();
        int d = 0;
        if (SeriesChecks.IsConstant(cur)) return d;
        bool? dodiff = KpssSaysDifference(cur, alpha);
        if (dodiff is null) return d;
        while (dodiff == true && d < maxD)
        {
            d++;
            cur = SeriesChecks.Diff(cur);
            if (SeriesChecks.IsConstant(cur)) return d;
            dodiff = KpssSaysDifference(cur, alpha);
            if (dodiff is null) return d - 1;
        }
        return d;
    }

    // R: runTests with kpss: urca_pval(ur.kpss(x, type = "mu", use.lag = trunc(3 sqrt(n) / 13))) < alpha; an error counts as no
    private static bool? KpssSaysDifference(double[] x, double alpha)
    {
        if (x.Length < 2) return false; // ur.kpss fails on a single value: R warns and keeps d
        double p = Kpss.PValue(Kpss.Statistic(x, Kpss.DefaultLag(x.Length)));
        return double.IsNaN(p) ? null : p < alpha;
    }

    /// <summary>
    /// R: <c>nsdiffs(x, test = "seas", max.D = 1)</c> for a series of period <paramref name="period"/>: 1 when the seasonal
    /// strength of its mstl decomposition exceeds 0.64, else 0 (0 also for constant series, series no longer than a period,
    /// and when STL cannot run: R warns and keeps 0).
    /// </summary>
    public static int Nsdiffs(ReadOnlySpan<double> x, int period, int maxD = 1)
    {
        if (SeriesChecks.IsConstant(x)) return 0;
        if (period <= 1) throw new ArgumentException("Non seasonal data");
        if (period >= x.Length) return 0;
        bool dodiff = SeasonalTest(x, period);
        int D = 0;
        var cur = x.ToArray();
        while (dodiff && D < maxD)
        {
            D++;
            cur = SeriesChecks.Diff(cur, period);
            if (SeriesChecks.IsConstant(cur)) return D;
            dodiff = cur.Length >= 2 * period && D < maxD && SeasonalTest(cur, period);
        }
        return D;
    }

    private static bool SeasonalTest(ReadOnlySpan<double> x, int period)
    {
        try { return SeasonalStrength(x, period) > 0.64; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>
    /// R: <c>forecast:::seas.heuristic</c>: <c>max(0, min(1, 1 - var(remainder) / var(remainder + seasonal)))</c> of
    /// <see cref="Stl.Mstl"/>.
    /// </summary>
    public static double SeasonalStrength(ReadOnlySpan<double> x, int period)
    {
        var fit = Stl.Mstl(x, period);
        double vare = SeriesChecks.Variance(fit.Remainder);
        var sum = new double[x.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = fit.Remainder[i] + fit.Seasonal[i];
        return Math.Max(0, Math.Min(1, 1 - vare / SeriesChecks.Variance(sum)));
    }
}
