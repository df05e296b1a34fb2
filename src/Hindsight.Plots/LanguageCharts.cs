using System.Globalization;
using Hindsight.Text;
using ScottPlot;

namespace Hindsight.Plots;

/// <summary>Charts of the text models: the language identifier's confusion matrix, the text model's loss per epoch.</summary>
public static class LanguageCharts
{
    /// <summary>
    /// The held-out confusion matrix as a heat map: row = true language, column = predicted, colour = share of the
    /// row's words (so each row sums to 1 and the diagonal is the per-language accuracy), with the count in each cell.
    /// </summary>
    public static Plot ConfusionMatrix(LanguageIdEvaluation evaluation, string title)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        int L = evaluation.PerLanguage.Count;
        var share = new double[L, L];
        for (int r = 0; r < L; r++)
        {
            double n = Math.Max(1, evaluation.Confusion[r].Sum());
            for (int c = 0; c < L; c++) share[r, c] = evaluation.Confusion[r][c] / n;
        }
        var plot = new Plot();
        var map = plot.Add.Heatmap(share);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        for (int r = 0; r < L; r++)
            for (int c = 0; c < L; c++)
            {
                int count = evaluation.Confusion[r][c];
                if (count == 0) continue;
                var label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), c, L - 1 - r);
                label.LabelFontSize = 9;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = share[r, c] > 0.5 ? Colors.Black : Colors.White;
            }
        var names = evaluation.PerLanguage.Select(p => p.Language).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            names.Select((n, i) => new Tick(i, n)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            names.Select((n, i) => new Tick(L - 1 - i, $"{n} ({evaluation.PerLanguage[i].Accuracy:P0})")).ToArray());
        plot.Axes.SetLimits(-0.5, L - 0.5, -0.5, L - 0.5);
        plot.Title(title);
        plot.XLabel("predicted language");
        plot.YLabel("true language (held-out accuracy)");
        return plot;
    }

    /// <summary>Training and validation perplexity (exp of the cross-entropy per letter) per epoch.</summary>
    public static Plot Perplexity(IReadOnlyList<TextGenEpoch> epochs, string title)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var plot = new Plot();
        var xs = epochs.Select(e => (double)e.Epoch).ToArray();
        var train = plot.Add.ScatterLine(xs, epochs.Select(e => e.TrainPerplexity).ToArray());
        train.LegendText = "training";
        train.Color = Colors.Red;
        train.LineWidth = 2;
        if (epochs.Any(e => !double.IsNaN(e.ValidationLoss)))
        {
            var val = plot.Add.ScatterLine(xs, epochs.Select(e => e.ValidationPerplexity).ToArray());
            val.LegendText = "held-out end of the text";
            val.Color = Colors.DodgerBlue;
            val.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("perplexity per letter");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
