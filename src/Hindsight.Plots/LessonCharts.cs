using Hindsight.Lesson;
using ScottPlot;

namespace Hindsight.Plots;

/// <summary>The charts the seed tutorial draws, built from a <see cref="LessonResult"/>.</summary>
public static class LessonCharts
{
    /// <summary>Colour of each model's curve: RNN red and FC green as in the seed's chart.</summary>
    public static Color ModelColor(string model) => model switch
    {
        "rnn" => Colors.Red,
        "fc" => Colors.Green,
        "jordan" => Colors.Blue,
        "lstm" => Colors.DarkOrange,
        "gru" => Colors.Purple,
        _ => Colors.Gray,
    };

    /// <summary>
    /// Mean loss per epoch of every model at one hidden size, with a band of +-1 standard deviation over seeds (cut at 0)
    /// (the seed's <c>plt.plot(rnn_losses, c='red'); plt.plot(fc_losses, c='green')</c>).
    /// </summary>
    public static Plot LossCurves(IReadOnlyList<ModelRace> races, int seeds)
    {
        var plot = new Plot();
        foreach (var race in races)
        {
            var xs = Enumerable.Range(1, race.EpochMean.Length).Select(e => (double)e).ToArray();
            var color = ModelColor(race.Model);
            if (seeds > 1)
            {
                var low = race.EpochMean.Zip(race.EpochSd, (m, s) => Math.Max(0, m - s)).ToArray(); // a loss is >= 0
                var high = race.EpochMean.Zip(race.EpochSd, (m, s) => m + s).ToArray();
                var band = plot.Add.FillY(xs, low, high);
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            var line = plot.Add.ScatterLine(xs, race.EpochMean);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = $"{race.Model} (final {race.FinalMean:F3}{(seeds > 1 ? $" ± {race.FinalSd:F3}" : "")})";
        }
        int hidden = races.Count > 0 ? races[0].Hidden : 0;
        plot.Title(seeds > 1 ? $"Training loss per epoch, hidden {hidden}: mean ± sd over {seeds} seeds" : $"Training loss per epoch, hidden {hidden}");
        plot.XLabel("epoch");
        plot.YLabel("MSE (epoch mean)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// The seed's live per-epoch plot as a grid, one panel per epoch: for the first batch of the epoch (first seed)
    /// the model's outputs (red), the labels (blue) and the inputs (green), each flattened row by row as the seed's
    /// <c>torch.flatten</c> does. With more than <paramref name="maxPanels"/> epochs, that many evenly spaced epochs
    /// (the first and the last included) are shown. With <paramref name="seqLength"/> given, faint vertical lines
    /// separate the batch's rows (x = row * seqLength + step), and the axes say so.
    /// </summary>
    public static Multiplot Snapshots(ModelRace race, out int columns, out int rows, int maxPanels = 30, int seqLength = 0)
    {
        var shown = Spread(race.Snapshots, maxPanels);
        int n = shown.Count;
        columns = Math.Min(n, 5);
        rows = (n + columns - 1) / columns;
        var grid = new Multiplot();
        grid.AddPlots(n);
        grid.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        double low = double.MaxValue, high = double.MinValue;
        foreach (var s in shown)
            foreach (var v in s.Outputs.Concat(s.Labels).Concat(s.Inputs)) { low = Math.Min(low, v); high = Math.Max(high, v); }
        for (int i = 0; i < n; i++)
        {
            var s = shown[i];
            var plot = grid.GetPlot(i);
            var xs = Enumerable.Range(0, s.Outputs.Length).Select(j => (double)j).ToArray();
            int batchRows = seqLength > 0 ? s.Outputs.Length / seqLength : 0;
            for (int r = 1; r < batchRows; r++)
            {
                var edge = plot.Add.VerticalLine(r * seqLength - 0.5);
                edge.Color = Colors.Gray.WithAlpha(0.35);
                edge.LineWidth = 1;
            }
            AddLine(plot, xs, s.Inputs, Colors.Green, i == 0 ? "input" : null);
            AddLine(plot, xs, s.Labels, Colors.DodgerBlue, i == 0 ? "label" : null);
            AddLine(plot, xs, s.Outputs, Colors.Red, i == 0 ? "output" : null);
            plot.Axes.SetLimitsY(low, high);
            plot.Title(i == 0 ? $"{race.Model} (hidden {race.Hidden}), epoch {s.Epoch}" : $"epoch {s.Epoch}", size: 12);
            // Axis labels on the left column and bottom row only, so the panels keep their room.
            if (i % columns == 0) plot.YLabel("scaled value", size: 11);
            if (i >= n - columns)
                plot.XLabel(batchRows > 0
                    ? $"x = {seqLength}*row + step ({batchRows} rows)"
                    : "rows flattened one after another", size: 11);
            if (i == 0) plot.ShowLegend(Alignment.UpperRight);
        }
        return grid;
    }

    /// <summary>At most <paramref name="max"/> items, evenly spaced, first and last included.</summary>
    internal static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> items, int max)
    {
        if (items.Count <= max) return items;
        var picked = new List<T>(max);
        for (int i = 0; i < max; i++) picked.Add(items[(int)Math.Round((double)i * (items.Count - 1) / (max - 1))]);
        return picked;
    }

    private static void AddLine(Plot plot, double[] xs, float[] ys, Color color, string? legend)
    {
        var line = plot.Add.ScatterLine(xs, ys.Select(v => (double)v).ToArray());
        line.Color = color;
        line.LineWidth = 1;
        if (legend is not null) line.LegendText = legend;
    }

    /// <summary>The first layer's weight matrix before training as a heat map (the seed's <c>plt.imshow(state_dict()['linear_with_tanh.0.weight'])</c>).</summary>
    public static Plot InitialWeights(ModelRace race)
    {
        int rows = race.InitialWeightShape.Length > 0 ? race.InitialWeightShape[0] : 1;
        int cols = race.InitialWeight.Length / Math.Max(1, rows);
        var cells = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                cells[r, c] = race.InitialWeight[r * cols + c];
        var plot = new Plot();
        var map = plot.Add.Heatmap(cells);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        plot.Axes.Bottom.TickGenerator = IntegerTicks(cols);
        plot.Axes.Left.TickGenerator = IntegerTicks(rows);
        plot.Title($"{race.Model}: {race.FirstWeightName} before training ({rows}x{cols})");
        plot.XLabel(race.FirstWeightName.Contains(" | ", StringComparison.Ordinal) ? "column (input weights, then recurrent weights)" : "input");
        plot.YLabel("output unit");
        return plot;
    }

    private static ScottPlot.TickGenerators.NumericManual IntegerTicks(int count)
    {
        int step = Math.Max(1, count / 12);
        var ticks = new List<Tick>();
        for (int i = 0; i < count; i += step) ticks.Add(new Tick(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
    }

    /// <summary>Final loss (mean ± sd over seeds) against hidden size, one line per model.</summary>
    public static Plot HiddenSweep(IReadOnlyList<ModelRace> races, int seeds)
    {
        var plot = new Plot();
        foreach (var group in races.GroupBy(r => r.Model))
        {
            var points = group.OrderBy(r => r.Hidden).ToArray();
            var xs = points.Select(r => (double)r.Hidden).ToArray();
            var ys = points.Select(r => r.FinalMean).ToArray();
            var color = ModelColor(group.Key);
            if (seeds > 1)
            {
                var band = plot.Add.FillY(xs, points.Select(r => Math.Max(0, r.FinalMean - r.FinalSd)).ToArray(), points.Select(r => r.FinalMean + r.FinalSd).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = group.Key;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            races.Select(r => r.Hidden).Distinct().OrderBy(h => h).Select(h => new Tick(h, h.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        plot.Title(seeds > 1 ? $"Final loss vs hidden size: mean ± sd over {seeds} seeds" : "Final loss vs hidden size");
        plot.XLabel("hidden size");
        plot.YLabel("final-epoch MSE");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
