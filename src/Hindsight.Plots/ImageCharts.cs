using System.Globalization;
using ScottPlot;

namespace Hindsight.Plots;

/// <summary>Charts of the image classifier (<c>hindsight images</c>): the held-out confusion matrix, and weight rows seen as images.</summary>
public static class ImageCharts
{
    /// <summary>
    /// The confusion matrix as a heat map: row = true class, column = predicted, colour = share of the row's images (the
    /// diagonal is each class's accuracy), with the count in each non-empty cell.
    /// </summary>
    /// <param name="classes">Class names, in label order.</param>
    /// <param name="confusion">[true][predicted] counts.</param>
    /// <param name="title">Chart title.</param>
    public static Plot ConfusionMatrix(IReadOnlyList<string> classes, int[][] confusion, string title)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(confusion);
        int n = classes.Count;
        var share = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            double total = Math.Max(1, confusion[r].Sum());
            for (int c = 0; c < n; c++) share[r, c] = confusion[r][c] / total;
        }
        var plot = new Plot();
        var map = plot.Add.Heatmap(share); // row 0 drawn at the top
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        if (n <= 40)
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                {
                    if (confusion[r][c] == 0) continue;
                    var label = plot.Add.Text(confusion[r][c].ToString(CultureInfo.InvariantCulture), c, n - 1 - r);
                    label.LabelFontSize = 10;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = share[r, c] > 0.5 ? Colors.Black : Colors.White;
                }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(classes.Select((name, i) => new Tick(i, name)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(classes.Select((name, i) =>
        {
            int total = confusion[i].Sum();
            return new Tick(n - 1 - i, total == 0 ? name : $"{name} ({(double)confusion[i][i] / total:P0})");
        }).ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class (held-out accuracy)");
        return plot;
    }

    /// <summary>
    /// Rows of a first-layer weight matrix (out, height x width x channels), each reshaped back to the image it multiplies
    /// and drawn as a heat map (blue negative, red positive, 0 white, one colour scale per panel): for the seed's
    /// <c>Linear</c> one panel per class, the classic picture of what a linear classifier learned. For RGB inputs each
    /// pixel shows the mean of its three channel weights. At most <paramref name="maxPanels"/> rows are drawn.
    /// </summary>
    /// <param name="weight">(rows, width x height x channels) row-major, a pixel's channels together.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="channels">Values per pixel (1 or 3).</param>
    /// <param name="labels">Panel titles (class names), one per row drawn.</param>
    /// <param name="columns">Panels per row of the grid.</param>
    /// <param name="rows">Rows of the grid.</param>
    /// <param name="maxPanels">Most panels.</param>
    public static Multiplot WeightImages(float[] weight, int width, int height, int channels, IReadOnlyList<string> labels, out int columns, out int rows, int maxPanels = 20)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(labels);
        int features = width * height * channels;
        int n = Math.Min(Math.Min(weight.Length / features, labels.Count), maxPanels);
        columns = Math.Min(n, 5);
        rows = (n + columns - 1) / columns;
        var grid = new Multiplot();
        grid.AddPlots(n);
        grid.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int k = 0; k < n; k++)
        {
            var cells = new double[height, width];
            double extent = 1e-12;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += weight[k * features + (y * width + x) * channels + c];
                    cells[y, x] = sum / channels;
                    extent = Math.Max(extent, Math.Abs(cells[y, x]));
                }
            var plot = grid.GetPlot(k);
            var map = plot.Add.Heatmap(cells);
            map.Colormap = new ScottPlot.Colormaps.Balance();
            map.ManualRange = new ScottPlot.Range(-extent, extent);
            plot.Axes.SetLimits(-0.5, width - 0.5, -0.5, height - 0.5);
            plot.Axes.Frameless();
            plot.Layout.Frameless();
            plot.Title(labels[k], size: 14);
        }
        return grid;
    }
}
