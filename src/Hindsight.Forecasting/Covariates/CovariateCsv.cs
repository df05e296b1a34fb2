using System.Globalization;
using Hindsight.Data;
using Hindsight.Forecasting.Data;
using nietras.SeparatedValues;

namespace Hindsight.Forecasting.Covariates;

/// <summary>
/// Reads a long CSV or JSON file with covariate columns (<see cref="CovariateOptions"/>): the series as
/// <see cref="SeriesCsv"/> reads them, each carrying its <see cref="SeriesCovariates"/>, plus calendar and holiday columns.
/// </summary>
/// <remarks>
/// Rules: every named column must exist; past and future cells of rows up to a series' last value must be finite numbers;
/// rows after the last value (an empty value cell) are future rows whose future cells must be numbers (past cells there are
/// ignored); a static column must hold one value per series. Errors are <see cref="DataFormatException"/>s naming the
/// file, the line, the column and the series.
/// </remarks>
public static class CovariateCsv
{
    private sealed record Table(string[] Header, List<(int Line, string[] Cells)> Rows);

    /// <summary>
    /// Reads <paramref name="path"/> with the covariates of <paramref name="covariates"/>; calendar and holiday columns
    /// reach <paramref name="extend"/> periods past each series' end when the file has no future rows (a forecast's horizon).
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a bad cell, a static value that changes within a series.</exception>
    /// <remarks><paramref name="holidays"/>, when given, replaces the file named by <see cref="CovariateOptions.Holidays"/> (the dates a model file keeps).</remarks>
    public static TimeSeries Load(string path, SeriesCsvOptions? csv, CovariateOptions? covariates, int extend = 0, HolidayCalendar? holidays = null)
    {
        csv ??= new SeriesCsvOptions();
        if (covariates is null || !covariates.Any) return SeriesCsv.Load(path, csv);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found.");
        var table = ReadTable(path);
        var header = table.Header;
        string[] Find(string? list, string kind) => CovariateOptions.Columns(list).Select(c =>
            header.FirstOrDefault(h => h == c) ?? header.FirstOrDefault(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))
            ?? throw new DataFormatException(path, 1, c, $"no covariate column '{c}' ({kind}); the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.")).ToArray();
        var past = Find(covariates.Past, "past");
        var future = Find(covariates.Future, "future");
        var statics = Find(covariates.Static, "static");
        string? id = SeriesCsv.Resolve(path, header, csv.IdColumn, SeriesCsv.IdNames, "idColumn");
        string? time = SeriesCsv.Resolve(path, header, csv.TimeColumn, SeriesCsv.TimeNames, "timeColumn")
            ?? throw new DataFormatException(path, 1, null, "covariates need a long (or single-series) file with a time column.");
        string? value = SeriesCsv.Resolve(path, header, csv.ValueColumn, SeriesCsv.ValueNames, "valueColumn");
        if (value is null)
        {
            var rest = header.Where(h => h != id && h != time && !past.Contains(h) && !future.Contains(h) && !statics.Contains(h)).ToArray();
            if (rest.Length != 1)
                throw new DataFormatException(path, 1, null, $"{(rest.Length == 0 ? "no value column" : "several possible value columns")} besides the covariates; choose one with valueColumn.");
            value = rest[0];
        }
        foreach (var c in past.Concat(future).Concat(statics))
            if (c == value || c == time || c == id) throw new DataFormatException(path, 1, c, "a covariate column is also the id, time or value column.");
        var data = SeriesCsv.Load(path, csv with { ValueColumn = value, FutureRows = future.Length > 0 });

