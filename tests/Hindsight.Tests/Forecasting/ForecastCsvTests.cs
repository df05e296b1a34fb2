using System.Globalization;
using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;
using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Tests.Forecasting;

/// <summary>The long CSV of --output: NeuralForecast's column names for intervals and quantiles, and the values written equal the ones in memory.</summary>
[Collection("Console")]
public class ForecastCsvTests
{
    [Theory]
    [InlineData(0.1, "-lo-80")]
    [InlineData(0.5, "-median")]
    [InlineData(0.9, "-hi-80")]
    [InlineData(0.025, "-lo-95")]
    [InlineData(0.975, "-hi-95")]
    [InlineData(0.05, "-lo-90")]
    [InlineData(0.75, "-hi-50")]
    [InlineData(0.333, "-lo-33.4")]
    [InlineData(0.1f, "-lo-80")]
    public void QuantileColumnsAreNamedAsNeuralForecastNamesThem(double level, string suffix) =>
        Assert.Equal(suffix, ForecastCsv.QuantileSuffix(level));

    // The table as rows of cells by column name.
    private static (string[] Header, List<Dictionary<string, string>> Rows) Read(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return (header, lines.Skip(1).Select(l => l.Split(',').Select((c, i) => (header[i], c)).ToDictionary(p => p.Item1, p => p.c)).ToList());
    }

    private static float Cell(Dictionary<string, string> row, string column) => float.Parse(row[column], CultureInfo.InvariantCulture);

    private static float[][] Noise(int count, int length, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(s => Enumerable.Range(0, length).Select(_ => (float)(10 + 5 * s + rng.NextGaussian())).ToArray()).ToArray();
    }

