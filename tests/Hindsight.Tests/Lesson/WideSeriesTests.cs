using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Lesson;

public class WideSeriesTests
{
    [Fact]
    public void BundledUnemploymentTableDropsTheIndexColumn()
    {
        var table = WideSeries.Load(Repo.Path("data", "unemployment_wide.csv"));
        Assert.Equal(14, table.Rows);
        Assert.Equal(122, table.PeriodCount);
        Assert.Equal("2000-01", table.Periods[0]);
        Assert.Equal("2010-02", table.Periods[^1]);
        Assert.Equal("0", table.RowLabels[0]);
        Assert.Equal(2, table.Lines[0]);
        Assert.Equal(154f, table.Row(0)[0]); // Agriculture, 2000-01
        Assert.Equal(285f, table.Row(0)[^1]);
    }

    [Fact]
    public void MeanScalingPutsEveryRowMeanAtOne()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 3, 12));
        var scaled = RowScaler.Fit(table, SeriesScaling.Mean).Transform(table);
        for (int r = 0; r < 3; r++) Assert.Equal(1.0, scaled.Row(r).ToArray().Average(), 1e-5);
        var scaler = RowScaler.Fit(table, SeriesScaling.Mean);
        Assert.Equal(table.Row(1)[4], scaler.Inverse(1, scaled.Row(1)[4]), 3);
    }

    [Fact]
    public void StandardScalingGivesZeroMeanUnitSd()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 2, 15));
        var scaled = RowScaler.Fit(table, SeriesScaling.Standard).Transform(table);
        var row = scaled.Row(1).ToArray();
        double mean = row.Average();
        Assert.Equal(0.0, mean, 1e-5);
        Assert.Equal(1.0, Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average()), 1e-4);
        Assert.Equal(table.Values, RowScaler.Fit(table, SeriesScaling.None).Transform(table).Values);
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        using var files = new LessonFiles();
        var path = files.PathOf("nope.csv");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(path, ex.File);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void EmptyFileIsLineOne()
    {
        using var files = new LessonFiles();
        var path = files.WriteText("empty.csv", "");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(path, ex.File);
        Assert.Equal(1, ex.Row);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void HeaderOnlyFileHasNoRows()
    {
        using var files = new LessonFiles();
        var path = files.WriteText("header.csv", ",a,b,c\n");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(2, ex.Row);
        Assert.Contains("no data rows", ex.Message);
    }

    [Fact]
    public void NonNumberNamesLineAndColumn()
    {
        using var files = new LessonFiles();
        var path = files.WriteText("bad.csv", ",p1,p2,p3\n0,1,2,3\n1,4,five,6\n");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(path, ex.File);
        Assert.Equal(3, ex.Row);
        Assert.Equal("p2", ex.Column);
        Assert.Contains("'five' is not a finite number", ex.Message);
        Assert.StartsWith($"{path}:3: column p2:", ex.Message);
    }

    [Theory]
    [InlineData("0,1,,3")]
    [InlineData("0,1,NaN,3")]
    public void MissingValueNamesLineAndColumn(string row)
    {
        using var files = new LessonFiles();
        var path = files.WriteText("gap.csv", ",p1,p2,p3\n0,1,2,3\n" + row + "\n");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(3, ex.Row);
        Assert.Equal("p2", ex.Column);
        Assert.Contains("missing value", ex.Message);
    }

    [Fact]
    public void RaggedRowNamesLine()
    {
        using var files = new LessonFiles();
        var path = files.WriteText("ragged.csv", ",p1,p2,p3\n0,1,2,3\n1,4,5\n");
        var ex = Assert.Throws<DataFormatException>(() => WideSeries.Load(path));
        Assert.Equal(3, ex.Row);
        Assert.Contains("3 cells, but the header has 4", ex.Message);
    }

    [Fact]
    public void FewerPeriodsThanWindowPlusOneNamesHeaderAndLastColumn()
    {
        using var files = new LessonFiles();
        var path = files.WriteSeries("short.csv", 12, 10); // seq_length 10 needs 11 periods
        var table = WideSeries.Load(path);
        var ex = Assert.Throws<DataFormatException>(() => LessonExperiment.Run(table, SeriesScaling.Mean, new LessonOptions { Models = ["fc"], Epochs = 1 }));
        Assert.Equal(path, ex.File);
        Assert.Equal(1, ex.Row);
        Assert.Equal("2001-09", ex.Column);
        Assert.Contains("10 periods", ex.Message);
        Assert.Contains("at least 11", ex.Message);
    }

    [Fact]
    public void ZeroMeanRowCannotBeMeanScaled()
    {
        using var files = new LessonFiles();
        var path = files.WriteText("zero.csv", ",p1,p2\n0,1,2\n1,-1,1\n");
        var ex = Assert.Throws<DataFormatException>(() => RowScaler.Fit(WideSeries.Load(path), SeriesScaling.Mean));
        Assert.Equal(3, ex.Row);
        Assert.Equal("p1", ex.Column);
    }
}
