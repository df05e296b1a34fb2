using Hindsight.Forecasting;
using ScottPlot;

namespace Hindsight.Plots;

/// <summary>Forecast charts: recent history, forecasts and (for a holdout) the held-out actuals of one series.</summary>
public static class ForecastCharts
{
    private static readonly Color[] Palette = [Colors.Red, Colors.Blue, Colors.DarkOrange, Colors.Purple, Colors.Green, Colors.Brown, Colors.Magenta, Colors.Teal, Colors.Olive];

    /// <summary>
    /// One colour per model name in every forecast chart (holdout.png and backtest.png draw a model alike; the
    /// networks as in the lesson's charts: rnn red, jordan blue, lstm orange, gru purple, mlp green like the FC).
    /// </summary>
    public static Color ModelColor(string model) => model switch
    {
        "snaive" => Colors.Gray,
        "rnn" => Colors.Red,
        "jordan" => Colors.Blue,
        "lstm" => Colors.DarkOrange,
        "gru" => Colors.Purple,
        "mlp" => Colors.Green,
        "ar" => Colors.Brown,
        "naive" => Colors.Teal,
        "drift" => Colors.Magenta,
        "auto" => Colors.Olive,
        _ => Palette[(int)((uint)StableHash(model) % (uint)Palette.Length)],
    };

    private static int StableHash(string text)
    {
        int h = 17;
        foreach (char c in text) h = unchecked(h * 31 + c);
        return h;
    }

    /// <summary>
    /// The last <paramref name="shown"/> training values of series <paramref name="series"/> (black), the held-out actuals
    /// (black dashed, markers) and every model's forecast from the last origin (colour by <see cref="ModelColor"/>, the
    /// baseline grey); with conformal intervals, the band of the model with the lowest MAE. The legend gives the MAE of
    /// the drawn forecast, and with several series or origins also the mean over all of them; a backtest's title says
    /// that only its last origin is drawn.
    /// </summary>
    public static Plot Holdout(TimeSeries data, int series, EvaluationResult result, int shown = 72)
    {
        var s = data.Items[series];
        var plot = new Plot();
        int origin = result.Models[0].Forecasts.Where(f => f.Series == series).Max(f => f.Origin);
        int from = Math.Max(0, origin - shown);
        AddLine(plot, data, s, from, s.Values.AsSpan(from, origin - from), Colors.Black, "history", dashed: false);
        AddLine(plot, data, s, origin - 1, s.Values.AsSpan(origin - 1, result.Horizon + 1), Colors.Black, "actual (held out)", dashed: true);
        var best = result.Models.MinBy(m => m.Score.Mae)!;
        var bestForecast = best.Forecasts.Last(x => x.Series == series && x.Origin == origin);
        if (bestForecast.Quantiles is { } quantiles && best.Layout is { IntervalLevels.Length: > 0 } layout)
            AddFan(plot, data, s, origin, layout.IntervalLevels.Select(l => { var (lo, hi) = layout.Bounds(quantiles, l); return (l, lo, hi); }).ToList(),
                ModelColor(best.Score.Model), $"{best.Score.Model}, {best.Score.Probabilistic?.Method}");
        else if (bestForecast is { Lower: { } lower, Upper: { } upper })
        {
            var xs = Enumerable.Range(0, lower.Length).Select(i => X(data, s, origin + i)).ToArray();
            var band = plot.Add.FillY(xs, lower.Select(v => (double)v).ToArray(), upper.Select(v => (double)v).ToArray());
            band.FillColor = Colors.Gray.WithAlpha(0.2);
            band.LineWidth = 0;
            band.LegendText = $"{best.Score.Model} interval (coverage {best.Score.Coverage:P0})";
        }
        // The legend gives each model's MAE on the forecast drawn here and, with several series or origins, the mean over
        // all of them (the table's number); every MAE with the same decimals (4 significant digits in the largest).
        int forecasts = result.Models[0].Forecasts.Count;
        var drawn = result.Models.Select(m => m.Forecasts.Last(x => x.Series == series && x.Origin == origin)).ToList();
        var here = drawn.Select(f => f.Forecast.Zip(f.Actual, (p, y) => Math.Abs((double)p - y)).Average()).ToList();
        double largest = here.Concat(result.Models.Select(m => m.Score.Mae)).Where(double.IsFinite).DefaultIfEmpty(0).Max(Math.Abs);
        int decimals = largest > 0 ? Math.Clamp(3 - (int)Math.Floor(Math.Log10(largest)), 0, 6) : 3;
        string F(double v) => v.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
        for (int m = 0; m < result.Models.Count; m++)
        {
            var model = result.Models[m];
            string legend = forecasts > 1
                ? $"{model.Score.Model} (MAE {F(here[m])} here, {F(model.Score.Mae)} over all {forecasts})"
                : $"{model.Score.Model} (MAE {F(here[m])})";
            AddLine(plot, data, s, origin, drawn[m].Forecast, ModelColor(model.Score.Model), legend, dashed: false);
        }
        plot.Title(result.Kind == "backtest"
            ? $"{s.Id}: backtest, the last of {result.Origins} origins drawn ({result.Horizon} values)"
            : $"{s.Id}: last {result.Horizon} values held out");
        Finish(plot, data);
        return plot;
    }

