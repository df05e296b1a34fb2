using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Tests.Forecasting;

public class SeriesCsvTests
{
    [Fact]
    public void LongCsvGroupsSortsAndInfersMonthly()
    {
        using var f = new ForecastFiles();
        var path = f.Write("long.csv", "series,date,value\nb,2020-02-01,5\na,2020-01-01,1\na,2020-03-01,3\na,2020-02-01,2\nb,2020-01-01,4\n");
        var ts = SeriesCsv.Load(path);
        Assert.Equal(new Frequency(TimeUnit.Month, 1), ts.Frequency);
        Assert.Equal("monthly", ts.Frequency.Name);
        Assert.Equal(["b", "a"], ts.Items.Select(s => s.Id));
        Assert.Equal([1f, 2, 3], ts["a"].Values);
        Assert.Equal([4f, 5], ts["b"].Values);
        Assert.Equal(new DateTime(2020, 1, 1), ts["a"].Start);
        Assert.Equal("2020-03", ts.Label(ts["a"], 2));
        Assert.Equal(2, ts.MinLength);
    }

    [Fact]
    public void MixedCalendarFrequenciesKeepEachSeriesOwnStep()
    {
        using var f = new ForecastFiles();
        var path = f.Write("mixed.csv", "unique_id,ds,y\ny,2000-01-01,1\ny,2001-01-01,2\ny,2002-01-01,3\n" +
            "q,2000-01-01,1\nq,2000-04-01,2\nq,2000-07-01,3\nm,2000-01-01,1\nm,2000-02-01,2\n");
        var ts = SeriesCsv.Load(path);
        Assert.Equal("monthly", ts.Frequency.Name);
        Assert.True(ts.IsMixedFrequency);
        Assert.Equal("yearly", ts.FrequencyOf(ts["y"]).Name);
        Assert.Equal("quarterly", ts.FrequencyOf(ts["q"]).Name);
        Assert.Null(ts["m"].OwnFrequency);
        Assert.Equal([1f, 2, 3], ts["q"].Values);
        Assert.Equal("2002-01", ts.Label(ts["y"], 2));
    }

    [Fact]
    public void StepThatIsNoNamedFrequencyIsStillAGap()
    {
        using var f = new ForecastFiles();
        var path = f.Write("gap.csv", "unique_id,ds,y\na,2000-01-01,1\na,2000-03-01,2\na,2000-05-01,3\nb,2000-01-01,1\nb,2000-02-01,2\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Contains("series 'a': 1 missing period (monthly)", ex.Message);
    }

    [Fact]
    public void ColumnsSelectableByName()
    {
        using var f = new ForecastFiles();
        var path = f.Write("named.csv", "store,day,sales,other\nx,1,10,0\nx,2,11,0\ny,1,20,0\ny,3,22,0\n");
        var ts = SeriesCsv.Load(path, new SeriesCsvOptions { IdColumn = "store", TimeColumn = "day", ValueColumn = "sales", Fill = MissingValuePolicy.Linear });
        Assert.Equal(TimeUnit.Period, ts.Frequency.Unit);
        Assert.Null(ts["x"].Start);
        Assert.Equal([20f, 21, 22], ts["y"].Values); // period 2 missing, interpolated
        Assert.Equal(1, ts.FilledValues);
        var years = SeriesCsv.Load(f.Write("years.csv", "year,sales\n1990,1\n1992,2\n1994,4\n"), new SeriesCsvOptions { TimeColumn = "year" });
        Assert.Equal(new Frequency(TimeUnit.Period, 2), years.Frequency);
        Assert.Equal("1990", years.Label(years.Items[0], 0));
        Assert.Equal("1996", years.Label(years.Items[0], 3)); // the next period after the data
    }

    [Fact]
    public void BundledCo2NeedsAFillAndThenReadsMonthly()
    {
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(ForecastFiles.Co2, new SeriesCsvOptions { ValueColumn = "CO2" }));
        Assert.Equal(5, ex.Row);                   // the row after the first gap (1958-06 missing)
        Assert.Equal("Date", ex.Column);
        Assert.Contains("1 missing period (monthly) between '1958-05-01' and '1958-07-01'", ex.Message);
        Assert.Contains("set fill to ffill or linear", ex.Message);
        var ts = SeriesCsv.Load(ForecastFiles.Co2, new SeriesCsvOptions { ValueColumn = "CO2", Fill = MissingValuePolicy.Linear });
        Assert.Single(ts.Items);
        Assert.Equal(741 + 5, ts.Items[0].Length);   // 741 rows + 5 missing months (1958-06, 1958-10, 1964-02..04)
        Assert.Equal(5, ts.FilledValues);
        Assert.Equal((317.51f + 315.86f) / 2, ts.Items[0].Values[3], 3); // 1958-06: halfway between 1958-05 and 1958-07
        Assert.Equal(12, ts.Frequency.SeasonalPeriod);
    }

