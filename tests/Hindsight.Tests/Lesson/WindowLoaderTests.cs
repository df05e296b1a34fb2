using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;

namespace Hindsight.Tests.Lesson;

public class WindowLoaderTests
{
    [Fact]
    public void BatchesCoverEveryRowOnceWithTargetsShiftedOneStep()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 14, 30));
        var loader = new WindowLoader(table, 10, 10, new Rng(3));
        var batches = loader.Epoch(skipShort: false).ToList();
        Assert.Equal([10, 4], batches.Select(b => b.Rows));
        var seen = new HashSet<int>();
        foreach (var b in batches)
        {
            Assert.True(b.X.HasShape(b.Rows, 10) && b.Y.HasShape(b.Rows, 10));
            for (int r = 0; r < b.Rows; r++)
            {
                var x = b.X.Data.AsSpan(r * 10, 10);
                var y = b.Y.Data.AsSpan(r * 10, 10);
                Assert.True(x[1..].SequenceEqual(y[..9]), "y must be x shifted by one step");
                // Find the row and window start this window came from.
                int match = -1;
                for (int row = 0; row < table.Rows && match < 0; row++)
                    for (int start = 0; start + 11 <= table.PeriodCount; start++)
                        if (table.Row(row).Slice(start, 10).SequenceEqual(x) && table.Row(row)[start + 10] == y[9]) { match = row; break; }
                Assert.True(match >= 0, "window not found in the table");
                Assert.True(seen.Add(match), $"row {match} drawn twice in one epoch");
            }
        }
        Assert.Equal(14, seen.Count);
    }

    [Fact]
    public void SkippingShortBatchesDropsTheLastPartialBatch()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 14, 30));
        var batches = new WindowLoader(table, 10, 10, new Rng(3)).Epoch(skipShort: true).ToList();
        Assert.Equal([10], batches.Select(b => b.Rows));
    }

    [Fact]
    public void WindowStartsReachBothEndsOfTheSeries()
    {
        // randint(0, periods - seqLength - 1) is inclusive: with 12 periods and windows of 10 the start is 0 or 1.
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 1, 12));
        var loader = new WindowLoader(table, 10, 1, new Rng(1));
        var starts = new HashSet<float>();
        for (int i = 0; i < 200; i++) starts.Add(loader.Epoch(false).Single().X.Data[0]);
        Assert.Equal(new HashSet<float> { table.Row(0)[0], table.Row(0)[1] }, starts);
    }
}
