namespace Hindsight.Forecasting;

/// <summary>
/// The range a forecast may reach before it is called implausible: <c>[min - r, max + r]</c> of the history it started
/// from, with <c>r = max - min</c> (the history's range), or <c>|mean|</c> when the history is constant, or 1 when it is
/// constant at 0. A forecast leaving it (the linear AR's -198,753 on an 80-point series) is warned about and never chosen
/// by <see cref="AutoForecaster"/>.
/// </summary>
public static class SaneRange
{
    /// <summary>The bounds <c>[min - r, max + r]</c> of <paramref name="history"/> (see the class remarks for r).</summary>
    /// <exception cref="ArgumentException">An empty history.</exception>
    public static (double Lower, double Upper) Bounds(ReadOnlySpan<float> history)
    {
        if (history.IsEmpty) throw new ArgumentException("sane range: empty history.", nameof(history));
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        foreach (float v in history) { min = Math.Min(min, v); max = Math.Max(max, v); sum += v; }
        double r = max - min;
        if (r == 0) r = Math.Abs(sum / history.Length);
        if (r == 0) r = 1;
        return (min - r, max + r);
    }

    /// <summary>Index of the first value of <paramref name="forecast"/> outside the bounds of <paramref name="history"/>, or -1 when all are inside.</summary>
    public static int FirstOutside(ReadOnlySpan<float> history, ReadOnlySpan<float> forecast)
    {
        var (lo, hi) = Bounds(history);
        for (int i = 0; i < forecast.Length; i++)
            if (!(forecast[i] >= lo && forecast[i] <= hi)) return i;
        return -1;
    }

    /// <summary>A one-line note for a forecast leaving the range, or null when it stays inside.</summary>
    public static string? Check(string model, ReadOnlySpan<float> history, ReadOnlySpan<float> forecast)
    {
        int i = FirstOutside(history, forecast);
        if (i < 0) return null;
        var (lo, hi) = Bounds(history);
        return $"{model}: forecast step {i + 1} is {G(forecast[i])}, outside the sane range [{G(lo)}, {G(hi)}] of its history (min - range, max + range).";
    }

    private static string G(double v) => v.ToString("G5", System.Globalization.CultureInfo.InvariantCulture);
}
