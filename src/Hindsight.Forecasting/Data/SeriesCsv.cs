using System.Globalization;
using Hindsight.Data;
using Hindsight.Forecasting;
using nietras.SeparatedValues;

namespace Hindsight.Forecasting.Data;

/// <summary>Which columns of a CSV file hold the series id, the time and the value, and what to do with gaps.</summary>
public sealed record SeriesCsvOptions
{
    /// <summary>Column naming the series (long layout); default: a column called <c>series</c>, <c>unique_id</c> or <c>id</c>.</summary>
    [Hindsight.Settings.Setting("Series id column of a long CSV", DefaultText = "series, unique_id or id")]
    public string? IdColumn { get; init; }
    /// <summary>Column holding dates or integer periods; default: <c>date</c>, <c>ds</c>, <c>time</c>, <c>timestamp</c> or <c>period</c>.</summary>
    [Hindsight.Settings.Setting("Date or period column", DefaultText = "date, ds, time, timestamp or period")]
    public string? TimeColumn { get; init; }
    /// <summary>Column holding the values; default: <c>value</c> or <c>y</c>, or the only column left besides id and time.</summary>
    [Hindsight.Settings.Setting("Value column", DefaultText = "value or y, or the only other column")]
    public string? ValueColumn { get; init; }
    /// <summary>Missing values and missing periods: an error (default) or filled.</summary>
    [Hindsight.Settings.Setting("Missing values and missing dates: error, or fill them (ffill: last value carried forward, linear: interpolated)")]
    public MissingValuePolicy Fill { get; init; } = MissingValuePolicy.Error;
    /// <summary>
    /// Whether rows after a series' last value with an empty value cell are future rows (known-ahead covariates for the
    /// forecast) rather than missing values; they are dropped from the series (<see cref="Covariates.CovariateCsv"/> reads
    /// their covariates). Set by the covariate reader, not a user setting.
    /// </summary>
    public bool FutureRows { get; init; }
}

/// <summary>
/// Reads a <see cref="TimeSeries"/> from CSV in one of three layouts, chosen by the columns found:
/// <list type="bullet">
/// <item><b>long</b> (an id column and a time column): one row per (series, time, value), any row order, as NeuralForecast's
/// <c>unique_id, ds, y</c>;</item>
/// <item><b>single</b> (a time column, no id column): one series, e.g. <c>Date,CO2,adjusted CO2</c> with <c>ValueColumn = "CO2"</c>;</item>
/// <item><b>wide</b> (neither): the seed tutorial's table read by <see cref="WideSeries"/> (one row per series, one column per
/// period; headers that are regular dates such as <c>2000-01</c> become the dates). Missing cells there are always an error.</item>
/// </list>
/// Times are integer periods when every time cell is an integer, otherwise dates or timestamps (ISO 8601:
/// <c>2020-01-31</c>, <c>2020-01-31 13:00:00</c>, <c>2020-01-31T13:00:00Z</c>; offsets are converted to UTC); the frequency
/// is the greatest common step between consecutive times, in hours (or minutes, when the minutes past the hour differ)
/// when some series has times at most 12 hours apart, else in months when every date falls on the same day of the
/// month, else in days (<see cref="Frequency.UnitOf"/>).
/// Errors are <see cref="DataFormatException"/>s naming the file, the 1-based line and the column.
/// A <c>.json</c> file holding an array of flat records is read like a long (or single-series) CSV whose columns are
/// the records' fields; rows in its messages are record numbers.
/// </summary>
public static class SeriesCsv
{
    internal static readonly string[] IdNames = ["series", "unique_id", "id"];
    internal static readonly string[] TimeNames = ["date", "ds", "time", "timestamp", "period"];
    internal static readonly string[] ValueNames = ["value", "y"];

    /// <summary>Most periods one series may span (gaps included), so a stray far-off date cannot allocate gigabytes.</summary>
    public const int MaxLength = 50_000_000;

    /// <summary>
    /// Largest magnitude of an integer period (10^18): periods lie in [-MaxPeriod, MaxPeriod], so differences between them
    /// and the numbers of the periods forecast after them stay far inside <see cref="long"/>.
    /// </summary>
    public const long MaxPeriod = 1_000_000_000_000_000_000;

    private readonly record struct Cell(string Id, string Time, float Value, int Line);

