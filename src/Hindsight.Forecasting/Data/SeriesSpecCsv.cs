using System.Globalization;
using Hindsight.Data;
using nietras.SeparatedValues;

namespace Hindsight.Forecasting.Data;

/// <summary>
/// Per-series seasons and horizons, so one evaluation runs a suite of mixed frequencies: from a small spec file
/// (<c>unique_id,season,horizon</c>; the ids of the data, extra columns ignored, an empty cell or a missing id keeps the
/// default) or from columns of the long data file (constant within each series). Errors name the file and the 1-based line.
/// </summary>
public static class SeriesSpecCsv
{
    private static readonly string[] IdNames = ["unique_id", "series", "id"];

    /// <summary>
    /// Reads spec file <paramref name="path"/> for the series of <paramref name="data"/>; series it does not list keep
    /// <paramref name="defaults"/> (one per series, in data order).
    /// </summary>
    /// <exception cref="DataFormatException">No id column, an id not in the data or listed twice, or a season/horizon that is not a whole number from 1 to <see cref="Hindsight.Settings.SizeLimits.Length"/>.</exception>
    public static SeriesSpec[] Load(string path, TimeSeries data, IReadOnlyList<SeriesSpec> defaults)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(defaults);
        var result = defaults.ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        Read(path, null, "season", "horizon", "spec file", (id, line, season, horizon, column) =>
        {
            int index = IndexOf(data, id);
            if (index < 0)
                throw new DataFormatException(path, line, column, $"series '{id}' is not in the data {data.Source} (first ids: {string.Join(", ", data.Items.Take(5).Select(s => s.Id))}).");
            if (seen.TryGetValue(id, out int before)) throw new DataFormatException(path, line, column, $"series '{id}' is listed twice (also on line {before}).");
            seen[id] = line;
            result[index] = new SeriesSpec(season ?? result[index].Season, horizon ?? result[index].Horizon);
        }, requireColumns: false);
        return result;
    }

    /// <summary>
    /// Reads the season and/or horizon columns (<paramref name="seasonColumn"/>, <paramref name="horizonColumn"/>, null: not read)
    /// of long data file <paramref name="path"/>, whose series are <paramref name="data"/> with id column <paramref name="idColumn"/>
    /// (null: <c>unique_id</c>, <c>series</c> or <c>id</c>). Each must be constant within a series; empty cells keep <paramref name="defaults"/>.
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a bad number, or a value that changes within a series (names the series and line).</exception>
    public static SeriesSpec[] FromColumns(string path, TimeSeries data, string? idColumn, string? seasonColumn, string? horizonColumn, IReadOnlyList<SeriesSpec> defaults)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(defaults);
        var result = defaults.ToArray();
        if (seasonColumn is null && horizonColumn is null) return result;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(path, null, seasonColumn ?? horizonColumn, "season and horizon columns are read from a CSV file only; use a spec file for JSON data.");
        var firstSeason = new Dictionary<string, (int Value, int Line)>(StringComparer.Ordinal);
        var firstHorizon = new Dictionary<string, (int Value, int Line)>(StringComparer.Ordinal);
        Read(path, idColumn, seasonColumn, horizonColumn, "data file", (id, line, season, horizon, _) =>
        {
            int index = IndexOf(data, id);
            if (index < 0) return; // a series the reader dropped cannot happen; ignore defensively
            void Keep(Dictionary<string, (int Value, int Line)> first, int? value, string column, bool isSeason)
            {
                if (value is not int v) return;
                if (first.TryGetValue(id, out var f))
                {
                    if (f.Value != v)
                        throw new DataFormatException(path, line, column, $"series '{id}' has {column} {v} here but {f.Value} on line {f.Line}; it must be constant within a series.");
                    return;
                }
                first[id] = (v, line);
                result[index] = isSeason ? result[index] with { Season = v } : result[index] with { Horizon = v };
            }
            Keep(firstSeason, season, seasonColumn ?? "", true);
            Keep(firstHorizon, horizon, horizonColumn ?? "", false);
        }, requireColumns: true);
        return result;
    }

    private static int IndexOf(TimeSeries data, string id)
    {
        for (int i = 0; i < data.Count; i++) if (data.Items[i].Id == id) return i;
        return -1;
    }

    private delegate void RowAction(string id, int line, int? season, int? horizon, string? idColumn);

    // Reads the id, season and horizon cells of every row; `requireColumns`: the named season/horizon columns must exist
    // (a spec file may leave either out).
    private static void Read(string path, string? idColumn, string? seasonColumn, string? horizonColumn, string what, RowAction action, bool requireColumns)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found.");
        if (new FileInfo(path).Length == 0) throw new DataFormatException(path, 1, null, "the file is empty (expected a header line such as unique_id,season,horizon).");
        using var reader = Sep.New(',').Reader(c => c with { HasHeader = true, DisableColCountCheck = true, Unescape = true }).FromText(DataFile.ReadText(path));
        var header = reader.Header.ColNames.Select(h => h.Trim()).ToArray();
        int Find(string? name, bool required)
        {
            if (name is null) return -1;
            int i = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (i < 0 && required) throw new DataFormatException(path, 1, name, $"no such column in the {what}; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.");
            return i;
        }
        int idIndex = idColumn is not null ? Find(idColumn, true) : IdNames.Select(n => Find(n, false)).FirstOrDefault(i => i >= 0, -1);
        if (idIndex < 0) throw new DataFormatException(path, 1, null, $"no series id column (looked for {string.Join(", ", IdNames)}); the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        int seasonIndex = Find(seasonColumn, requireColumns), horizonIndex = Find(horizonColumn, requireColumns);
        if (seasonIndex < 0 && horizonIndex < 0)
            throw new DataFormatException(path, 1, null, $"no season or horizon column; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        foreach (var row in reader)
        {
            int line = row.LineNumberFrom;
            var cells = new string[row.ColCount];
            for (int c = 0; c < cells.Length; c++) cells[c] = row[c].ToString().Trim();
            int? Number(int index)
            {
                if (index < 0) return null;
                if (index >= cells.Length) throw new DataFormatException(path, line, header[index], $"{cells.Length} cells, but the header has {header.Length}.");
                var cell = cells[index];
                if (cell.Length == 0) return null;
                if (!int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < 1 || v > Hindsight.Settings.SizeLimits.Length)
                    throw new DataFormatException(path, line, header[index], $"'{cell}' is not a whole number from 1 to {Hindsight.Settings.SizeLimits.Length}.");
                return v;
            }
            if (idIndex >= cells.Length) throw new DataFormatException(path, line, header[idIndex], $"{cells.Length} cells, but the header has {header.Length}.");
            string id = cells[idIndex];
            if (id.Length == 0) throw new DataFormatException(path, line, header[idIndex], "empty series id.");
            action(id, line, Number(seasonIndex), Number(horizonIndex), header[idIndex]);
        }
    }
}
