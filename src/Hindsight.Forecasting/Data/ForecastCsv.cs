using System.Globalization;
using System.Text;

namespace Hindsight.Forecasting.Data;

/// <summary>
/// Forecasts as the long CSV table NeuralForecast and statsforecast users know: one row per series and period,
/// <c>unique_id,ds</c>, then per model its point forecast and, with intervals at level L, <c>&lt;model&gt;-lo-L</c> and
/// <c>&lt;model&gt;-hi-L</c>. Cross-validation tables (evaluate, backtest) add <c>cutoff</c> (the last period before the
/// forecast) and <c>y</c> (the actual), as statsforecast's <c>cross_validation</c>: <c>unique_id,ds,cutoff,y,&lt;model&gt;,...</c>.
/// <c>ds</c> is an ISO date (<c>yyyy-MM-dd</c>) for calendar data, a timestamp (<c>yyyy-MM-dd HH:mm:ss</c>, as pandas writes
/// one) for hourly and finer data, and the period number otherwise; a model that did not
/// forecast a row leaves its cells empty. Quantile columns are named as NeuralForecast names a quantile model's outputs
/// (<c>quantiles_to_outputs</c>): level q below 0.5 is <c>&lt;model&gt;-lo-(100 - 200q)</c>, 0.5 is <c>&lt;model&gt;-median</c>,
/// above 0.5 <c>&lt;model&gt;-hi-(200q - 100)</c>; so the quantile 0.1 is the lower bound of the 80 % interval, and a quantile
/// whose column an interval level already wrote is not repeated. The covariates are not echoed: as NeuralForecast's
/// <c>predict</c>, the table holds forecasts only (the future covariates are the input the user gave).
/// </summary>
public static class ForecastCsv
{
    /// <summary>The interval columns of one level: the bounds of each series' forecast.</summary>
    /// <param name="Level">Level in percent.</param>
    /// <param name="Bounds">Per series (in data order), lower and upper bounds per step.</param>
    public sealed record IntervalColumns(double Level, IReadOnlyList<(float[] Lower, float[] Upper)> Bounds);

    /// <summary>The column of one quantile level: each series' values per step.</summary>
    /// <param name="Level">Quantile level in (0, 1).</param>
    /// <param name="Values">Per series (in data order), the quantile per step.</param>
    public sealed record QuantileColumn(double Level, IReadOnlyList<float[]> Values);

    /// <summary>The <c>ds</c> cell of period <paramref name="index"/> of <paramref name="series"/>: an ISO date, a timestamp (hours, minutes) or the period number.</summary>
    public static string Ds(TimeSeries data, Series series, int index)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(series);
        var frequency = data.FrequencyOf(series);
        return series.Start is { } start
            ? frequency.Format(frequency.Advance(start, index))
            : (series.FirstPeriod + (long)index * frequency.Step).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The interval column suffix of <paramref name="level"/> percent (<c>90</c>, <c>80.5</c>).</summary>
    public static string LevelText(double level) => level.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The table of a forecast: <c>unique_id,ds,&lt;model&gt;[,&lt;model&gt;-lo-L,&lt;model&gt;-hi-L]</c>, <paramref name="forecasts"/>[i]
    /// following the end of series i of <paramref name="data"/>.
    /// </summary>
    public static string Forecast(TimeSeries data, string model, IReadOnlyList<float[]> forecasts, IReadOnlyList<(float[] Lower, float[] Upper)>? bounds, double? level) =>
        Forecast(data, model, forecasts, bounds is not null && level is double l ? [new IntervalColumns(l, bounds)] : [], []);

