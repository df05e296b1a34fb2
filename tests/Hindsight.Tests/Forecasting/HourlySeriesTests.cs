using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Tests.Forecasting;

/// <summary>
/// Sub-daily series: timestamps read with their time of day, the frequency inferred in hours or minutes, gaps and
/// duplicates reported as for daily data, and timestamps written back with their time.
/// </summary>
public class HourlySeriesTests
{
    [Theory]
    [InlineData("2024-01-01 22:00:00", "2024-01-01 23:00:00", "2024-01-02 00:00:00")]
    [InlineData("2024-01-01T22:00:00", "2024-01-01T23:00:00", "2024-01-02T00:00:00")]
    [InlineData("2024-01-01T22:00:00Z", "2024-01-01T23:00:00Z", "2024-01-02T00:00:00Z")]
    [InlineData("2024-01-01 22:00", "2024-01-01 23:00", "2024-01-02 00:00")]
    [InlineData("2024-01-01T23:00:00+01:00", "2024-01-02T00:00:00+01:00", "2024-01-02T01:00:00+01:00")] // offsets: UTC
    public void HourlyTimestampsAreReadWithTheirTimeOfDay(string t0, string t1, string t2)
    {
        using var f = new ForecastFiles();
        var ts = SeriesCsv.Load(f.Write("h.csv", $"ds,y\n{t0},1\n{t1},2\n{t2},3\n"));
        Assert.Equal(new Frequency(TimeUnit.Hour, 1), ts.Frequency);
        Assert.Equal("hourly", ts.Frequency.Name);
        Assert.Equal(24, ts.Frequency.SeasonalPeriod);
        Assert.Equal(new DateTime(2024, 1, 1, 22, 0, 0), ts.Items[0].Start);
        Assert.Equal([1f, 2f, 3f], ts.Items[0].Values);
        Assert.Equal("2024-01-02 01:00:00", ts.Label(ts.Items[0], 3));
        Assert.Equal("2024-01-01 23:00:00", ForecastCsv.Ds(ts, ts.Items[0], 1));
    }

    [Fact]
    public void LongHourlyDataInAnyRowOrderAndASixHourlyFile()
    {
        using var f = new ForecastFiles();
        var ts = SeriesCsv.Load(f.Write("h.csv", """
            unique_id,ds,y
            b,2024-03-05 02:00:00,20
            a,2024-03-05 01:00:00,2
            a,2024-03-05 00:00:00,1
            b,2024-03-05 01:00:00,10
            a,2024-03-05 02:00:00,3
            """));
        Assert.Equal(new Frequency(TimeUnit.Hour, 1), ts.Frequency);
        Assert.Equal([1f, 2f, 3f], ts["a"].Values);
        Assert.Equal(new DateTime(2024, 3, 5, 1, 0, 0), ts["b"].Start);
        var six = SeriesCsv.Load(f.Write("six.csv", "ds,y\n2024-01-01 00:00,1\n2024-01-01 06:00,2\n2024-01-01 12:00,3\n2024-01-01 18:00,4\n"));
        Assert.Equal(new Frequency(TimeUnit.Hour, 6), six.Frequency);
        Assert.Equal(4, six.Frequency.SeasonalPeriod); // a day
        Assert.Equal("2024-01-02 00:00:00", six.Label(six.Items[0], 4));
    }

    [Fact]
    public void QuarterHourlyDataCountInMinutes()
    {
        using var f = new ForecastFiles();
        var ts = SeriesCsv.Load(f.Write("q.csv", "ds,y\n2024-01-01 23:30,1\n2024-01-01 23:45,2\n2024-01-02 00:00,3\n"));
        Assert.Equal(new Frequency(TimeUnit.Minute, 15), ts.Frequency);
        Assert.Equal("every 15 minutes", ts.Frequency.Name);
        Assert.Equal(96, ts.Frequency.SeasonalPeriod);
        Assert.Equal("2024-01-02 00:15:00", ts.Label(ts.Items[0], 3));
    }