    [Fact]
    public void AmbiguousValueColumnIsAnErrorListingTheChoices()
    {
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(ForecastFiles.Co2));
        Assert.Equal(1, ex.Row);
        Assert.Contains("'CO2', 'adjusted CO2'", ex.Message);
        Assert.Contains("valueColumn", ex.Message);
    }

    [Fact]
    public void DailyDataAndForwardFill()
    {
        using var f = new ForecastFiles();
        var path = f.Write("daily.csv", "date,temp\n2021-01-30,1\n2021-01-31,\n2021-02-01,3\n2021-02-03,5\n");
        var err = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal(3, err.Row);
        Assert.Equal("temp", err.Column);
        Assert.Contains("missing value", err.Message);
        var ts = SeriesCsv.Load(path, new SeriesCsvOptions { Fill = MissingValuePolicy.ForwardFill });
        Assert.Equal("daily", ts.Frequency.Name);
        Assert.Equal([1f, 1, 3, 3, 5], ts.Items[0].Values);
        Assert.Equal("temp", ts.Items[0].Id);
        var lin = SeriesCsv.Load(path, new SeriesCsvOptions { Fill = MissingValuePolicy.Linear });
        Assert.Equal([1f, 2, 3, 4, 5], lin.Items[0].Values);
    }

    [Fact]
    public void LeadingMissingValuesAreDroppedAndTheStartMoves()
    {
        using var f = new ForecastFiles();
        var path = f.Write("lead.csv", "date,y\n2020-01-01,NaN\n2020-02-01,2\n2020-03-01,3\n");
        var ts = SeriesCsv.Load(path, new SeriesCsvOptions { Fill = MissingValuePolicy.Linear });
        Assert.Equal([2f, 3], ts.Items[0].Values);
        Assert.Equal(new DateTime(2020, 2, 1), ts.Items[0].Start);
    }

    [Fact]
    public void WideTableReusesWideSeriesAndReadsDateHeaders()
    {
        var ts = SeriesCsv.Load(Support.Repo.Path("data", "unemployment_wide.csv"));
        Assert.Equal(14, ts.Count);
        Assert.Equal("monthly", ts.Frequency.Name);
        Assert.Equal(new DateTime(2000, 1, 1), ts.Items[0].Start);
        var table = WideSeries.Load(Support.Repo.Path("data", "unemployment_wide.csv"));
        Assert.Equal(table.Row(3).ToArray(), ts.Items[3].Values);
        using var f = new ForecastFiles();
        var plain = SeriesCsv.Load(f.Write("w.csv", ",a,b,c\nr1,1,2,3\nr2,4,5,6\n"));
        Assert.Equal(TimeUnit.Period, plain.Frequency.Unit);
        Assert.Equal([4f, 5, 6], plain["r2"].Values);
    }

    [Fact]
    public void LongBundledUnemploymentMatchesTheWideTable()
    {
        var longTs = SeriesCsv.Load(Support.Repo.Path("data", "unemployment_long.csv"));
        Assert.Equal(14, longTs.Count);
        Assert.All(longTs.Items, s => Assert.Equal(122, s.Length));
        Assert.Equal(430f, longTs["Government"].Values[0]);
    }

    [Fact]
    public void JsonRecordsReadLikeTheLongCsv()
    {
        var json = SeriesCsv.Load(Support.Repo.Path("data", "unemployment-across-industries.json"), new SeriesCsvOptions { ValueColumn = "count" });
        var csv = SeriesCsv.Load(Support.Repo.Path("data", "unemployment_long.csv"));
        Assert.Equal(csv.Items.Select(s => s.Id), json.Items.Select(s => s.Id));
        for (int i = 0; i < csv.Count; i++)
        {
            Assert.Equal(csv.Items[i].Values, json.Items[i].Values);
            Assert.Equal(csv.Items[i].Start, json.Items[i].Start);
        }
        Assert.Equal(csv.Frequency, json.Frequency);
    }

    [Theory]
    [InlineData("{\"a\": 1}", null, null, "JSON array of records")]
    [InlineData("[{\"series\": \"a\", \"date\": \"2020-01-01\", \"value\": 1}, {\"series\": \"a\", \"value\": 2}]", 2, "date", "record 2 has no field 'date'")]
    [InlineData("[{\"series\": \"a\", \"date\": \"2020-01-01\", \"value\": \"1\"}]", 1, "value", "\"1\" is not a finite number")]
    [InlineData("[{\"series\": \"a\", \"date\": \"2020-01-01\", \"value\": null}]", 1, "value", "missing value")]
    [InlineData("[{\"series\": \"a\", \"date\": \"2020-01-01\", \"value\": 1}, 5]", 2, null, "record 2 is not an object")]
    [InlineData("[{\"series\": \"a\", ", null, null, "not valid JSON")]
    public void BadJsonNamesTheRecordAndField(string text, int? row, string? column, string fragment)
    {
        using var f = new ForecastFiles();
        var path = f.Write("bad.json", text);
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        if (row is not null) Assert.Equal(row, ex.Row);
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message);
    }

    [Theory]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-01-01,2\n", 3, "date", "twice")]
    [InlineData("series,date,value\na,2020-01-01,1\na,notadate,2\n", 3, "date", "not a date")]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-02-01,abc\n", 3, "value", "not a finite number")]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-02-01,inf\n", 3, "value", "not a finite number")]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-02-01\n", 3, null, "2 cells")]
    [InlineData("series,date,value\n,2020-01-01,1\n", 2, "series", "empty series id")]
    [InlineData("series,date,value\n", 2, null, "no data rows")]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-02-01,2\na,2020-05-01,5\n", 4, "date", "2 missing periods (monthly) between '2020-02-01' and '2020-05-01'")]
    [InlineData("series,date,value\na,2020-01-01,1\na,2020-01-02,2\nb,2020-01-01,1\nb,2020-01-03,3\n", 5, "date", "series 'b': 1 missing period (daily)")]
    [InlineData("series,time,value\na,1,1\na,2,2\na,4000000000000,3\n", 4, "time", "spans 4000000000000 periods (periods) from '1' to '4000000000000'")]
    public void BadInputNamesFileRowAndColumn(string text, int row, string? column, string fragment)
    {
        using var f = new ForecastFiles();
        var path = f.Write("bad.csv", text);
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path));
        Assert.Equal(path, ex.File);
        Assert.Equal(row, ex.Row);
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void MissingFileEmptyFileAndUnknownColumns()
    {
        using var f = new ForecastFiles();
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => SeriesCsv.Load(f.PathOf("nope.csv"))).Message);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => SeriesCsv.Load(f.Write("e.csv", ""))).Message);
        var path = f.Write("ok.csv", "series,date,value\na,2020-01-01,1\n");
        var ex = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(path, new SeriesCsvOptions { ValueColumn = "sales" }));
        Assert.Equal("sales", ex.Column);
        Assert.Contains("'series', 'date', 'value'", ex.Message);
        Assert.Contains("valueColumn", ex.Message);
        var noTime = Assert.Throws<DataFormatException>(() => SeriesCsv.Load(f.Write("nt.csv", "series,when,value\na,1,2\n"), new SeriesCsvOptions { IdColumn = "series" }));
        Assert.Contains("timeColumn", noTime.Message);
    }

    [Fact]
    public void TimeSeriesGuaranteesAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new TimeSeries("x", Frequency.Periods, []));
        Assert.Throws<ArgumentException>(() => new TimeSeries("x", Frequency.Periods, [new Series("a", [1, float.NaN], null)]));
        Assert.Throws<ArgumentException>(() => new TimeSeries("x", Frequency.Periods, [new Series("a", [1], null), new Series("a", [2], null)]));
        Assert.Throws<ArgumentException>(() => new TimeSeries("x", Frequency.Periods, [new Series("a", [1], new DateTime(2020, 1, 1))]));
        Assert.Throws<ArgumentException>(() => new TimeSeries("x", Frequency.Periods, [new Series("a", [], null)]));
    }
}