    /// <summary>
    /// The table of a forecast with intervals at several levels and quantiles: <c>unique_id,ds,&lt;model&gt;</c>, then per
    /// level <c>&lt;model&gt;-lo-L,&lt;model&gt;-hi-L</c> (in the order given), then per quantile its
    /// <see cref="QuantileSuffix"/> column (<c>&lt;model&gt;-median</c>, <c>&lt;model&gt;-lo-70</c>, ...) unless a level wrote it.
    /// </summary>
    public static string Forecast(TimeSeries data, string model, IReadOnlyList<float[]> forecasts, IReadOnlyList<IntervalColumns> intervals, IReadOnlyList<QuantileColumn> quantiles)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(quantiles);
        var sb = new StringBuilder();
        sb.Append("unique_id,ds,").Append(Cell(model));
        foreach (var c in intervals) sb.Append(',').Append(Cell($"{model}-lo-{LevelText(c.Level)}")).Append(',').Append(Cell($"{model}-hi-{LevelText(c.Level)}"));
        quantiles = ExtraQuantiles(intervals.Select(c => c.Level), quantiles, q => q.Level);
        foreach (var q in quantiles) sb.Append(',').Append(Cell(model + QuantileSuffix(q.Level)));
        sb.Append('\n');
        for (int i = 0; i < data.Count; i++)
        {
            var s = data.Items[i];
            for (int k = 0; k < forecasts[i].Length; k++)
            {
                sb.Append(Cell(s.Id)).Append(',').Append(Ds(data, s, s.Length + k)).Append(',').Append(Number(forecasts[i][k]));
                foreach (var c in intervals) sb.Append(',').Append(Number(c.Bounds[i].Lower[k])).Append(',').Append(Number(c.Bounds[i].Upper[k]));
                foreach (var q in quantiles) sb.Append(',').Append(Number(q.Values[i][k]));
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>The quantile level text of <paramref name="level"/> (<c>0.1</c>, <c>0.975</c>).</summary>
    public static string QuantileText(double level) => Math.Round(level, 6).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The column suffix of quantile <paramref name="level"/> as NeuralForecast's <c>quantiles_to_outputs</c>:
    /// <c>-lo-80</c> for 0.1, <c>-median</c> for 0.5, <c>-hi-95</c> for 0.975 (the level rounded to 2 decimals as there,
    /// written as <see cref="LevelText"/>: NeuralForecast writes <c>-lo-80.0</c> for a quantile and <c>-lo-80</c> for a level;
    /// Hindsight writes both as <c>-lo-80</c>, one column).
    /// </summary>
    public static string QuantileSuffix(double level)
    {
        double q = Math.Round(level, 6);
        if (q == 0.5) return "-median";
        return q < 0.5 ? $"-lo-{LevelText(Math.Round(100 - 200 * q, 2))}" : $"-hi-{LevelText(Math.Round(200 * q - 100, 2))}";
    }

    // The quantiles whose column no interval level of `levels` writes already (in the order given, no repeats).
    private static IReadOnlyList<T> ExtraQuantiles<T>(IEnumerable<double> levels, IEnumerable<T> quantiles, Func<T, double> level)
    {
        var written = levels.SelectMany(l => new[] { "-lo-" + LevelText(l), "-hi-" + LevelText(l) }).ToHashSet(StringComparer.Ordinal);
        return quantiles.Where(q => written.Add(QuantileSuffix(level(q)))).ToList();
    }

    /// <summary>
    /// The table of an evaluation: <c>unique_id,ds,cutoff,y</c>, then per model its forecast (and interval bounds at
    /// <paramref name="level"/> when the model has them), one row per series, origin and step.
    /// </summary>
    public static string Evaluation(TimeSeries data, EvaluationResult result, double? level) =>
        Evaluation(data, result, level is double l ? [l] : null);

    /// <summary>
    /// The table of an evaluation with intervals at each of <paramref name="levels"/> (percent): <c>unique_id,ds,cutoff,y</c>,
    /// then per model its forecast and, when it has quantiles, <c>&lt;model&gt;-lo-L,&lt;model&gt;-hi-L</c> per level; cells of
    /// a forecast without intervals (a series where calibration failed) are empty.
    /// </summary>
    public static string Evaluation(TimeSeries data, EvaluationResult result, IReadOnlyList<double>? levels) => Evaluation(data, result, levels, null);

    /// <summary>
    /// As <see cref="Evaluation(TimeSeries, EvaluationResult, IReadOnlyList{double})"/>, and after each model's interval
    /// columns (when it has quantiles) one column per level of <paramref name="quantiles"/> (named by
    /// <see cref="QuantileSuffix"/>, none repeating an interval column); cells of a forecast without quantiles are empty.
    /// </summary>
    public static string Evaluation(TimeSeries data, EvaluationResult result, IReadOnlyList<double>? levels, IReadOnlyList<double>? quantiles)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(result);
        var models = result.Models;
        levels ??= [];
        var asked = ExtraQuantiles(levels, quantiles ?? [], q => q);
        var withBounds = models.Select(m => levels.Count > 0 && m.Forecasts.Any(f => f.Quantiles is not null || f.Lower is not null)).ToArray();
        var withQuantiles = models.Select(m => asked.Count > 0 && m.Layout is not null && m.Forecasts.Any(f => f.Quantiles is not null)).ToArray();
        var sb = new StringBuilder("unique_id,ds,cutoff,y");
        for (int j = 0; j < models.Count; j++)
        {
            string name = models[j].Score.Model;
            sb.Append(',').Append(Cell(name));
            if (withBounds[j])
                foreach (var l in levels) sb.Append(',').Append(Cell($"{name}-lo-{LevelText(l)}")).Append(',').Append(Cell($"{name}-hi-{LevelText(l)}"));
            if (withQuantiles[j])
                foreach (var q in asked) sb.Append(',').Append(Cell(name + QuantileSuffix(q)));
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
                    if (withBounds[j])
                        foreach (var l in levels)
                        {
                            var (lower, upper) = Bounds(models[j], f, l);
                            sb.Append(',').Append(lower is null ? "" : Number(lower[k])).Append(',').Append(upper is null ? "" : Number(upper[k]));
                        }
                    if (withQuantiles[j])
                        foreach (var q in asked)
                        {
                            int at = f?.Quantiles is null ? -1 : models[j].Layout!.IndexOf(q);
                            sb.Append(',').Append(at < 0 ? "" : Number(f!.Quantiles![at][k]));
                        }
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    // The bounds of forecast f at level l: from its quantiles, or (forecasts made without a layout) its Lower/Upper.
    private static (float[]? Lower, float[]? Upper) Bounds(ModelEvaluation model, SeriesForecast? f, double level)
    {
        if (f is null) return (null, null);
        if (f.Quantiles is not null && model.Layout is { } layout && layout.IndexOf((1 - level / 100) / 2) >= 0) return layout.Bounds(f.Quantiles, level);
        return model.Layout is null || model.Layout.IntervalLevels.Length > 0 && Math.Abs(model.Layout.IntervalLevels[0] - level) < 1e-9 ? (f.Lower, f.Upper) : (null, null);
    }

    private static string Number(float v) => v.ToString(CultureInfo.InvariantCulture);

    // RFC 4180 quoting for a cell holding a comma, quote or line break.
    private static string Cell(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
