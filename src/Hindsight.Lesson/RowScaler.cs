using Hindsight.Data;
using Hindsight.Forecasting.Data;
namespace Hindsight.Lesson;

/// <summary>How each series (row) of a <see cref="WideSeries"/> is scaled before training.</summary>
public enum SeriesScaling
{
    /// <summary>Each row divided by its mean, so values sit near 1 (like the seed's 1.x-2.x daily index).</summary>
    Mean,
    /// <summary>Values used as read.</summary>
    None,
    /// <summary>Each row shifted by its mean and divided by its (population) standard deviation.</summary>
    Standard,
}

/// <summary>
/// Per-row affine scaling: <c>scaled = (value - Offset[row]) / Scale[row]</c>. Fitted on a table and invertible,
/// so predictions can be read back in the data's units.
/// </summary>
/// <param name="Kind">The scaling rule.</param>
/// <param name="Offset">Subtracted from each row (0 for mean and none).</param>
/// <param name="Scale">Each row is divided by this (1 for none).</param>
public sealed record RowScaler(SeriesScaling Kind, float[] Offset, float[] Scale)
{
    /// <summary>Fits the rule to every row of <paramref name="data"/>.</summary>
    /// <exception cref="DataFormatException">A row whose mean is 0 (mean scaling) or whose values are all equal (standard scaling).</exception>
    public static RowScaler Fit(WideSeries data, SeriesScaling kind)
    {
        int rows = data.Rows;
        var offset = new float[rows];
        var scale = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = data.Row(r);
            double mean = 0;
            foreach (var v in row) mean += v;
            mean /= row.Length;
            switch (kind)
            {
                case SeriesScaling.None:
                    scale[r] = 1f;
                    break;
                case SeriesScaling.Mean:
                    if (mean == 0 || !double.IsFinite(mean))
                        throw new DataFormatException(data.Source, data.Lines[r], data.Periods[0], $"the row's mean is {mean}; scaling mean divides by it (use standard or none).");
                    scale[r] = (float)mean;
                    break;
                case SeriesScaling.Standard:
                    double ss = 0;
                    foreach (var v in row) ss += (v - mean) * (v - mean);
                    double sd = Math.Sqrt(ss / row.Length);
                    if (sd == 0 || !double.IsFinite(sd))
                        throw new DataFormatException(data.Source, data.Lines[r], data.Periods[0], $"every value of the row is {mean}; scaling standard divides by the standard deviation 0 (use mean or none).");
                    offset[r] = (float)mean;
                    scale[r] = (float)sd;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scaling.");
            }
        }
        return new RowScaler(kind, offset, scale);
    }

    /// <summary>The table with every row scaled.</summary>
    public WideSeries Transform(WideSeries data)
    {
        var values = new float[data.Values.Length];
        for (int r = 0; r < data.Rows; r++)
            for (int c = 0; c < data.PeriodCount; c++)
                values[r * data.PeriodCount + c] = (data.Values[r * data.PeriodCount + c] - Offset[r]) / Scale[r];
        return data.WithValues(values);
    }

    /// <summary>A scaled value of row <paramref name="row"/> back in the data's units.</summary>
    public float Inverse(int row, float scaled) => scaled * Scale[row] + Offset[row];

    /// <summary>Parses <c>mean</c>, <c>none</c> or <c>standard</c> (case-insensitive).</summary>
    public static SeriesScaling Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "mean" => SeriesScaling.Mean,
        "none" => SeriesScaling.None,
        "standard" => SeriesScaling.Standard,
        _ => throw new ArgumentException($"unknown scaling '{text}'; expected mean, none or standard."),
    };
}
