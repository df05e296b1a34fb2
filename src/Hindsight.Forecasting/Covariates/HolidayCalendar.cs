using Hindsight.Data;
using Hindsight.Forecasting.Data;
using nietras.SeparatedValues;

namespace Hindsight.Forecasting.Covariates;

/// <summary>
/// Holiday dates read from a CSV (a <c>date</c> or <c>ds</c> column, or the first column; optionally a <c>name</c> or
/// <c>holiday</c> column), turned into 0/1 future covariates: 1 for a period that overlaps a holiday (a day, the week
/// or month containing it, or every hour of that day in hourly data).
/// </summary>
/// <param name="Dates">The holidays and their names (empty name: unnamed).</param>
/// <param name="ByName">Whether each name gets its own column (else one column <c>holiday</c>).</param>
public sealed record HolidayCalendar(IReadOnlyList<(DateTime Date, string Name)> Dates, bool ByName)
{
    /// <summary>The covariate names: <c>holiday</c>, or <c>holiday_NAME</c> per distinct name.</summary>
    public IReadOnlyList<string> Names => ByName
        ? Dates.Select(d => d.Name.Length == 0 ? "holiday" : "holiday_" + d.Name).Distinct().Order(StringComparer.Ordinal).ToArray()
        : ["holiday"];

    /// <summary>Reads the holidays file.</summary>
    /// <exception cref="DataFormatException">Missing file, no date column, or a cell that is not a date.</exception>
    public static HolidayCalendar Load(string path, bool byName)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "holidays file not found.");
        using var reader = Sep.New(',').Reader(c => c with { HasHeader = true, DisableColCountCheck = true, Unescape = true }).FromText(DataFile.ReadText(path));
        var header = reader.Header.ColNames.ToArray();
        if (header.Length == 0) throw new DataFormatException(path, 1, null, "the holidays file is empty (expected a header line with a date column).");
        int date = Math.Max(0, Array.FindIndex(header, h => h.Trim().ToLowerInvariant() is "date" or "ds"));
        int name = Array.FindIndex(header, h => h.Trim().ToLowerInvariant() is "name" or "holiday");
        var dates = new List<(DateTime, string)>();
        foreach (var row in reader)
        {
            string text = row[date].ToString().Trim();
            if (text.Length == 0) continue;
            if (!SeriesCsv.TryDate(text, out var d))
                throw new DataFormatException(path, row.LineNumberFrom, header[date], $"'{text}' is not a date (ISO 8601, e.g. 2020-12-25).");
            dates.Add((d.Date, name >= 0 && name < row.ColCount ? row[name].ToString().Trim() : ""));
        }
        if (dates.Count == 0) throw new DataFormatException(path, 2, null, "no holiday dates.");
        return new HolidayCalendar(dates, byName);
    }

    /// <summary>
    /// The indicator columns over periods [dates[i], dates[i + 1]) for i &lt; dates.Length - 1 (the last date only closes
    /// the last period): 1 where the period overlaps a holiday's day [date, date + 1 day).
    /// </summary>
    public IEnumerable<float[]> Columns(ReadOnlySpan<DateTime> dates)
    {
        var names = Names;
        int periods = dates.Length - 1;
        var columns = names.Select(_ => new float[periods]).ToArray();
        var sorted = Dates.OrderBy(d => d.Date).ToArray();
        for (int i = 0; i + 1 < dates.Length; i++)
        {
            DateTime from = dates[i], to = dates[i + 1];
            foreach (var (d, n) in sorted)
            {
                if (d.AddDays(1) <= from) continue;
                if (d >= to) break;
                int c = ByName ? Array.IndexOf(names.ToArray(), n.Length == 0 ? "holiday" : "holiday_" + n) : 0;
                columns[c][i] = 1;
            }
        }
        return columns;
    }
}