    [Fact]
    public void HoursAtTheSameMinutePastTheHourStayHourly()
    {
        using var f = new ForecastFiles();
        var ts = SeriesCsv.Load(f.Write("h.csv", "ds,y\n2024-01-01 10:30,1\n2024-01-01 11:30,2\n2024-01-01 13:30,4\n"), new SeriesCsvOptions { Fill = MissingValuePolicy.Linear });
        Assert.Equal(new Frequency(TimeUnit.Hour, 1), ts.Frequency);
        Assert.Equal([1f, 2f, 3f, 4f], ts.Items[0].Values);
        Assert.Equal("2024-01-01 14:30:00", ts.Label(ts.Items[0], 4));
    }

    [Fact]
    public void DailyDataWithTimestampsStayDaily()
    {
        // No two times of a series within 12 hours: the unit is the day (or month) as before, and dates are written
        // without a time, also when the time of day moves with daylight saving (local midnight written in UTC, as the
        // bundled vega-datasets JSON has it).
        using var f = new ForecastFiles();
        var midnight = SeriesCsv.Load(f.Write("d.csv", "ds,y\n2024-01-01 00:00:00,1\n2024-01-02 00:00:00,2\n2024-01-03 00:00:00,3\n"));
        Assert.Equal(new Frequency(TimeUnit.Day, 1), midnight.Frequency);
        Assert.Equal("2024-01-04", ForecastCsv.Ds(midnight, midnight.Items[0], 3));
        var nine = SeriesCsv.Load(f.Write("n.csv", "ds,y\n2024-01-01T09:00:00,1\n2024-01-02T09:00:00,2\n"));
        Assert.Equal(new Frequency(TimeUnit.Day, 1), nine.Frequency);
        Assert.Equal(new DateTime(2024, 1, 1), nine.Items[0].Start);
        var monthly = SeriesCsv.Load(f.Write("m.csv", "ds,y\n2024-01-01 00:00:00,1\n2024-02-01 00:00:00,2\n"));
        Assert.Equal(new Frequency(TimeUnit.Month, 1), monthly.Frequency);
        var dst = SeriesCsv.Load(f.Write("dst.csv", "ds,y\n2024-03-09T08:00:00Z,1\n2024-03-10T08:00:00Z,2\n2024-03-11T07:00:00Z,3\n2024-03-12T07:00:00Z,4\n"));
        Assert.Equal(new Frequency(TimeUnit.Day, 1), dst.Frequency);
        Assert.Equal("2024-03-13", dst.Label(dst.Items[0], 4));
        var dstMonthly = SeriesCsv.Load(f.Write("dstm.csv", "ds,y\n2024-02-01T08:00:00.000Z,1\n2024-03-01T08:00:00.000Z,2\n2024-04-01T07:00:00.000Z,3\n"));
        Assert.Equal(new Frequency(TimeUnit.Month, 1), dstMonthly.Frequency);
        var twiceDaily = SeriesCsv.Load(f.Write("t.csv", "ds,y\n2024-01-01 06:00,1\n2024-01-01 18:00,2\n2024-01-02 06:00,3\n"));
        Assert.Equal(new Frequency(TimeUnit.Hour, 12), twiceDaily.Frequency);
    }

