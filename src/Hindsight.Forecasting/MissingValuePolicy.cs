using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>What a reader does with a missing value (an empty, NaN or NA cell, or a period absent from the dates).</summary>
public enum MissingValuePolicy
{
    /// <summary>Fail with a <see cref="Hindsight.Data.DataFormatException"/> naming the file, row and column (the default).</summary>
    Error,
    /// <summary>Carry the last observed value forward.</summary>
    [SettingValue("ffill")]
    ForwardFill,
    /// <summary>Interpolate linearly between the observed neighbours; a missing tail carries the last value forward.</summary>
    Linear,
}

/// <summary>Parsing and applying <see cref="MissingValuePolicy"/>.</summary>
public static class MissingValues
{
    /// <summary>Parses <c>error</c>, <c>ffill</c> or <c>linear</c> (case-insensitive).</summary>
    public static MissingValuePolicy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "error" or "none" => MissingValuePolicy.Error,
        "ffill" => MissingValuePolicy.ForwardFill,
        "linear" => MissingValuePolicy.Linear,
        _ => throw new ArgumentException($"unknown fill '{text}'; expected error, ffill or linear."),
    };

    /// <summary>
    /// Fills the NaN entries of <paramref name="values"/> in place by <paramref name="policy"/> (not <see cref="MissingValuePolicy.Error"/>)
    /// and returns how many were filled. Leading NaNs (before the first observation) are not filled: the caller drops them.
    /// </summary>
    public static int Fill(float[] values, MissingValuePolicy policy)
    {
        int filled = 0, last = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsNaN(values[i])) { last = i; continue; }
            if (last < 0) continue;
            int next = i;
            while (next < values.Length && float.IsNaN(values[next])) next++;
            for (int j = i; j < next; j++)
            {
                values[j] = policy == MissingValuePolicy.Linear && next < values.Length
                    ? values[last] + (values[next] - values[last]) * (j - last) / (next - last)
                    : values[last];
                filled++;
            }
            i = next - 1;
        }
        return filled;
    }
}