    /// <summary>Reads <paramref name="path"/>; see the class remarks for layouts and rules.</summary>
    /// <exception cref="DataFormatException">Missing file, unknown column, bad date or number, duplicate time, or a missing
    /// value or period under <see cref="MissingValuePolicy.Error"/>.</exception>
    public static TimeSeries Load(string path, SeriesCsvOptions? options = null)
    {
        options ??= new SeriesCsvOptions();
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found.");
        if (new FileInfo(path).Length == 0) throw new DataFormatException(path, 1, null, "the file is empty (expected a header line).");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return ReadJson(path, options);
        try
        {
            return Read(path, options);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or FormatException)
        {
            throw new DataFormatException(path, null, null, $"not a readable CSV table ({ex.Message}).");
        }
    }

    // A JSON array of flat records (vega-datasets style), read like a long or single-series CSV whose columns are the
    // first record's property names; "rows" in messages are 1-based record numbers.
    private static TimeSeries ReadJson(string path, SeriesCsvOptions o)
    {
        System.Text.Json.JsonDocument doc;
        var bytes = DataFile.ReadBytes(path);
        int bom = bytes.Length - DataFile.SkipBom(path, bytes).Length; // strict UTF-8 first: an error names line and byte
        try { doc = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(bom)); }
        catch (System.Text.Json.JsonException ex) { throw new DataFormatException(path, ex.LineNumber is long l ? (int)l + 1 : null, null, $"not valid JSON ({ex.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Array || root.GetArrayLength() == 0 || root[0].ValueKind != System.Text.Json.JsonValueKind.Object)
                throw new DataFormatException(path, null, null, "expected a JSON array of records (objects), e.g. [{\"series\": \"a\", \"date\": \"2020-01-01\", \"value\": 1}, ...].");
            var header = root[0].EnumerateObject().Select(p => p.Name).ToArray();
            string? id = Resolve(path, header, o.IdColumn, IdNames, "idColumn");
            string time = Resolve(path, header, o.TimeColumn, TimeNames, "timeColumn")
                ?? throw new DataFormatException(path, 1, null, $"no time field (looked for {string.Join(", ", TimeNames)}; fields are {List(header)}); name it with timeColumn.");
            string value = Resolve(path, header, o.ValueColumn, ValueNames, "valueColumn")
                ?? throw new DataFormatException(path, 1, null, $"no value field named value or y (fields are {List(header)}); choose one with valueColumn.");
            var cells = new List<Cell>();
            int record = 0;
            foreach (var item in root.EnumerateArray())
            {
                record++;
                if (item.ValueKind != System.Text.Json.JsonValueKind.Object) throw new DataFormatException(path, record, null, $"record {record} is not an object.");
                string Text(string field)
                {
                    if (!item.TryGetProperty(field, out var e)) throw new DataFormatException(path, record, field, $"record {record} has no field '{field}'.");
                    try { return e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString()! : e.GetRawText(); }
                    catch (InvalidOperationException) { throw new DataFormatException(path, record, field, $"record {record}: the string {e.GetRawText()} is not valid Unicode (a lone surrogate escape)."); }
                }
                string seriesId = id is null ? value : Text(id).Trim();
                if (seriesId.Length == 0) throw new DataFormatException(path, record, id, "empty series id.");
                if (DataFile.IndexOfControl(seriesId) is int badChar && badChar >= 0)
                    throw new DataFormatException(path, record, id, $"the series id contains the control character U+{(int)seriesId[badChar]:X4} at position {badChar + 1}.");
                var raw = item.TryGetProperty(value, out var ve) ? ve : default;
                float x;
                if (raw.ValueKind is System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined)
                {
                    if (o.Fill == MissingValuePolicy.Error && !o.FutureRows)
                        throw new DataFormatException(path, record, value, $"record {record}: missing value; fill it or set fill to ffill or linear.");
                    x = float.NaN;
                }
                else if (raw.ValueKind != System.Text.Json.JsonValueKind.Number || !raw.TryGetSingle(out x) || !float.IsFinite(x))
                    throw new DataFormatException(path, record, value, $"record {record}: {raw.GetRawText()} is not a finite number.");
                string t = Text(time).Trim();
                if (DataFile.ControlProblem(t) is { } bad) throw new DataFormatException(path, record, time, $"record {record}: {bad}");
                cells.Add(new Cell(seriesId, t, x, record));
            }
            return Build(path, cells, id, time, value, o.Fill, o.FutureRows);
        }
    }

