using Hindsight.Forecasting;

namespace Hindsight.Tests.Forecasting;

/// <summary>Forecaster.FitEachSeries: local fits on all cores with the results, notes and failure of a loop over the series.</summary>
public class FitEachSeriesTests
{
    // Fits each series to its mean; notes "series i" on every series, and fails (after its note) on series listed in `fails`.
    private sealed class MeanModel(params int[] fails) : Forecaster
    {
        public double[] Means = [];
        public override string Name => "mean";
        public override bool RequiresTraining => true;

        protected override void FitCore(IReadOnlyList<float[]> series) =>
            Means = FitEachSeries(series, (i, warn) =>
            {
                // later series finish first, so a collection in completion order would come out reversed
                Thread.Sleep((series.Count - i) * 3);
                warn($"series {i}");
                if (fails.Contains(i)) throw new ArithmeticException($"mean: cannot fit series {i}");
                return series[i].Average(v => (double)v);
            });

        protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
            inputs.Select(x => Enumerable.Repeat((float)Means[x.Series], horizon).ToArray()).ToArray();
    }

    private static readonly float[][] Series = [.. Enumerable.Range(0, 12).Select(i => new float[] { i, i + 2, i + 4 })];

    [Fact]
    public void ResultsAndNotesComeInSeriesOrder()
    {
        var model = new MeanModel();
        model.Fit(Series);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i + 2.0), model.Means);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => new ForecastWarning(i, $"series {i}")), model.Warnings);
    }

    [Fact]
    public void SeriesOfMixedLengthsAreFittedLongestFirstAndReportedInSeriesOrder()
    {
        float[][] series = [[1, 2], [1, 2, 3, 4, 5], [1, 2, 3], [1, 2, 3, 4, 5, 6, 7], [4, 5, 6], [9]];
        Assert.Equal([3, 1, 2, 4, 0, 5], Forecaster.LongestFirst(series));
        var model = new MeanModel(5, 2);
        var ex = Assert.Throws<ArithmeticException>(() => model.Fit(series));
        Assert.Equal("mean: cannot fit series 2", ex.Message);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => new ForecastWarning(i, $"series {i}")), model.Warnings);
        var ok = new MeanModel();
        ok.Fit(series);
        Assert.Equal(series.Select(x => x.Average(v => (double)v)), ok.Means);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => new ForecastWarning(i, $"series {i}")), ok.Warnings);
    }

    [Fact]
    public void TheLowestFailingSeriesIsReportedWithTheNotesBeforeIt()
    {
        var model = new MeanModel(9, 4, 7);
        var ex = Assert.Throws<ArithmeticException>(() => model.Fit(Series));
        Assert.Equal("mean: cannot fit series 4", ex.Message);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => new ForecastWarning(i, $"series {i}")), model.Warnings);
    }
}