        int idIndex = id is null ? -1 : Array.IndexOf(header, id), timeIndex = Array.IndexOf(header, time);
        int[] pastIndex = past.Select(c => Array.IndexOf(header, c)).ToArray(), futureIndex = future.Select(c => Array.IndexOf(header, c)).ToArray(), staticIndex = statics.Select(c => Array.IndexOf(header, c)).ToArray();
        var byId = data.Items.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        int n = data.Count;
        var pastValues = new float[n][][];
        var futureValues = new float[n][][];
        var staticValues = new string?[n][];
        var staticLine = new int[n][];
        var futureEnd = new int[n];
        var rowsAt = new List<(int Line, int Position, string[] Cells)>[n];
        for (int s = 0; s < n; s++) rowsAt[s] = [];
        foreach (var (line, cells) in table.Rows)
        {
            string seriesId = idIndex < 0 ? value : cells[idIndex].Trim();
            if (!byId.TryGetValue(seriesId, out int s)) continue; // a series without any value: SeriesCsv already failed on it
            var series = data.Items[s];
            long? position = Position(data, series, cells[timeIndex].Trim());
            if (position is not long p || p < 0 || p > SeriesCsv.MaxLength) continue; // before the first value
            rowsAt[s].Add((line, (int)p, cells));
        }
        for (int s = 0; s < n; s++)
        {
            var series = data.Items[s];
            int length = series.Length;
            int end = future.Length == 0 ? length : Math.Max(length, rowsAt[s].Count == 0 ? 0 : rowsAt[s].Max(r => r.Position) + 1);
            futureEnd[s] = end;
            pastValues[s] = past.Select(_ => Filled(length)).ToArray();
            futureValues[s] = future.Select(_ => Filled(end)).ToArray();
            staticValues[s] = new string?[statics.Length];
            staticLine[s] = new int[statics.Length];
            foreach (var (line, p, cells) in rowsAt[s])
            {
                for (int c = 0; c < past.Length; c++)
                    if (p < length) pastValues[s][c][p] = Number(path, line, past[c], cells[pastIndex[c]], series.Id, "past");
                for (int c = 0; c < future.Length; c++)
                    futureValues[s][c][p] = Number(path, line, future[c], cells[futureIndex[c]], series.Id, "future");
                for (int c = 0; c < statics.Length; c++)
                {
                    string text = cells[staticIndex[c]].Trim();
                    if (text.Length == 0) continue;
                    if (staticValues[s][c] is null) { staticValues[s][c] = text; staticLine[s][c] = line; }
                    else if (staticValues[s][c] != text)
                        throw new DataFormatException(path, line, statics[c], $"static covariate '{statics[c]}' changes within series '{series.Id}': '{text}' here, '{staticValues[s][c]}' on line {staticLine[s][c]}.");
                }
            }
            for (int c = 0; c < past.Length; c++)
                if (Array.FindIndex(pastValues[s][c], float.IsNaN) is int hole && hole >= 0)
                    throw new DataFormatException(path, null, past[c], $"series '{series.Id}': past covariate '{past[c]}' has no value for {data.Label(series, hole)}.");
            for (int c = 0; c < future.Length; c++)
                if (Array.FindIndex(futureValues[s][c], float.IsNaN) is int hole && hole >= 0)
                    throw new DataFormatException(path, null, future[c], $"series '{series.Id}': future covariate '{future[c]}' has no value for {data.Label(series, hole)}.");
            for (int c = 0; c < statics.Length; c++)
                if (staticValues[s][c] is null) throw new DataFormatException(path, null, statics[c], $"series '{series.Id}': static covariate '{statics[c]}' has no value.");
        }

