using System.Globalization;
using System.Text;

namespace Hindsight.Forecasting.Data;

/// <summary>
/// Forecasts as the long CSV table NeuralForecast and statsforecast users know: one row per series and period,
/// <c>unique_id,ds</c>, then per model its point forecast and, with intervals at level L, <c>&lt;model&gt;-lo-L</c> and
/// <c>&lt;model&gt;-hi-L</c>. Cross-validation tables (evaluate, backtest) add <c>cutoff</c> (the last period before the
/// forecast) and <c>y</c> (the actual), as statsforecast's <c>cross_validation</c>: <c>unique_id,ds,cutoff,y,&lt;model&gt;,...</c>.
/// <c>ds</c> is an ISO date (<c>yyyy-MM-dd</c>) for calendar data and the period number otherwise; a model that did not
/// forecast a row leaves its cells empty.
/// </summary>
public static class ForecastCsv
{
    /// <summary>The <c>ds</c> cell of period <paramref name="index"/> of <paramref name="series"/>: an ISO date or the period number.</summary>
    public static string Ds(TimeSeries data, Series series, int index)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(series);
        var frequency = data.FrequencyOf(series);
        return series.Start is { } start
            ? frequency.Advance(start, index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : (series.FirstPeriod + (long)index * frequency.Step).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The interval column suffix of <paramref name="level"/> percent (<c>90</c>, <c>80.5</c>).</summary>
    public static string LevelText(double level) => level.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The table of a forecast: <c>unique_id,ds,&lt;model&gt;[,&lt;model&gt;-lo-L,&lt;model&gt;-hi-L]</c>, <paramref name="forecasts"/>[i]
    /// following the end of series i of <paramref name="data"/>.
    /// </summary>
    public static string Forecast(TimeSeries data, string model, IReadOnlyList<float[]> forecasts, IReadOnlyList<(float[] Lower, float[] Upper)>? bounds, double? level)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forecasts);
        var sb = new StringBuilder();
        sb.Append("unique_id,ds,").Append(Cell(model));
        if (bounds is not null && level is double l) sb.Append(',').Append(Cell($"{model}-lo-{LevelText(l)}")).Append(',').Append(Cell($"{model}-hi-{LevelText(l)}"));
        sb.Append('\n');
        for (int i = 0; i < data.Count; i++)
        {
            var s = data.Items[i];
            for (int k = 0; k < forecasts[i].Length; k++)
            {
                sb.Append(Cell(s.Id)).Append(',').Append(Ds(data, s, s.Length + k)).Append(',').Append(Number(forecasts[i][k]));
                if (bounds is not null && level is not null) sb.Append(',').Append(Number(bounds[i].Lower[k])).Append(',').Append(Number(bounds[i].Upper[k]));
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The table of an evaluation: <c>unique_id,ds,cutoff,y</c>, then per model its forecast (and interval bounds at
    /// <paramref name="level"/> when the model has them), one row per series, origin and step.
    /// </summary>
    public static string Evaluation(TimeSeries data, EvaluationResult result, double? level)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(result);
        var models = result.Models;
        var withBounds = models.Select(m => level is not null && m.Forecasts.Count > 0 && m.Forecasts.All(f => f.Lower is not null)).ToArray();
        var sb = new StringBuilder("unique_id,ds,cutoff,y");
        for (int j = 0; j < models.Count; j++)
        {
            string name = models[j].Score.Model;
            sb.Append(',').Append(Cell(name));
            if (withBounds[j]) sb.Append(',').Append(Cell($"{name}-lo-{LevelText(level!.Value)}")).Append(',').Append(Cell($"{name}-hi-{LevelText(level!.Value)}"));
        }
        sb.Append('\n');
        var index = models.Select(m => m.Forecasts.ToDictionary(f => (f.Series, f.Origin))).ToArray();
        var keys = models.SelectMany(m => m.Forecasts).Select(f => (f.Series, f.Origin, f.Actual)).DistinctBy(k => (k.Series, k.Origin))
            .OrderBy(k => k.Series).ThenBy(k => k.Origin).ToList();
        foreach (var (series, origin, actual) in keys)
        {
            var s = data.Items[series];
            string cutoff = Ds(data, s, origin - 1);
            for (int k = 0; k < actual.Length; k++)
            {
                sb.Append(Cell(s.Id)).Append(',').Append(Ds(data, s, origin + k)).Append(',').Append(cutoff).Append(',').Append(Number(actual[k]));
                for (int j = 0; j < models.Count; j++)
                {
                    index[j].TryGetValue((series, origin), out var f);
                    sb.Append(',').Append(f is null ? "" : Number(f.Forecast[k]));
                    if (withBounds[j]) sb.Append(',').Append(f?.Lower is null ? "" : Number(f.Lower[k])).Append(',').Append(f?.Upper is null ? "" : Number(f.Upper[k]));
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string Number(float v) => v.ToString(CultureInfo.InvariantCulture);

    // RFC 4180 quoting for a cell holding a comma, quote or line break.
    private static string Cell(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
