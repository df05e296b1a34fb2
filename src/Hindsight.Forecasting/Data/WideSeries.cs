using System.Globalization;
using Hindsight.Data;
using nietras.SeparatedValues;

namespace Hindsight.Forecasting.Data;

/// <summary>
/// A table of series in the "wide" layout written by pandas: one row per series, one column per period, and a
/// first column holding the row label (pandas writes its unnamed index there, read back as <c>Unnamed: 0</c>;
/// the seed tutorial drops it, and so does <see cref="Load"/>).
/// </summary>
/// <remarks>
/// Guarantees: every value is finite; every row has <see cref="PeriodCount"/> values; <see cref="Values"/> is
/// (rows, periods) row-major. Errors name the file, the 1-based line and the column's header name.
/// </remarks>
public sealed class WideSeries
{
    /// <summary>The file the table was read from (used in error messages).</summary>
    public string Source { get; }
    /// <summary>Header names of the period columns (the label column excluded).</summary>
    public IReadOnlyList<string> Periods { get; }
    /// <summary>The first (label / index) cell of each row.</summary>
    public IReadOnlyList<string> RowLabels { get; }
    /// <summary>1-based line in <see cref="Source"/> of each row.</summary>
    public IReadOnlyList<int> Lines { get; }
    /// <summary>Values, (rows, periods) row-major.</summary>
    public float[] Values { get; }

    /// <summary>Number of series (rows).</summary>
    public int Rows => RowLabels.Count;
    /// <summary>Number of periods (value columns).</summary>
    public int PeriodCount => Periods.Count;

    /// <summary>Creates a table; <paramref name="values"/> must hold rows * periods numbers.</summary>
    public WideSeries(string source, IReadOnlyList<string> periods, IReadOnlyList<string> rowLabels, IReadOnlyList<int> lines, float[] values)
    {
        if (values.Length != periods.Count * rowLabels.Count || lines.Count != rowLabels.Count)
            throw new ArgumentException($"WideSeries: {values.Length} values for {rowLabels.Count} rows x {periods.Count} periods ({lines.Count} line numbers).");
        Source = source; Periods = periods; RowLabels = rowLabels; Lines = lines; Values = values;
    }

    /// <summary>The values of row <paramref name="row"/> (0-based).</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * PeriodCount, PeriodCount);

    /// <summary>The same table with other values (same layout), for example after scaling.</summary>
    public WideSeries WithValues(float[] values) => new(Source, Periods, RowLabels, Lines, values);

    /// <summary>
    /// Fails with a <see cref="DataFormatException"/> (naming the header line and the last column) when the table has
    /// fewer than <paramref name="count"/> periods; <paramref name="why"/> says what needs them.
    /// </summary>
    public void RequirePeriods(int count, string why)
    {
        if (PeriodCount < count)
            throw new DataFormatException(Source, 1, PeriodCount > 0 ? Periods[^1] : null,
                $"{PeriodCount} periods (columns after the index), but {why} needs at least {count}.");
    }

    /// <summary>
    /// Reads a comma-separated wide table with Sep: header line first (its first cell, the index name, is usually
    /// empty), then one line per series <c>label,v1,...,vn</c>. Empty cells and NaN are missing values and are
    /// rejected, as are non-numbers and rows with a different number of cells than the header.
    /// </summary>
    /// <exception cref="DataFormatException">Missing or empty file, no data rows, a bad cell (file, line, column).</exception>
    public static WideSeries Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found.");
        if (new FileInfo(path).Length == 0) throw new DataFormatException(path, 1, null, "the file is empty (expected a header line: index, then one column per period).");
        try
        {
            return Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or FormatException)
        {
            // Sep reports malformed text (e.g. an unterminated quote or duplicate header names) with these.
            throw new DataFormatException(path, null, null, $"not a readable CSV table ({ex.Message}).");
        }
    }

    private static WideSeries Read(string path)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = true, DisableColCountCheck = true, Unescape = true }).FromText(DataFile.ReadText(path));
        var header = reader.Header.ColNames;
        if (reader.Header.IsEmpty || header.Count == 0) throw new DataFormatException(path, 1, null, "the file is empty (expected a header line).");
        if (header.Count < 2) throw new DataFormatException(path, 1, null, $"the header has {header.Count} column; expected the index column and at least one period column.");
        var periods = header.Skip(1).ToArray();
        var labels = new List<string>();
        var lines = new List<int>();
        var values = new List<float>();
        foreach (var row in reader)
        {
            int line = row.LineNumberFrom;
            if (row.ColCount != header.Count)
                throw new DataFormatException(path, line, null, $"{row.ColCount} cells, but the header has {header.Count} (index + {periods.Length} periods).");
            labels.Add(row[0].ToString());
            lines.Add(line);
            for (int c = 1; c < row.ColCount; c++)
            {
                var cell = row[c].Span.Trim();
                if (DataFile.ControlProblem(cell) is { } bad) throw new DataFormatException(path, line, periods[c - 1], bad);
                if (cell.Length == 0 || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase) || cell.Equals("NA", StringComparison.OrdinalIgnoreCase))
                    throw new DataFormatException(path, line, periods[c - 1], $"missing value ('{cell}'); fill or drop the gap before training.");
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new DataFormatException(path, line, periods[c - 1], $"'{cell}' is not a finite number.");
                values.Add(v);
            }
        }
        if (labels.Count == 0) throw new DataFormatException(path, 2, null, "no data rows after the header.");
        return new WideSeries(path, periods, labels, lines, values.ToArray());
    }
}