    /// <summary>
    /// The last <paramref name="shown"/> values of series <paramref name="series"/> and the forecast after them, with a shaded
    /// prediction interval when <paramref name="bounds"/> is given.
    /// </summary>
    public static Plot Future(TimeSeries data, int series, float[] forecast, string model, (float[] Lower, float[] Upper)? bounds = null, double? level = null, int shown = 72)
    {
        var s = data.Items[series];
        var plot = new Plot();
        int from = Math.Max(0, s.Length - shown);
        var color = ModelColor(model.Split(' ', 2)[0]); // "auto (ar)" is drawn as auto is in holdout.png
        if (bounds is { } b)
        {
            var xs = Enumerable.Range(0, forecast.Length).Select(i => X(data, s, s.Length + i)).ToArray();
            var band = plot.Add.FillY(xs, b.Lower.Select(v => (double)v).ToArray(), b.Upper.Select(v => (double)v).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            band.LegendText = $"{(level ?? 0) * 100:G4}% conformal interval";
        }
        AddLine(plot, data, s, from, s.Values.AsSpan(from), Colors.Black, "history", dashed: false);
        AddLine(plot, data, s, s.Length, forecast, color, $"{model} forecast", dashed: false);
        plot.Title($"{s.Id}: {forecast.Length}-step forecast ({model})");
        Finish(plot, data);
        return plot;
    }

    /// <summary>
    /// The last <paramref name="shown"/> values of series <paramref name="series"/> and the forecast after them, with a fan of
    /// prediction intervals: one shaded band per level in <paramref name="bands"/> (the widest palest, drawn first, so
    /// narrower levels show darker inside it), each named with its level and <paramref name="method"/>.
    /// </summary>
    public static Plot FutureFan(TimeSeries data, int series, float[] forecast, string model, IReadOnlyList<(double Level, float[] Lower, float[] Upper)> bands, string method, int shown = 72)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(bands);
        var s = data.Items[series];
        var plot = new Plot();
        int from = Math.Max(0, s.Length - shown);
        var color = ModelColor(model.Split(' ', 2)[0]);
        AddFan(plot, data, s, s.Length, bands, color, method);
        AddLine(plot, data, s, from, s.Values.AsSpan(from), Colors.Black, "history", dashed: false);
        AddLine(plot, data, s, s.Length, forecast, color, $"{model} forecast", dashed: false);
        plot.Title($"{s.Id}: {forecast.Length}-step forecast ({model})");
        Finish(plot, data);
        return plot;
    }

    // One band per level from `start`, widest first, the alpha growing as the bands narrow.
    private static void AddFan(Plot plot, TimeSeries data, Series s, int start, IReadOnlyList<(double Level, float[] Lower, float[] Upper)> bands, Color color, string method)
    {
        var ordered = bands.OrderByDescending(b => b.Level).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var (level, lower, upper) = ordered[i];
            var xs = Enumerable.Range(0, lower.Length).Select(k => X(data, s, start + k)).ToArray();
            var band = plot.Add.FillY(xs, lower.Select(v => (double)v).ToArray(), upper.Select(v => (double)v).ToArray());
            band.FillColor = color.WithAlpha(0.12 + 0.18 * i / Math.Max(1, ordered.Count - 1));
            band.LineWidth = 0;
            band.LegendText = $"{level:G4}% interval ({method})";
        }
    }

    private static void AddLine(Plot plot, TimeSeries data, Series s, int start, ReadOnlySpan<float> values, Color color, string legend, bool dashed)
    {
        var xs = new double[values.Length];
        for (int i = 0; i < xs.Length; i++) xs[i] = X(data, s, start + i);
        var line = plot.Add.ScatterLine(xs, values.ToArray().Select(v => (double)v).ToArray());
        line.Color = color;
        line.LineWidth = 2;
        line.LegendText = legend;
        if (dashed) { line.LinePattern = LinePattern.Dashed; line.MarkerSize = 4; line.MarkerShape = MarkerShape.FilledCircle; }
    }

    private static double X(TimeSeries data, Series s, int index) =>
        s.Start is { } d ? data.FrequencyOf(s).Advance(d, index).ToOADate() : s.FirstPeriod + (double)index * data.FrequencyOf(s).Step;

    private static void Finish(Plot plot, TimeSeries data)
    {
        if (data.Frequency.Unit != TimeUnit.Period) plot.Axes.DateTimeTicksBottom();
        else plot.XLabel("period");
        plot.YLabel(data.ValueName);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    /// <summary>
    /// Training and validation MSE per epoch of a neural forecaster in the model's colour (<see cref="ModelColor"/>):
    /// training solid, validation dashed; the kept (best) epoch marked by a grey dotted line.
    /// </summary>
    public static Plot Training(string model, TrainingSummary summary)
    {
        var plot = new Plot();
        var color = ModelColor(model);
        var xs = Enumerable.Range(1, summary.TrainLosses.Length).Select(e => (double)e).ToArray();
        var train = plot.Add.ScatterLine(xs, summary.TrainLosses);
        train.Color = color;
        train.LineWidth = 2;
        train.LegendText = "training MSE";
        if (summary.ValidationLosses.Length > 0)
        {
            var val = plot.Add.ScatterLine(xs[..summary.ValidationLosses.Length], summary.ValidationLosses);
            val.Color = color;
            val.LineWidth = 2;
            val.LinePattern = LinePattern.Dashed;
            val.LegendText = $"validation MSE (best {summary.BestValidationLoss:G3} at epoch {summary.BestEpoch})";
            var best = plot.Add.VerticalLine(summary.BestEpoch);
            best.Color = Colors.Gray;
            best.LinePattern = LinePattern.Dotted;
        }
        plot.Title($"{model}: {summary.TrainWindows} training windows, {summary.ValidationWindows} validation windows (scaled units)");
        plot.XLabel("epoch");
        plot.YLabel("MSE");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