        // Calendar and holiday columns, as far as the file's future rows reach (or the series' end + extend without any).
        var calendar = CalendarFeatures.Parse(covariates.Calendar, covariates.CalendarEncoding);
        holidays ??= covariates.Holidays is null ? null : HolidayCalendar.Load(covariates.Holidays, covariates.HolidaysByName);
        if ((calendar.Count > 0 || holidays is not null) && data.Frequency.Unit == TimeUnit.Period)
            throw new DataFormatException(path, null, time, "calendar and holiday covariates need dates; the time column holds integer periods.");
        CalendarFeatures.CheckFrequency(calendar, data.Frequency);
        var generated = calendar.SelectMany(CalendarFeatures.Names).Concat(holidays?.Names ?? []).ToArray();
        var items = new List<Series>(n);
        for (int s = 0; s < n; s++)
        {
            var series = data.Items[s];
            int end = future.Length > 0 ? futureEnd[s] : series.Length + Math.Max(0, extend);
            var extra = new List<float[]>();
            if (generated.Length > 0)
            {
                var frequency = data.FrequencyOf(series);
                var dates = Enumerable.Range(0, end + 1).Select(i => frequency.Advance(series.Start!.Value, i)).ToArray();
                foreach (var part in calendar) extra.AddRange(CalendarFeatures.Columns(part, dates.AsSpan(0, end)));
                if (holidays is not null) extra.AddRange(holidays.Columns(dates));
            }
            items.Add(series with
            {
                Covariates = new SeriesCovariates(pastValues[s], [.. futureValues[s], .. extra], staticValues[s].Select(v => v!).ToArray()),
            });
        }
        var categorical = statics.Select((_, c) => items.Any(x => !IsNumber(x.Covariates!.Static[c]))).ToArray();
        var schema = new CovariateSchema(past, [.. future, .. generated], statics, categorical,
            [.. future.Select(_ => true), .. generated.Select(_ => false)]);
        return new TimeSeries(data.Source, data.Frequency, items, data.FilledValues) { ValueName = data.ValueName, Covariates = schema };
    }

    /// <summary>
    /// Checks that every series of <paramref name="data"/> has its future covariates for <paramref name="horizon"/> steps after
    /// its end; the error names the series, the first date without a value and the column.
    /// </summary>
    /// <exception cref="DataFormatException">A future value is missing.</exception>
    public static void CheckFuture(TimeSeries data, int horizon)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Covariates is not { Future.Length: > 0 } schema) return;
        foreach (var s in data.Items)
        {
            int have = s.Covariates!.FutureLength;
            if (have < s.Length + horizon)
            {
                int c = Array.IndexOf(schema.FutureScaled, true);
                string column = c >= 0 ? schema.Future[c] : schema.Future[0];
                throw new DataFormatException(data.Source, null, column,
                    $"series '{s.Id}': future covariate '{column}' has no value for {data.Label(s, have)} (the forecast needs {horizon} rows after the last value, with an empty value and the covariates filled).");
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> is a finite number (invariant culture).</summary>
    public static bool IsNumber(string text) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x);

    private static float[] Filled(int length)
    {
        var a = new float[length];
        Array.Fill(a, float.NaN);
        return a;
    }

    private static float Number(string path, int line, string column, string text, string series, string kind)
    {
        var t = text.AsSpan().Trim();
        if (t.Length == 0)
            throw new DataFormatException(path, line, column, $"series '{series}': {kind} covariate '{column}' is empty.");
        if (!float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) || !float.IsFinite(x))
            throw new DataFormatException(path, line, column, $"series '{series}': {kind} covariate '{column}': '{t}' is not a finite number.");
        return x;
    }

    // The 0-based index of time text in the series' own period count, or null when it does not parse.
    private static long? Position(TimeSeries data, Series series, string text)
    {
        var frequency = data.FrequencyOf(series);
        Int128 delta;
        if (frequency.Unit == TimeUnit.Period)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long period)) return null;
            delta = (Int128)period - series.FirstPeriod;
        }
        else
        {
            if (!SeriesCsv.TryDate(text, out var date)) return null;
            delta = (Int128)Frequency.Ordinal(date, frequency.Unit) - Frequency.Ordinal(series.Start!.Value, frequency.Unit); // hours and minutes: matched by timestamp
        }
        if (delta < 0 || delta % frequency.Step != 0) return null;
        var p = delta / frequency.Step;
        return p > SeriesCsv.MaxLength ? null : (long)p;
    }

    private static Table ReadTable(string path)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = DataFile.ReadBytes(path);
            int bom = bytes.Length - DataFile.SkipBom(path, bytes).Length;
            System.Text.Json.JsonDocument doc;
            try { doc = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(bom)); }
            catch (System.Text.Json.JsonException ex) { throw new DataFormatException(path, null, null, $"not valid JSON ({ex.Message})."); }
            using var _ = doc;
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Array || root.GetArrayLength() == 0 || root[0].ValueKind != System.Text.Json.JsonValueKind.Object)
                throw new DataFormatException(path, null, null, "expected a JSON array of records.");
            var header = root[0].EnumerateObject().Select(p => p.Name).ToArray();
            var rows = new List<(int, string[])>();
            int record = 0;
            foreach (var item in root.EnumerateArray())
            {
                record++;
                rows.Add((record, header.Select(h => item.ValueKind == System.Text.Json.JsonValueKind.Object && item.TryGetProperty(h, out var e)
                    ? e.ValueKind switch
                    {
                        System.Text.Json.JsonValueKind.String => e.GetString() ?? "",
                        System.Text.Json.JsonValueKind.Null => "",
                        _ => e.GetRawText(),
                    }
                    : "").ToArray()));
            }
            return new Table(header, rows);
        }
        using var reader = Sep.New(',').Reader(c => c with { HasHeader = true, DisableColCountCheck = true, Unescape = true }).FromText(DataFile.ReadText(path));
        var names = reader.Header.ColNames.ToArray();
        var list = new List<(int, string[])>();
        foreach (var row in reader)
        {
            var cells = new string[names.Length];
            for (int i = 0; i < names.Length; i++) cells[i] = i < row.ColCount ? row[i].ToString() : "";
            list.Add((row.LineNumberFrom, cells));
        }
        return new Table(names, list);
    }
}