    private static TimeSeries Read(string path, SeriesCsvOptions o)
    {
        List<Cell> cells;
        string idCol, timeCol, valueCol;
        bool single;
        using (var reader = Sep.New(',').Reader(c => c with { HasHeader = true, DisableColCountCheck = true, Unescape = true }).FromText(DataFile.ReadText(path)))
        {
            var header = reader.Header.ColNames.ToArray();
            if (header.Length == 0) throw new DataFormatException(path, 1, null, "the file is empty (expected a header line).");
            string? id = Resolve(path, header, o.IdColumn, IdNames, "idColumn");
            string? time = Resolve(path, header, o.TimeColumn, TimeNames, "timeColumn");
            if (time is null)
            {
                if (id is not null || o.ValueColumn is not null)
                    throw new DataFormatException(path, 1, null, $"no time column (looked for {string.Join(", ", TimeNames)}; columns are {List(header)}); name it with timeColumn.");
                return FromWide(WideSeries.Load(path));
            }
            string? value = Resolve(path, header, o.ValueColumn, ValueNames, "valueColumn");
            if (value is null)
            {
                var rest = header.Where(h => h != id && h != time).ToArray();
                if (rest.Length != 1)
                    throw new DataFormatException(path, 1, null, rest.Length == 0
                        ? $"no value column besides {List(header)}."
                        : $"several possible value columns ({List(rest)}); choose one with valueColumn.");
                value = rest[0];
            }
            if (value == time || value == id) throw new DataFormatException(path, 1, value, "the value column is also the id or time column.");
            single = id is null;
            idCol = id ?? value; timeCol = time; valueCol = value;
            int idIndex = id is null ? -1 : Array.IndexOf(header, id), timeIndex = Array.IndexOf(header, time), valueIndex = Array.IndexOf(header, value);
            cells = [];
            foreach (var row in reader)
            {
                int line = row.LineNumberFrom;
                if (row.ColCount != header.Length)
                    throw new DataFormatException(path, line, null, $"{row.ColCount} cells, but the header has {header.Length}.");
                string seriesId = idIndex < 0 ? value : row[idIndex].ToString().Trim();
                if (seriesId.Length == 0) throw new DataFormatException(path, line, id, "empty series id.");
                if (DataFile.IndexOfControl(seriesId) is int badChar && badChar >= 0)
                    throw new DataFormatException(path, line, id, $"the series id contains the control character U+{(int)seriesId[badChar]:X4} at position {badChar + 1}.");
                var v = row[valueIndex].Span.Trim();
                if (DataFile.ControlProblem(v) is { } bad) throw new DataFormatException(path, line, value, bad);
                var t = row[timeIndex].Span.Trim();
                if (DataFile.ControlProblem(t) is { } badTime) throw new DataFormatException(path, line, time, badTime);
                float x;
                if (v.Length == 0 || v.Equals("NaN", StringComparison.OrdinalIgnoreCase) || v.Equals("NA", StringComparison.OrdinalIgnoreCase))
                {
                    if (o.Fill == MissingValuePolicy.Error && !o.FutureRows)
                        throw new DataFormatException(path, line, value, $"missing value ('{v}'); fill it in the file or set fill to ffill or linear.");
                    x = float.NaN;
                }
                else if (!float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out x) || !float.IsFinite(x))
                    throw new DataFormatException(path, line, value, $"'{v}' is not a finite number.");
                cells.Add(new Cell(seriesId, t.ToString(), x, line));
            }
        }
        if (cells.Count == 0) throw new DataFormatException(path, 2, null, "no data rows after the header.");
        return Build(path, cells, single ? null : idCol, timeCol, valueCol, o.Fill, o.FutureRows);
    }

    internal static string? Resolve(string path, string[] header, string? asked, string[] defaults, string option)
    {
        if (asked is not null)
        {
            var hit = header.FirstOrDefault(h => h == asked) ?? header.FirstOrDefault(h => string.Equals(h, asked, StringComparison.OrdinalIgnoreCase));
            return hit ?? throw new DataFormatException(path, 1, asked, $"no such column ({option}); the columns are {List(header)}.");
        }
        foreach (var name in defaults)
        {
            var hit = header.FirstOrDefault(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (hit is not null) return hit;
        }
        return null;
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static TimeSeries Build(string path, List<Cell> cells, string? idCol, string timeCol, string valueCol, MissingValuePolicy fill, bool futureRows = false)
    {
        // Time axis: integers -> plain periods; otherwise dates.
        bool periods = cells.All(c => long.TryParse(c.Time, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        var dates = new DateTime[cells.Count];
        if (!periods)
            for (int i = 0; i < cells.Count; i++)
                if (!TryDate(cells[i].Time, out dates[i]))
                    throw new DataFormatException(path, cells[i].Line, timeCol, $"'{cells[i].Time}' is not a date (ISO 8601, e.g. 2020-01-31 or 2020-01-31 13:00:00) or an integer period.");
        TimeUnit unit = periods ? TimeUnit.Period
            : Frequency.UnitOf(Enumerable.Range(0, cells.Count).GroupBy(i => cells[i].Id, StringComparer.Ordinal).Select(g => g.Select(i => dates[i])))
                ?? throw SubMinute(path, cells, dates, timeCol);
        var ordinals = new long[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            ordinals[i] = periods ? long.Parse(cells[i].Time, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : Frequency.Ordinal(dates[i], unit);
            if (periods && (ordinals[i] > MaxPeriod || ordinals[i] < -MaxPeriod))
                throw new DataFormatException(path, cells[i].Line, timeCol,
                    $"integer period {cells[i].Time} is outside [-{MaxPeriod}, {MaxPeriod}], the range in which periods (and the forecasts after them) are numbered.");
        }

        // Group by id in order of first appearance; sort each series by time.
        var groups = new List<(string Id, List<int> Rows)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < cells.Count; i++)
        {
            if (!index.TryGetValue(cells[i].Id, out int g)) { g = groups.Count; index[cells[i].Id] = g; groups.Add((cells[i].Id, [])); }
            groups[g].Rows.Add(i);
        }
        // A file may mix calendar frequencies (yearly, quarterly and monthly series; weekly and daily): a series whose own
        // greatest common step is a named calendar frequency (Frequency.IsNamedCalendar) keeps it; every other series
        // (integer periods, one-row series, irregular steps) takes the file's greatest common step, so a gap in it is
        // still a missing period. Differences are taken in Int128: two ordinals near opposite ends of long
        // would overflow a long difference.
        var steps = new Int128[groups.Count];
        Int128 fileStep = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var (id, rows) = groups[g];
            rows.Sort((a, b) => ordinals[a] != ordinals[b] ? ordinals[a].CompareTo(ordinals[b]) : cells[a].Line.CompareTo(cells[b].Line));
            for (int k = 1; k < rows.Count; k++)
            {
                Int128 d = (Int128)ordinals[rows[k]] - ordinals[rows[k - 1]];
                if (d == 0)
                    throw new DataFormatException(path, cells[rows[k]].Line, timeCol, $"series '{id}' has time '{cells[rows[k]].Time}' twice (also on line {cells[rows[k - 1]].Line}).");
                steps[g] = Gcd(steps[g], d);
            }
            fileStep = Gcd(fileStep, steps[g]);
        }
        if (fileStep == 0) fileStep = 1;
        if (fileStep > int.MaxValue) throw new DataFormatException(path, cells[0].Line, timeCol, $"times are {fileStep} units apart; too sparse to be a series.");
        for (int g = 0; g < groups.Count; g++)
            if (steps[g] == 0 || periods || steps[g] > int.MaxValue || !new Frequency(unit, (int)steps[g]).IsNamedCalendar) steps[g] = fileStep;
        var fileFrequency = new Frequency(periods ? TimeUnit.Period : unit, (int)fileStep);

        var items = new List<Series>();
        int filled = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var (id, rows) = groups[g];
            Int128 step = steps[g];
            var frequency = new Frequency(periods ? TimeUnit.Period : unit, (int)step);
            long first = ordinals[rows[0]];
            Int128 span = ((Int128)ordinals[rows[^1]] - first) / step + 1;
            if (span > MaxLength)
                throw new DataFormatException(path, cells[rows[^1]].Line, timeCol,
                    $"series '{id}' spans {span} periods ({frequency.Name}) from '{cells[rows[0]].Time}' to '{cells[rows[^1]].Time}' but has {rows.Count} rows; more than {MaxLength} periods is not a series this reader fills.");
            int length = (int)span;
            var values = new float[length];
            Array.Fill(values, float.NaN);
            for (int k = 0; k < rows.Count; k++)
            {
                Int128 gap = k == 0 ? 0 : ((Int128)ordinals[rows[k]] - ordinals[rows[k - 1]]) / step - 1;
                if (gap > 0 && fill == MissingValuePolicy.Error)
                    throw new DataFormatException(path, cells[rows[k]].Line, timeCol,
                        $"series '{id}': {gap} missing period{(gap > 1 ? "s" : "")} ({frequency.Name}) between '{cells[rows[k - 1]].Time}' and '{cells[rows[k]].Time}'; add the rows or set fill to ffill or linear.");
                values[(int)(((Int128)ordinals[rows[k]] - first) / step)] = cells[rows[k]].Value;
            }
            if (futureRows) values = FutureRowsDropped(path, values, rows, cells, ordinals, first, step, fill, valueCol);
            filled += MissingValues.Fill(values, fill);
            int lead = 0;
            while (lead < values.Length && float.IsNaN(values[lead])) lead++;
            if (lead == values.Length)
                throw new DataFormatException(path, cells[rows[0]].Line, valueCol, $"series '{id}' has no observed value.");
            // days and months: the time of day is dropped; hours and minutes keep it
            DateTime? start = periods ? null : frequency.Advance(frequency.IsSubDaily ? dates[rows[0]] : dates[rows[0]].Date, lead);
            items.Add(new Series(id, lead > 0 ? values[lead..] : values, start, periods ? checked(first + lead * (long)step) : 1)
            {
                OwnFrequency = frequency == fileFrequency ? null : frequency,
            });
        }
        return new TimeSeries(path, fileFrequency, items, filled) { ValueName = valueCol };
    }

    // Times of day that differ within a minute: the first row whose seconds differ from the first row's.
    private static DataFormatException SubMinute(string path, List<Cell> cells, DateTime[] dates, string timeCol)
    {
        long within = dates[0].Ticks % TimeSpan.TicksPerMinute;
        int i = Array.FindIndex(dates, d => d.Ticks % TimeSpan.TicksPerMinute != within);
        return new DataFormatException(path, cells[i].Line, timeCol,
            $"'{cells[i].Time}' and '{cells[0].Time}' (line {cells[0].Line}) differ in their seconds; sub-daily times are read to the minute (hourly, every 15 minutes, ...).");
    }

    // With future rows: the empty values after the last observed one are cut off; an empty value before it is a missing
    // value as always (an error naming its line under MissingValuePolicy.Error).
    private static float[] FutureRowsDropped(string path, float[] values, List<int> rows, List<Cell> cells, long[] ordinals, long first, Int128 step, MissingValuePolicy fill, string valueCol)
    {
        int end = values.Length;
        while (end > 0 && float.IsNaN(values[end - 1])) end--;
        if (end == 0) return values;
        if (fill == MissingValuePolicy.Error)
            foreach (int r in rows)
            {
                int at = (int)(((Int128)ordinals[r] - first) / step);
                if (at < end && float.IsNaN(cells[r].Value))
                    throw new DataFormatException(path, cells[r].Line, valueCol, "missing value before the series' last value (only rows after it may leave the value empty, for future covariates); fill it or set fill to ffill or linear.");
            }
        return end == values.Length ? values : values[..end];
    }

    internal static bool TryDate(string text, out DateTime date) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fffZ", "yyyy-MM-dd HH:mm:ss"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date)
        || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);

    private static Int128 Gcd(Int128 a, Int128 b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return Int128.Abs(a);
    }

    /// <summary>
    /// The series of a wide table, one per row (id: the row label, or the 1-based row number when labels repeat or are
    /// empty). Period headers that all parse as dates one regular step apart become the dates; otherwise plain periods.
    /// </summary>
    public static TimeSeries FromWide(WideSeries table)
    {
        ArgumentNullException.ThrowIfNull(table);
        bool uniqueLabels = table.RowLabels.All(l => l.Length > 0) && table.RowLabels.Distinct().Count() == table.Rows;
        DateTime? start = null;
        var frequency = Frequency.Periods;
        var dates = new DateTime[table.PeriodCount];
        if (table.Periods.Select((p, i) => TryDate(p.Trim(), out dates[i])).All(ok => ok) && table.PeriodCount >= 2)
        {
            var unit = Frequency.UnitOf([dates]) ?? TimeUnit.Day;
            long step = Frequency.Ordinal(dates[1], unit) - Frequency.Ordinal(dates[0], unit);
            bool regular = step > 0 && step < int.MaxValue;
            for (int i = 2; i < dates.Length && regular; i++)
                regular = Frequency.Ordinal(dates[i], unit) - Frequency.Ordinal(dates[i - 1], unit) == step;
            if (regular) { frequency = new Frequency(unit, (int)step); start = dates[0]; }
        }
        var items = new List<Series>();
        for (int r = 0; r < table.Rows; r++)
            items.Add(new Series(uniqueLabels ? table.RowLabels[r] : (r + 1).ToString(CultureInfo.InvariantCulture), table.Row(r).ToArray(), start));
        return new TimeSeries(table.Source, frequency, items);
    }
}
