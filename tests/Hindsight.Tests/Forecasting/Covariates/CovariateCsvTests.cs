using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Data;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>Covariate columns of a long file (<see cref="CovariateCsv"/>), calendar and holiday columns, and the bad-input errors.</summary>
public class CovariateCsvTests
{
    private const string Long = """
        series,date,value,promo,temp,store,size
        a,2024-01-01,1,0,5.5,north,3
        a,2024-01-02,2,1,6.5,north,3
        a,2024-01-03,3,0,7.5,north,3
        b,2024-01-01,10,1,1.5,south,4
        b,2024-01-02,20,0,2.5,south,4
        b,2024-01-03,30,1,3.5,south,4
        a,2024-01-04,,1,,north,3
        b,2024-01-04,,0,,south,4
        """;

    private static readonly CovariateOptions All = new() { Past = "temp", Future = "promo", Static = "store,size" };

    [Fact]
    public void ReadsPastFutureAndStaticColumnsWithFutureRows()
    {
        using var f = new ForecastFiles();
        var data = CovariateCsv.Load(f.Write("d.csv", Long), null, All);
        Assert.Equal(["temp"], data.Covariates!.Past);
        Assert.Equal(["promo"], data.Covariates.Future);
        Assert.Equal([true, false], data.Covariates.StaticCategorical);
        var a = data["a"];
        Assert.Equal([1f, 2f, 3f], a.Values); // the future row is not a value
        Assert.Equal([5.5f, 6.5f, 7.5f], a.Covariates!.Past[0]);
        Assert.Equal([0f, 1f, 0f, 1f], a.Covariates.Future[0]);
        Assert.Equal(["north", "3"], a.Covariates.Static);
        Assert.Equal(4, data["b"].Covariates!.FutureLength);
        CovariateCsv.CheckFuture(data, 1);
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.CheckFuture(data, 2));
        Assert.Contains("series 'a': future covariate 'promo' has no value for 2024-01-05", ex.Message);
    }

    [Fact]
    public void JsonRecordsCarryTheSameCovariates()
    {
        using var f = new ForecastFiles();
        var json = f.Write("d.json", """
            [{"series":"a","date":"2024-01-01","value":1,"promo":0},{"series":"a","date":"2024-01-02","value":2,"promo":1},
             {"series":"a","date":"2024-01-03","value":null,"promo":1}]
            """);
        var data = CovariateCsv.Load(json, null, new CovariateOptions { Future = "promo" });
        Assert.Equal([1f, 2f], data["a"].Values);
        Assert.Equal([0f, 1f, 1f], data["a"].Covariates!.Future[0]);
    }

    [Fact]
    public void CalendarColumnsAreCyclicOrOneHotAndReachTheHorizon()
    {
        using var f = new ForecastFiles();
        var path = f.Write("d.csv", "date,value\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n");
        var data = CovariateCsv.Load(path, null, new CovariateOptions { Calendar = "dow,month" }, extend: 4);
        Assert.Equal(["dow_sin", "dow_cos", "month_sin", "month_cos"], data.Covariates!.Future);
        var c = data.Items[0].Covariates!;
        Assert.Equal(7, c.FutureLength);
        // 2024-01-01 is a Monday (dow 0): sin 0, cos 1; 2024-01-03 is dow 2.
        Assert.Equal(0f, c.Future[0][0], 6);
        Assert.Equal(1f, c.Future[1][0], 6);
        Assert.Equal((float)Math.Sin(2 * Math.PI * 2 / 7), c.Future[0][2], 6);
        Assert.Equal((float)Math.Cos(2 * Math.PI * 0 / 12), c.Future[3][6], 6); // January
        var oneHot = CovariateCsv.Load(path, null, new CovariateOptions { Calendar = "dow", CalendarEncoding = CalendarEncoding.OneHot });
        Assert.Equal(7, oneHot.Covariates!.Future.Length);
        Assert.Equal([1f, 0f, 0f], oneHot.Items[0].Covariates!.Future[0]);
        Assert.Equal([0f, 0f, 1f], oneHot.Items[0].Covariates!.Future[2]);
        Assert.All(oneHot.Covariates.FutureScaled, Assert.False);
    }

    [Fact]
    public void HolidaysBecomeIndicatorsOnePerNameOnRequest()
    {
        using var f = new ForecastFiles();
        var path = f.Write("d.csv", "date,value\n2024-12-24,1\n2024-12-25,2\n2024-12-26,3\n2024-12-27,4\n");
        var holidays = f.Write("h.csv", "date,name\n2024-12-25,christmas\n2024-12-26,boxing\n2025-01-01,new year\n");
        var one = CovariateCsv.Load(path, null, new CovariateOptions { Holidays = holidays }, extend: 6);
        Assert.Equal(["holiday"], one.Covariates!.Future);
        Assert.Equal([0f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 1f, 0f], one.Items[0].Covariates!.Future[0]);
        var named = CovariateCsv.Load(path, null, new CovariateOptions { Holidays = holidays, HolidaysByName = true });
        Assert.Equal(["holiday_boxing", "holiday_christmas", "holiday_new year"], named.Covariates!.Future);
        Assert.Equal([0f, 0f, 1f, 0f], named.Items[0].Covariates!.Future[0]);
        Assert.Equal([0f, 1f, 0f, 0f], named.Items[0].Covariates!.Future[1]);
    }

    [Fact]
    public void WeeklyPeriodsContainingAHolidayAreMarked()
    {
        using var f = new ForecastFiles();
        var path = f.Write("d.csv", "date,value\n2024-12-16,1\n2024-12-23,2\n2024-12-30,3\n");
        var holidays = f.Write("h.csv", "date\n2024-12-25\n");
        var data = CovariateCsv.Load(path, null, new CovariateOptions { Holidays = holidays });
        Assert.Equal([0f, 1f, 0f], data.Items[0].Covariates!.Future[0]);
    }

    [Theory]
    [InlineData("missing", "no covariate column 'missing' (future)")]
    [InlineData("store", "series 'a': future covariate 'store': 'north' is not a finite number")]
    public void BadFutureColumnsAreOneLineErrors(string column, string expected)
    {
        using var f = new ForecastFiles();
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.Load(f.Write("d.csv", Long), null, new CovariateOptions { Future = column }));
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void AStaticColumnThatChangesWithinASeriesNamesSeriesAndLine()
    {
        using var f = new ForecastFiles();
        var text = Long.Replace("a,2024-01-03,3,0,7.5,north,3", "a,2024-01-03,3,0,7.5,east,3", StringComparison.Ordinal);
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.Load(f.Write("d.csv", text), null, All));
        Assert.Contains(":4:", ex.Message);
        Assert.Contains("static covariate 'store' changes within series 'a': 'east' here, 'north' on line 2", ex.Message);
    }

    [Fact]
    public void AnEmptyValueBeforeTheLastOneIsStillAMissingValue()
    {
        using var f = new ForecastFiles();
        var text = Long.Replace("a,2024-01-02,2,", "a,2024-01-02,,", StringComparison.Ordinal);
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.Load(f.Write("d.csv", text), null, All));
        Assert.Contains(":3:", ex.Message);
        Assert.Contains("missing value before the series' last value", ex.Message);
    }

    [Fact]
    public void AMissingPastValueNamesSeriesAndDate()
    {
        using var f = new ForecastFiles();
        var text = Long.Replace("b,2024-01-02,20,0,2.5,", "b,2024-01-02,20,0,,", StringComparison.Ordinal);
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.Load(f.Write("d.csv", text), null, All));
        Assert.Contains("series 'b': past covariate 'temp' is empty", ex.Message);
    }

    [Fact]
    public void CalendarOnIntegerPeriodsIsAnError()
    {
        using var f = new ForecastFiles();
        var ex = Assert.Throws<DataFormatException>(() => CovariateCsv.Load(f.Write("d.csv", "period,value\n1,1\n2,2\n"), null, new CovariateOptions { Calendar = "month" }));
        Assert.Contains("need dates", ex.Message);
        Assert.Throws<ArgumentException>(() => CalendarFeatures.Parse("dow,fortnight", CalendarEncoding.Cyclic));
    }

    [Fact]
    public void WithoutCovariatesTheReaderIsSeriesCsv()
    {
        using var f = new ForecastFiles();
        var path = f.Write("d.csv", "series,date,value\na,2024-01-01,1\na,2024-01-02,2\n");
        var data = CovariateCsv.Load(path, null, new CovariateOptions());
        Assert.Null(data.Covariates);
        Assert.Equal(SeriesCsv.Load(path).Items[0].Values, data.Items[0].Values);
    }

    [Fact]
    public void TheEncoderScalesWithTrainingValuesOnlyAndRefusesUnseenLevels()
    {
        var schema = new CovariateSchema(["p"], ["f"], ["g"], [true], [true]);
        var covariates = new[]
        {
            new SeriesCovariates([[1f, 3f, 100f]], [[0f, 2f, 100f, 100f]], ["x"]),
            new SeriesCovariates([[5f, 7f, 100f]], [[4f, 6f, 100f, 100f]], ["y"]),
        };
        var encoder = CovariateEncoder.Fit(schema, covariates, _ => 2); // the 100s are after the training part
        Assert.Equal(4f, encoder.PastMean[0]);
        Assert.Equal((float)Math.Sqrt(5), encoder.PastStd[0], 5);
        Assert.Equal(3f, encoder.FutureMean[0]);
        Assert.Equal(["x", "y"], encoder.Levels[0]);
        var encoded = encoder.Encode(covariates[1]);
        Assert.Equal([0f, 1f], encoded.Static);
        var ex = Assert.Throws<ArgumentException>(() => encoder.Encode(covariates[0] with { Static = ["z"] }));
        Assert.Contains("level 'z' was not seen in training", ex.Message);
    }
}
