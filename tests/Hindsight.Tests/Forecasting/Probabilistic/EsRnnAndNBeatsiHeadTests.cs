using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Forecasting.Networks;
using Hindsight.Forecasting.Probabilistic;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Probabilistic;

/// <summary>
/// Quantile and distribution heads of esrnn (in its normalised log space, re-leveled and re-seasonalised) and nbeatsi
/// (each head output its own trend and seasonality): shapes, monotone quantiles, the median as the point forecast, known
/// quantiles of noise, model files, the CLI, and the refused cases.
/// </summary>
[Collection("Console")]
public class EsRnnAndNBeatsiHeadTests(ITestOutputHelper output)
{
    private const int Horizon = 6;

    // Series s: level_s x exp(sigma eps), eps standard normal (a log-normal around a constant level), or, additive,
    // level_s + spread eps.
    private static float[][] Noise(int count, int length, ulong seed, bool multiplicative, double sigma = 0.1)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(s =>
        {
            double level = 10 + 5 * s;
            return Enumerable.Range(0, length).Select(_ => (float)(multiplicative ? level * Math.Exp(sigma * rng.NextGaussian()) : level + sigma * rng.NextGaussian())).ToArray();
        }).ToArray();
    }

    private static ProbabilisticOptions Head(string head) => head switch
    {
        "quantiles" => new ProbabilisticOptions { Quantiles = "0.1,0.5,0.9" },
        "gaussian" => new ProbabilisticOptions { Distribution = OutputDistribution.Gaussian },
        _ => new ProbabilisticOptions { Distribution = OutputDistribution.StudentT },
    };

    private static ForecastSettings Small(string model, string head, int steps) => new()
    {
        Horizon = Horizon, Lookback = 12, SeasonalPeriod = 1, Hidden = 16, BlockWidth = 32, StackBlocks = 1, Steps = steps, Epochs = 200,
        Ensemble = 1, Validation = 0, Patience = 0, LearningRate = model == "esrnn" ? 1e-2f : 1e-3f, Probabilistic = Head(head),
    };

    [Theory]
    [InlineData("trend")]
    [InlineData("seasonality")]
    public void EachHeadOutputOfNbeatsiIsItsOwnCombinationOfTheBasis(string kind)
    {
        // A basis for W = 3 outputs per step: output w of step t is the one-output basis applied to the w-th coefficients.
        const int l = 8, h = 5, w = 3;
        var single = kind == "trend" ? TrendBasis.Create(l, h) : SeasonalityBasis.Create(l, h);
        var multi = kind == "trend" ? TrendBasis.Create(l, h, TrendBasis.DefaultDegree, w) : SeasonalityBasis.Create(l, h, w);
        Assert.Equal(single.BackcastSize, multi.BackcastSize);
        Assert.Equal(w * single.ForecastSize, multi.ForecastSize);
        var rng = new Rng(3);
        var theta = new Tensor(2, multi.ThetaSize);
        for (int i = 0; i < theta.Length; i++) theta.Data[i] = (float)rng.NextGaussian();
        var (backcast, forecast) = multi.Expand(theta);                                   // (2, L), (2, H W)
        Assert.Equal([2, h * w], forecast.Shape.ToArray());
        int p = single.ForecastSize, b0 = single.BackcastSize;
        for (int j = 0; j < w; j++)
        {
            var one = new Tensor(2, single.ThetaSize);
            for (int b = 0; b < 2; b++)
            {
                for (int k = 0; k < b0; k++) one.Data[b * single.ThetaSize + k] = theta.Data[b * multi.ThetaSize + k];
                for (int k = 0; k < p; k++) one.Data[b * single.ThetaSize + b0 + k] = theta.Data[b * multi.ThetaSize + b0 + k * w + j];
            }
            var (oneBackcast, oneForecast) = single.Expand(one);
            Assert.Equal(oneBackcast.Data, backcast.Data);
            for (int b = 0; b < 2; b++)
                for (int t = 0; t < h; t++)
                    Assert.Equal(oneForecast.Data[b * h + t], forecast.Data[b * h * w + t * w + j], 4);
        }
    }

    [Theory]
    [InlineData("esrnn", "quantiles")]
    [InlineData("esrnn", "gaussian")]
    [InlineData("esrnn", "studentt")]
    [InlineData("nbeatsi", "quantiles")]
    [InlineData("nbeatsi", "gaussian")]
    [InlineData("nbeatsi", "studentt")]
    public void QuantilesHaveTheirShapeNeverCrossAndTheMedianIsThePointForecast(string model, string head)
    {
        var series = Noise(3, 60, 2, multiplicative: true);
        var f = Small(model, head, 20).Create(model);
        f.Fit(series);
        var q = (IQuantileForecaster)f;
        Assert.Equal(head, q.QuantileMethod);
        if (head == "quantiles") Assert.Equal([0.1f, 0.5f, 0.9f], q.NativeLevels!);
        else Assert.Null(q.NativeLevels);
        var inputs = series.Select((s, i) => new ForecastInput(i, s.AsMemory(0, 50 + i))).ToList();
        double[] levels = [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95];
        var quantiles = q.PredictQuantiles(inputs, Horizon, levels);
        Assert.Equal(3, quantiles.Length);
        Assert.All(quantiles, r => { Assert.Equal(levels.Length, r.Length); Assert.All(r, l => Assert.Equal(Horizon, l.Length)); });
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < Horizon; k++)
            {
                for (int j = 1; j < levels.Length; j++) Assert.True(quantiles[i][j][k] >= quantiles[i][j - 1][k], $"input {i} step {k}: level {levels[j]} below {levels[j - 1]}");
                Assert.True(quantiles[i][^1][k] > quantiles[i][0][k], $"input {i} step {k}: a band of width 0");
            }
        var point = f.Predict(inputs, Horizon);
        var median = q.PredictQuantiles(inputs, Horizon, [0.5]);
        for (int i = 0; i < 3; i++) Assert.Equal(median[i][0], point[i]);
        for (int i = 0; i < 3; i++) Assert.Equal(quantiles[i][3], point[i]);
        // A shorter horizon gives the first steps of the same quantiles.
        var shorter = q.PredictQuantiles(inputs, 2, levels);
        Assert.Equal(quantiles[1][5][..2], shorter[1][5]);
    }

    [Theory]
    [InlineData("esrnn", "quantiles")]
    [InlineData("esrnn", "gaussian")]
    [InlineData("nbeatsi", "quantiles")]
    [InlineData("nbeatsi", "gaussian")]
    [InlineData("mlp", "gaussian")]
    public void TheQuantilesOfNoiseAreNearTheTrueOnes(string model, string head)
    {
        // esrnn: log-normal noise around a constant level, quantile q is level x exp(z_q sigma); the others: Gaussian
        // noise, level + z_q sigma; z_0.1 = -1.2816, z_0.9 = 1.2816. Standardised back to z (log(q / level) / sigma, or
        // (q - level) / sigma) and averaged over 30 series and the horizon, each must be within 0.3 of z_q (mlp: the
        // other heads' check on the same data).
        bool multiplicative = model == "esrnn";
        double sigma = multiplicative ? 0.1 : 1.0;
        var series = Noise(30, 160, 11, multiplicative, sigma);
        var f = Small(model, head, 600).Create(model);
        f.Fit(series);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        var q = ((IQuantileForecaster)f).PredictQuantiles(inputs, Horizon, [0.1, 0.5, 0.9]);
        double[] z = [-1.2816, 0, 1.2816];
        var found = new double[3];
        for (int j = 0; j < 3; j++)
            found[j] = Enumerable.Range(0, series.Length).Average(i =>
            {
                double level = 10 + 5 * i;
                return q[i][j].Average(v => multiplicative ? Math.Log(v / level) / sigma : (v - level) / sigma);
            });
        output.WriteLine($"{model} {head}: z of the 0.1, 0.5, 0.9 quantiles {found[0]:F3}, {found[1]:F3}, {found[2]:F3} (true -1.2816, 0, 1.2816)");
        for (int j = 0; j < 3; j++) Assert.True(Math.Abs(found[j] - z[j]) < 0.3, $"{model} {head}: quantile at z = {z[j]} is at z = {found[j]:F3}");
    }

    [Theory]
    [InlineData("esrnn", "quantiles", 1)]
    [InlineData("esrnn", "studentt", 3)]
    [InlineData("nbeatsi", "quantiles", 1)]
    [InlineData("nbeatsi", "gaussian", 2)]
    public void AModelFileGivesTheSameQuantiles(string model, string head, int members)
    {
        using var files = new ForecastFiles();
        var series = Noise(3, 60, 8, multiplicative: true);
        var settings = Small(model, head, 20) with { Ensemble = members };
        var f = settings.Create(model);
        f.Fit(series);
        var path = files.PathOf("m.safetensors");
        ForecastModelFile.Save(path, f, settings, ["a", "b", "c"], Frequency.Periods, null);
        var loaded = ForecastModelFile.Load(path);
        Assert.Equal(settings, loaded.Settings);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        double[] levels = [0.1, 0.25, 0.5, 0.9];
        Assert.Equal(((IQuantileForecaster)f).PredictQuantiles(inputs, Horizon, levels), ((IQuantileForecaster)loaded.Model).PredictQuantiles(inputs, Horizon, levels));
        Assert.Equal(f.Predict(inputs, Horizon), loaded.Model.Predict(inputs, Horizon));
    }

    [Fact]
    public void EsrnnRefusesTheNegativeBinomialAndTheOnnxExportOfAHead()
    {
        var negbin = Small("esrnn", "gaussian", 1) with { Probabilistic = new ProbabilisticOptions { Distribution = OutputDistribution.NegBin } };
        var ex = Assert.Throws<ArgumentException>(() => negbin.Create("esrnn"));
        Assert.Equal("distribution", ex.ParamName);
        Assert.Contains("negbin", ex.Message);
        var f = (EsRnnForecaster)Small("esrnn", "quantiles", 2).Create("esrnn");
        f.Fit(Noise(2, 40, 1, multiplicative: true));
        var onnx = Assert.Throws<NotSupportedException>(() => new EsRnnGraph(f));
        Assert.Contains("predicts quantiles; the ONNX graph takes point-forecast esrnn models", onnx.Message);
    }

    [Fact]
    public void TheAdapterForecastsEveryHeadOutputOfEveryStep()
    {
        // The point model draws the same initial weights as before heads existed: the adapter has H outputs.
        var f = (EsRnnForecaster)Small("esrnn", "gaussian", 1).Create("esrnn");
        Assert.Equal(Horizon * 2, f.Net.Head.Parameters().First().Shape[0]);
        var point = (EsRnnForecaster)(Small("esrnn", "gaussian", 1) with { Probabilistic = new() }).Create("esrnn");
        Assert.Equal(Horizon, point.Net.Head.Parameters().First().Shape[0]);
        Assert.Null(((IQuantileForecaster)point).QuantileMethod);
    }

    [Theory]
    [InlineData("esrnn", "quantiles")]
    [InlineData("nbeatsi", "gaussian")]
    public void TheCliTakesTheLevelFromTheHeadAndExportsOnlyNBeatsiToOnnx(string model, string head)
    {
        using var files = new ForecastFiles();
        var data = files.WriteLong("s.csv", Noise(2, 80, 3, multiplicative: true));
        var args = new ForecastArgs
        {
            Data = data, Horizon = Horizon, Lookback = 12, Season = 1, Models = model, Steps = 20, Ensemble = 1, Json = true, Level = [80],
            Probabilistic = Head(head), ModelFile = files.PathOf("m.safetensors"),
        };
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.True(TrainCommand.Run(args, o, e, interactive: false) == 0, e.ToString());
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.True(ForecastCommand.Run(args with { Models = "", ModelGiven = false, Output = files.PathOf("f.csv") }, o, e, interactive: false) == 0, e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        Assert.Equal(head, doc.RootElement.GetProperty("intervalMethod").GetString());
        var s0 = doc.RootElement.GetProperty("series")[0];
        var lower = s0.GetProperty("intervals")[0].GetProperty("lower").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var upper = s0.GetProperty("intervals")[0].GetProperty("upper").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var forecast = s0.GetProperty("forecast").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        for (int k = 0; k < Horizon; k++) Assert.True(lower[k] < forecast[k] && forecast[k] < upper[k], $"step {k}: {lower[k]} < {forecast[k]} < {upper[k]}");
        Assert.Equal($"unique_id,ds,{model},{model}-lo-80,{model}-hi-80{(head == "quantiles" ? $",{model}-median" : "")}", File.ReadLines(files.PathOf("f.csv")).First());
        (o, e) = (new StringWriter(), new StringWriter());
        int code = ExportCommand.Run(new ExportArgs { Model = files.PathOf("m.safetensors"), Out = files.PathOf("m.onnx") }, o, e);
        if (model == "nbeatsi")
        {
            // the generic head graph (checked against PredictQuantiles in Hindsight.Onnx.Tests' HeadExportTests)
            Assert.True(code == 0, e.ToString());
            Assert.True(File.Exists(files.PathOf("m.onnx")));
            return;
        }
        Assert.NotEqual(0, code);
        Assert.Contains("--quantiles or --distribution", e.ToString());
        Assert.Single(e.ToString().TrimEnd().Split('\n'));
    }
}