    [Fact]
    public void AMissingHourNamesFileLineAndSeries()
    {
        using var f = new ForecastFiles();
        var path = f.Write("gap.csv", "series,ds,y\na,2024-01-01 10:00:00,1\na,2024-01-01 11:00:00,2\na,2024-01-01 14:00:00,5\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("gap.csv:4:", ex.Message);
        Assert.Contains("series 'a': 2 missing periods (hourly) between '2024-01-01 11:00:00' and '2024-01-01 14:00:00'", ex.Message);
        var filled = SeriesCsv.Load(path, new SeriesCsvOptions { Fill = MissingValuePolicy.Linear });
        Assert.Equal([1f, 2f, 3f, 4f, 5f], filled.Items[0].Values);
        Assert.Equal(2, filled.FilledValues);
    }

    [Fact]
    public void ADuplicateTimestampNamesFileLineAndSeries()
    {
        // The same instant written twice in two forms (a space and a T) is one timestamp.
        using var f = new ForecastFiles();
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(f.Write("dup.csv",
            "series,ds,y\na,2024-01-01 10:00:00,1\na,2024-01-01 11:00:00,2\na,2024-01-01T11:00:00,3\n")));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("dup.csv:4:", ex.Message);
        Assert.Contains("series 'a' has time '2024-01-01T11:00:00' twice (also on line 3)", ex.Message);
    }

    [Fact]
    public void TimesThatDifferInTheirSecondsAreRefused()
    {
        using var f = new ForecastFiles();
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(f.Write("s.csv", "ds,y\n2024-01-01 10:00:00,1\n2024-01-01 10:00:30,2\n")));
        Assert.Contains("s.csv:3:", ex.Message);
        Assert.Contains("read to the minute", ex.Message);
    }

    [Fact]
    public void AdvanceAndOrdinalCountHoursAndMinutes()
    {
        var hourly = new Frequency(TimeUnit.Hour, 1);
        var start = new DateTime(2024, 2, 28, 22, 0, 0);
        Assert.Equal(new DateTime(2024, 2, 29, 1, 0, 0), hourly.Advance(start, 3)); // across a day (and into a leap day)
        Assert.Equal(new DateTime(2024, 2, 28, 19, 0, 0), hourly.Advance(start, -3));
        Assert.Equal(new DateTime(2024, 3, 1, 10, 0, 0), new Frequency(TimeUnit.Hour, 6).Advance(start, 6));
        Assert.Equal(new DateTime(2024, 2, 28, 22, 45, 0), new Frequency(TimeUnit.Minute, 15).Advance(start, 3));
        Assert.Equal(start.Ticks / TimeSpan.TicksPerHour, Frequency.Ordinal(start, TimeUnit.Hour));
        Assert.Equal(1, Frequency.Ordinal(start.AddHours(1), TimeUnit.Hour) - Frequency.Ordinal(start, TimeUnit.Hour));
        Assert.Equal(24, Frequency.Ordinal(start.AddDays(1), TimeUnit.Hour) - Frequency.Ordinal(start, TimeUnit.Hour));
        Assert.Equal(Frequency.Ordinal(start, TimeUnit.Hour), Frequency.Ordinal(start.AddMinutes(59), TimeUnit.Hour)); // finer parts dropped
        Assert.Equal(90, Frequency.Ordinal(start.AddMinutes(90), TimeUnit.Minute) - Frequency.Ordinal(start, TimeUnit.Minute));
        Assert.True(hourly.IsSubDaily);
        Assert.False(new Frequency(TimeUnit.Day, 1).IsSubDaily);
        Assert.Equal("every 3 hours", new Frequency(TimeUnit.Hour, 3).Name);
        Assert.Equal(8, new Frequency(TimeUnit.Hour, 3).SeasonalPeriod);
        Assert.Equal(1, new Frequency(TimeUnit.Hour, 5).SeasonalPeriod); // 5 does not divide a day
    }

    [Fact]
    public void AWideTableWithHourlyHeadersIsHourly()
    {
        using var f = new ForecastFiles();
        var ts = SeriesCsv.Load(f.Write("w.csv", "name,2024-01-01 22:00,2024-01-01 23:00,2024-01-02 00:00\nx,1,2,3\n"));
        Assert.Equal(new Frequency(TimeUnit.Hour, 1), ts.Frequency);
        Assert.Equal(new DateTime(2024, 1, 1, 22, 0, 0), ts.Items[0].Start);
    }
}