    [Fact]
    public void ForecastWritesEveryLevelAndEveryQuantileAsInTheJson()
    {
        using var f = new ForecastFiles();
        var data = f.WriteLong("s.csv", Noise(2, 80, 5));
        var args = new ForecastArgs
        {
            Data = data, Horizon = 6, Lookback = 12, Season = 1, Models = "mlp", Steps = 30, Ensemble = 1, Json = true, Level = [80, 95],
            Probabilistic = new() { Quantiles = "0.1,0.25,0.5,0.9" }, Output = f.PathOf("f.csv"),
        };
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.True(ForecastCommand.Run(args, o, e, interactive: false) == 0, e.ToString());
        var (header, rows) = Read(File.ReadAllText(f.PathOf("f.csv")));
        // 0.1 and 0.9 are the 80 % bounds already written; 0.25 and 0.5 get their own columns.
        Assert.Equal(["unique_id", "ds", "mlp", "mlp-lo-80", "mlp-hi-80", "mlp-lo-95", "mlp-hi-95", "mlp-lo-50", "mlp-median"], header);
        using var doc = JsonDocument.Parse(o.ToString());
        var series = doc.RootElement.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(2 * 6, rows.Count);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var forecast = s.GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var quantiles = s.GetProperty("quantiles").EnumerateArray().ToDictionary(q => q.GetProperty("level").GetDouble(), q => q.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray());
            var intervals = s.GetProperty("intervals").EnumerateArray().ToDictionary(q => q.GetProperty("level").GetDouble(), q => q);
            for (int k = 0; k < 6; k++)
            {
                var row = rows[i * 6 + k];
                Assert.Equal(s.GetProperty("id").GetString(), row["unique_id"]);
                Assert.StartsWith(s.GetProperty("periods")[k].GetString()!, row["ds"], StringComparison.Ordinal); // the label (2006-09) of the ISO date
                Assert.Equal(forecast[k], Cell(row, "mlp"));
                Assert.Equal(quantiles[0.1][k], Cell(row, "mlp-lo-80"));
                Assert.Equal(quantiles[0.9][k], Cell(row, "mlp-hi-80"));
                Assert.Equal(intervals[95].GetProperty("lower")[k].GetSingle(), Cell(row, "mlp-lo-95"));
                Assert.Equal(intervals[95].GetProperty("upper")[k].GetSingle(), Cell(row, "mlp-hi-95"));
                Assert.Equal(quantiles[0.25][k], Cell(row, "mlp-lo-50"));
                Assert.Equal(quantiles[0.5][k], Cell(row, "mlp-median"));
                Assert.Equal(forecast[k], Cell(row, "mlp-median")); // the point forecast of a quantile head is its median
                Assert.True(Cell(row, "mlp-lo-95") <= Cell(row, "mlp-lo-80") && Cell(row, "mlp-lo-80") <= Cell(row, "mlp-lo-50")
                    && Cell(row, "mlp-lo-50") <= Cell(row, "mlp-median") && Cell(row, "mlp-median") <= Cell(row, "mlp-hi-80") && Cell(row, "mlp-hi-80") <= Cell(row, "mlp-hi-95"));
            }
        }
    }

    [Fact]
    public void TheEvaluationTableHoldsTheQuantilesInMemory()
    {
        var series = Noise(2, 80, 7);
        var data = new TimeSeries("noise", Frequency.Periods, series.Select((v, i) => new Series($"s{i}", v, null)).ToList());
        var settings = new ForecastSettings
        {
            Horizon = 6, Lookback = 12, SeasonalPeriod = 1, Hidden = 16, Steps = 30, Ensemble = 1, Validation = 0,
            Probabilistic = new ProbabilisticOptions { Quantiles = "0.1,0.3,0.5,0.9" },
        };
        var result = Evaluation.Holdout(data, ["naive", "mlp"], settings, null, new IntervalOptions { Levels = [80] });
        double[] asked = [0.1, 0.3, 0.5, 0.9];
        var (header, rows) = Read(ForecastCsv.Evaluation(data, result, [80], asked));
        // snaive, naive: analytic quantiles; mlp: its head. Each: the point, the 80 % bounds (= 0.1, 0.9), then 0.3 and the median.
        Assert.Equal(["unique_id", "ds", "cutoff", "y",
            "snaive", "snaive-lo-80", "snaive-hi-80", "snaive-lo-40", "snaive-median",
            "naive", "naive-lo-80", "naive-hi-80", "naive-lo-40", "naive-median",
            "mlp", "mlp-lo-80", "mlp-hi-80", "mlp-lo-40", "mlp-median"], header);
        foreach (var m in result.Models)
        {
            string name = m.Score.Model;
            var layout = m.Layout!;
            foreach (var fc in m.Forecasts)
                for (int k = 0; k < fc.Forecast.Length; k++)
                {
                    var row = rows.Single(r => r["unique_id"] == data.Items[fc.Series].Id && r["ds"] == ForecastCsv.Ds(data, data.Items[fc.Series], fc.Origin + k));
                    Assert.Equal(fc.Actual[k], Cell(row, "y"));
                    Assert.Equal(fc.Forecast[k], Cell(row, name));
                    Assert.Equal(fc.Quantiles![layout.IndexOf(0.1)][k], Cell(row, name + "-lo-80"));
                    Assert.Equal(fc.Quantiles![layout.IndexOf(0.9)][k], Cell(row, name + "-hi-80"));
                    Assert.Equal(fc.Quantiles![layout.IndexOf(0.3)][k], Cell(row, name + "-lo-40"));
                    Assert.Equal(fc.Quantiles![layout.IndexOf(0.5)][k], Cell(row, name + "-median"));
                }
        }
        // Without asked quantiles the table is as before: the point and the interval bounds.
        Assert.Equal("unique_id,ds,cutoff,y,snaive,snaive-lo-80,snaive-hi-80,naive,naive-lo-80,naive-hi-80,mlp,mlp-lo-80,mlp-hi-80",
            ForecastCsv.Evaluation(data, result, [80], null).Split('\n')[0]);
    }
}
