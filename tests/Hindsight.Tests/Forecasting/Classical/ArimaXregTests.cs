using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Arima;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>
/// ARIMA with regressors (R's <c>xreg</c>) against R 4.2 + forecast 8.20: tests/fixtures/forecast/arima_xreg_r.json, written
/// by tools/reference/arima_xreg_fixtures.R (real benchmark series with another series of the same source, a trend or
/// Fourier terms as regressors; fixed orders through Arima and auto.arima).
/// </summary>
public class ArimaXregTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllText(Repo.Fixture("forecast/arima_xreg_r.json"))));

    private static IEnumerable<JsonElement> Cases(string kind) =>
        Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == kind);

    private static JsonElement Case(string name) =>
        Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    // a list of columns as an n x k matrix
    private static double[,] Matrix(JsonElement columns)
    {
        var cols = columns.EnumerateArray().Select(c => c.Numbers()).ToArray();
        var m = new double[cols[0].Length, cols.Length];
        for (int j = 0; j < cols.Length; j++)
            for (int i = 0; i < cols[j].Length; i++) m[i, j] = cols[j][i];
        return m;
    }

    private static string[] Names(JsonElement c) => c.GetProperty("xreg_names").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static ArimaModel FitCase(JsonElement c)
    {
        var y = c.GetProperty("train").Numbers();
        int m = c.GetProperty("season").GetInt32();
        var xreg = Matrix(c.GetProperty("xreg"));
        if (c.GetProperty("kind").GetString() == "auto") return AutoArima.Fit(y, m, xreg: xreg, xregNames: Names(c));
        var o = c.GetProperty("order").Numbers().Select(v => (int)v).ToArray();
        var method = c.GetProperty("method_arg").GetString() switch { "ML" => ArimaMethod.Ml, "CSS" => ArimaMethod.Css, _ => ArimaMethod.CssMl };
        return ArimaModel.FitArima(y, new ArimaOrder(o[0], o[1], o[2], o[3], o[4], o[5], m), c.GetProperty("include_mean").GetBoolean(),
            c.GetProperty("include_drift").GetBoolean(), method: method, xreg: xreg, xregNames: Names(c));
    }

    private static double MaxDiff(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double d = 0;
        for (int i = 0; i < a.Length; i++) d = Math.Max(d, Math.Abs(a[i] - b[i]));
        return d;
    }

    // largest coefficient difference relative to max(1, |R's coefficient|)
    private static double CoefDiff(double[] r, IReadOnlyList<double> got)
    {
        Assert.Equal(r.Length, got.Count);
        double d = 0;
        for (int i = 0; i < r.Length; i++) d = Math.Max(d, Math.Abs(r[i] - got[i]) / Math.Max(1, Math.Abs(r[i])));
        return d;
    }

    // the model of case c against R's: same model, coefficients, forecasts and intervals (1e-3), AICc (1e-4 relative)
    private (double Coef, double Forecast, double Aicc) Compare(JsonElement c)
    {
        var r = c.GetProperty("model");
        string name = c.GetProperty("name").GetString()!;
        var model = FitCase(c);
        var ro = r.GetProperty("order").Numbers().Select(v => (int)v).ToArray();
        var got = model.Order;
        Assert.True(new[] { got.P, got.D, got.Q, got.SeasonalP, got.SeasonalD, got.SeasonalQ }.SequenceEqual(ro[..6]),
            $"{name}: {model} vs R's {r.GetProperty("method").GetString()}");
        Assert.Equal(r.GetProperty("names").EnumerateArray().Select(e => e.GetString()!), model.Fit.Names);
        Assert.Equal(r.GetProperty("method").GetString(), model.ToString());
        var y = c.GetProperty("train").Numbers();
        double scale = ArimaFixture.Scale(y);
        var fc = model.Forecast(Matrix(c.GetProperty("future_xreg")));
        double dfc = 0;
        foreach (var (key, values) in new[] { ("forecast", fc.Mean), ("lower80", fc.Lower[0]), ("upper80", fc.Upper[0]), ("lower95", fc.Lower[1]), ("upper95", fc.Upper[1]) })
            dfc = Math.Max(dfc, MaxDiff(r.GetProperty(key).Numbers(), values) / scale);
        double dcoef = CoefDiff(r.GetProperty("coef").Numbers(), model.Coefficients);
        double daicc = 0;
        if (r.GetProperty("aicc").ValueKind == JsonValueKind.Number)
            daicc = Math.Abs(model.Aicc - r.GetProperty("aicc").GetDouble()) / Math.Abs(r.GetProperty("aicc").GetDouble());
        else
            Assert.True(double.IsNaN(model.Aicc), $"{name}: R has no AICc (CSS)");
        double dll = Math.Abs(model.LogLik - r.GetProperty("loglik").GetDouble()) / Math.Max(1, Math.Abs(r.GetProperty("loglik").GetDouble()));
        output.WriteLine($"{name,-30} {model}: coef {dcoef:E2} forecast/intervals {dfc:E2} of the scale, AICc {daicc:E2}, loglik {dll:E2}");
        Assert.True(dcoef <= 1e-3, $"{name}: coefficients differ by {dcoef:E2}");
        Assert.True(dfc <= 1e-3, $"{name}: forecasts differ by {dfc:E2} of the scale");
        Assert.True(daicc <= 1e-4, $"{name}: AICc differs by {daicc:E2}");
        Assert.True(dll <= 1e-4, $"{name}: log-likelihood differs by {dll:E2}");
        return (dcoef, dfc, daicc);
    }

    [Fact]
    public void FixedOrdersWithRegressorsMatchR()
    {
        int count = 0;
        foreach (var c in Cases("fixed"))
        {
            if (c.GetProperty("model").IsError()) continue;
            Compare(c);
            count++;
        }
        Assert.True(count >= 8, $"only {count} fixed cases");
    }

    [Fact]
    public void AutoArimaWithRegressorsChoosesRsModel()
    {
        int count = 0;
        foreach (var c in Cases("auto"))
        {
            if (c.GetProperty("model").IsError()) continue;
            Compare(c);
            count++;
        }
        Assert.True(count >= 6, $"only {count} auto.arima cases");
    }

    [Fact]
    public void WhereRStopsTheFitIsAnArgumentException()
    {
        // collinear regressors (R: "xreg is rank deficient", or a failed optimisation), a constant regressor (R: non-finite
        // value from optim), Fourier terms of the period under a seasonal difference (R: singular system)
        int count = 0;
        foreach (var c in Doc.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!c.GetProperty("model").IsError()) continue;
            var ex = Assert.Throws<ArgumentException>(() => FitCase(c));
            Assert.Equal("xreg", ex.ParamName);
            Assert.DoesNotContain('\n', ex.Message);
            count++;
        }
        Assert.True(count >= 4, $"only {count} error cases");
    }

    [Fact]
    public void BadRegressorInputNamesTheParameter()
    {
        var c = Case("unemp_infl_200");
        var y = c.GetProperty("train").Numbers();
        var xreg = Matrix(c.GetProperty("xreg"));
        var future = Matrix(c.GetProperty("future_xreg"));
        var order = new ArimaOrder(2, 0, 0, Period: 4);
        var model = ArimaModel.FitArima(y, order, xreg: xreg);
        Assert.Equal(1, model.RegressorCount);

        // wrong column count in the future regressors
        Assert.Equal("futureXreg", Assert.Throws<ArgumentException>(() => model.Forecast(new double[8, 2])).ParamName);
        // non-finite future or training values
        var badFuture = (double[,])future.Clone();
        badFuture[3, 0] = double.NaN;
        Assert.Equal("futureXreg", Assert.Throws<ArgumentException>(() => model.Forecast(badFuture)).ParamName);
        var badXreg = (double[,])xreg.Clone();
        badXreg[10, 0] = double.PositiveInfinity;
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => ArimaModel.FitArima(y, order, xreg: badXreg)).ParamName);
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => AutoArima.Fit(y, 4, xreg: badXreg)).ParamName);
        // rows other than the series' length
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => ArimaModel.FitArima(y.AsSpan(1), order, xreg: xreg)).ParamName);
        // a forecast without the future regressors
        Assert.Throws<ArgumentException>(() => model.Forecast(8));
        Assert.Throws<ArgumentException>(() => model.ForecastFrom(y, 8));
        // a constant column, and one collinear with another
        var constant = new double[y.Length, 2];
        for (int i = 0; i < y.Length; i++) { constant[i, 0] = xreg[i, 0]; constant[i, 1] = 2.5; }
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => ArimaModel.FitArima(y, order, xreg: constant)).ParamName);
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => AutoArima.Fit(y, 4, xreg: constant)).ParamName);
        var collinear = new double[y.Length, 2];
        for (int i = 0; i < y.Length; i++) { collinear[i, 0] = xreg[i, 0]; collinear[i, 1] = 1 - 3 * xreg[i, 0]; }
        Assert.Equal("xreg", Assert.Throws<ArgumentException>(() => ArimaModel.FitArima(y, new ArimaOrder(1, 1, 0), xreg: collinear)).ParamName);
        // every forecast finite
        var fc = model.Forecast(future);
        Assert.All(fc.Mean.Concat(fc.Upper[1]), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void ForecastFromTheFittedHistoryEqualsForecast()
    {
        // filtering the fitted series again with the fitted coefficients gives R's forecast (the drift continues from n)
        var c = Case("cons_dpi_011_drift");
        var model = FitCase(c);
        var y = c.GetProperty("train").Numbers();
        var xreg = Matrix(c.GetProperty("xreg"));
        var future = Matrix(c.GetProperty("future_xreg"));
        var a = model.Forecast(future);
        var b = model.ForecastFrom(y, xreg, future);
        for (int i = 0; i < a.Mean.Length; i++)
        {
            Assert.Equal(a.Mean[i], b.Mean[i], 1e-6 * ArimaFixture.Scale(y));
            Assert.Equal(a.Upper[1][i], b.Upper[1][i], 1e-6 * ArimaFixture.Scale(y));
        }
        Assert.Equal("historyXreg", Assert.Throws<ArgumentException>(() => model.ForecastFrom(y, future, future)).ParamName);
    }

    [Fact]
    public void ForecasterUsesRegressorsOfEachSeries()
    {
        var c = Case("auto_cons_dpi");
        var y = c.GetProperty("train").Numbers();
        var xreg = Matrix(c.GetProperty("xreg"));
        var future = Matrix(c.GetProperty("future_xreg"));
        int n = y.Length, h = future.GetLength(0);
        var all = new double[n + h, 1];
        for (int i = 0; i < n; i++) all[i, 0] = xreg[i, 0];
        for (int i = 0; i < h; i++) all[n + i, 0] = future[i, 0];
        var forecaster = new ArimaForecaster(4, "1,1,2,c", new ArimaRegressors([all], ["macro_realdpi"]));
        var yf = Array.ConvertAll(y, v => (float)v);
        forecaster.Fit([yf]);
        var expected = ArimaModel.FitArima(Array.ConvertAll(yf, v => (double)v), new ArimaOrder(1, 1, 2, Period: 4), includeDrift: true, xreg: xreg).Forecast(future).Mean;
        var got = forecaster.Predict(h)[0];
        for (int i = 0; i < h; i++) Assert.Equal(expected[i], got[i], 1e-4 * ArimaFixture.Scale(y));
        Assert.Equal("Regression with ARIMA(1,1,2) errors", forecaster.Models[0].ToString());
        // an earlier origin reads the regressors after it
        var origin = forecaster.Predict([new ForecastInput(0, yf.AsMemory(0, n - 4))], h)[0];
        Assert.All(origin, v => Assert.True(float.IsFinite(v)));
        // a horizon past the regressors' rows, and a matrix count other than the series count
        Assert.Equal("regressors", Assert.Throws<ArgumentException>(() => forecaster.Predict(h + 1)).ParamName);
        var two = new ArimaForecaster(4, "auto", new ArimaRegressors([all]));
        Assert.Equal("regressors", Assert.Throws<ArgumentException>(() => two.Fit([yf, yf])).ParamName);
    }

    [Fact]
    public void ARegressorThatDeterminesTheSeriesIsRecovered()
    {
        // y = 2 + 3 x + small AR(1) noise: the regression recovers beta = 3 and forecasts the future x; without x the
        // forecast misses the future's swings
        var rng = new Random(11);
        int n = 120, h = 12;
        var x = new double[n + h];
        for (int i = 0; i < x.Length; i++) x[i] = Math.Sin(i * 0.9) * 5 + rng.NextDouble();
        var y = new double[n + h];
        double e = 0;
        for (int i = 0; i < y.Length; i++) { e = 0.5 * e + 0.05 * (rng.NextDouble() - 0.5); y[i] = 2 + 3 * x[i] + e; }
        var train = new double[n, 1];
        var future = new double[h, 1];
        for (int i = 0; i < n; i++) train[i, 0] = x[i];
        for (int i = 0; i < h; i++) future[i, 0] = x[n + i];
        var with = AutoArima.Fit(y.AsSpan(0, n), 1, xreg: train);
        Assert.Equal(3, with.Coefficients[^1], 0.01);
        var fc = with.Forecast(future).Mean;
        var without = AutoArima.Fit(y.AsSpan(0, n), 1).Forecast(h).Mean;
        double errWith = 0, errWithout = 0;
        for (int i = 0; i < h; i++) { errWith += Math.Abs(fc[i] - y[n + i]); errWithout += Math.Abs(without[i] - y[n + i]); }
        Assert.True(errWith / h < 0.05, $"mean error with the regressor {errWith / h}");
        Assert.True(errWithout > 20 * errWith, $"without {errWithout / h}, with {errWith / h}");
    }
}
