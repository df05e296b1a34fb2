namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// DeepAR's scale of a window of counts: 1 + the mean of its values in the data's units (GluonTS's <c>MeanScaler</c> with
/// minimum 1), by which the negative binomial head's mean is multiplied, so one network serves series of any level.
/// </summary>
public static class CountScale
{
    /// <summary>The scale of a network input window <paramref name="changes"/> (scaled values minus <paramref name="last"/>), the series' scaler <paramref name="std"/> and <paramref name="mean"/>.</summary>
    public static float Of(ReadOnlySpan<float> changes, float last, float std, float mean)
    {
        if (changes.IsEmpty) return 1;
        double sum = 0;
        foreach (float c in changes) sum += Math.Abs((c + last) * (double)std + mean);
        return (float)(1 + sum / changes.Length);
    }
}
