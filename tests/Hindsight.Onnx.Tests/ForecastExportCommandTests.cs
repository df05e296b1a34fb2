using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static Hindsight.Onnx.Tests.CovariateExportTests;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// <c>hindsight export</c> of forecaster files with covariates and quantile or distribution heads: the graph is fed by the
/// recipe in its metadata (the covariates encoded with the training statistics it carries) and gives the library's
/// forecasts; what cannot export is exit 2 naming the flag.
/// </summary>
public sealed class ForecastExportCommandTests(ITestOutputHelper output) : ExportTestBase(output), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hindsight-export-forecast-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(ExportArgs args)
    {
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = ExportCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static readonly CovariateOptions Columns = new() { Past = "x", Future = "price", Static = "size,region", Calendar = "dow" };

    private string Save(string name, ForecastSettings settings, Kinds kinds, bool counts = false)
    {
        var (series, schema, covariates) = Panel(kinds, counts);
        var model = settings.Create(name);
        model.FitWith(series, kinds == 0 ? null : schema, kinds == 0 ? null : covariates);
        string file = Path.Combine(_dir, $"{name}.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a", "b", "c"], Frequency.Periods, covariates: kinds == 0 ? null : Columns);
        _models[file] = (NeuralForecaster)model;
        return file;
    }

    private readonly Dictionary<string, NeuralForecaster> _models = [];

    [Fact]
    public void QuantileEnsembleWithEveryCovariateKindFollowsItsMetadataRecipe()
    {
        var settings = new ForecastSettings
        {
            Horizon = Horizon, Lookback = Lookback, SeasonalPeriod = 1, Hidden = 5, Epochs = 2, Ensemble = 2, Seed = 9,
            Probabilistic = new ProbabilisticOptions { Quantiles = "0.1,0.9" },
        };
        string file = Save("gru", settings, Kinds.All);
        var (code, stdout, err) = Run(new ExportArgs { Model = file });
        Assert.True(code == 0, err);
        Assert.Contains("forecast gru ensemble of 2 quantiles", stdout);
        Assert.Contains($"future (batch, ", stdout);

        using var session = new InferenceSession(Path.Combine(_dir, "gru.onnx"));
        Assert.Equal(["input", "past", "future", "static"], session.InputMetadata.Keys);
        Assert.Equal(["output", "quantiles"], session.OutputMetadata.Keys);
        var meta = session.ModelMetadata.CustomMetadataMap;
        var levels = JsonSerializer.Deserialize<float[]>(meta["quantiles"])!;
        Assert.Equal([0.1f, 0.5f, 0.9f], levels);
        Assert.Equal("[\"price\",\"dow_sin\",\"dow_cos\"]", meta["covariates.future"]);
        int l = int.Parse(meta["lookback"], System.Globalization.CultureInfo.InvariantCulture);
        var mean = JsonSerializer.Deserialize<float[]>(meta["scaler.mean"])!;
        var std = JsonSerializer.Deserialize<float[]>(meta["scaler.std"])!;
        var e = JsonSerializer.Deserialize<CovariateEncoder>(meta["covariates.encoder"])!;

        // the recipe, from the raw panel: window z minus its last z; past and future columns standardised by the encoder's
        // statistics (calendar columns have mean 0, std 1); size standardised, region one-hot over its levels
        var (series, _, covariates) = Panel(Kinds.All);
        int b = Count, n = Length;
        var x = new Tensor(b, l);
        var past = new Tensor(b, l, 1);
        var future = new Tensor(b, l + Horizon, 3);
        var statics = new Tensor(b, 1 + e.Levels[1].Length);
        var lastZ = new float[b];
        for (int s = 0; s < b; s++)
        {
            lastZ[s] = (series[s][n - 1] - mean[s]) / std[s];
            for (int k = 0; k < l; k++)
            {
                x.Data[s * l + k] = (series[s][n - l + k] - mean[s]) / std[s] - lastZ[s];
                past.Data[s * l + k] = (covariates[s].Past[0][n - l + k] - e.PastMean[0]) / e.PastStd[0];
            }
            for (int k = 0; k < l + Horizon; k++)
                for (int j = 0; j < 3; j++)
                    future.Data[(s * (l + Horizon) + k) * 3 + j] = (covariates[s].Future[j][k < l ? n - l + k : n + k - l] - e.FutureMean[j]) / e.FutureStd[j];
            int width = statics.Dim(1);
            statics.Data[s * width] = (float.Parse(covariates[s].Static[0], System.Globalization.CultureInfo.InvariantCulture) - e.StaticMean[0]) / e.StaticStd[0];
            statics.Data[s * width + 1 + Array.IndexOf(e.Levels[1], covariates[s].Static[1])] = 1;
        }
        var y = OrtRunner.Run(session, x, more: new Dictionary<string, Tensor> { ["past"] = past, ["future"] = future, ["static"] = statics });
        var model = _models[file];
        var inputs = Enumerable.Range(0, b).Select(s => new ForecastInput(s, series[s]) { Covariates = covariates[s] }).ToArray();
        var expected = model.PredictQuantiles(inputs, Horizon, levels.Select(v => (double)v).ToArray());   // [series][level][step]
        var actual = new float[b * 3 * Horizon];
        var q = y["quantiles"];
        for (int s = 0; s < b; s++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < Horizon; k++) actual[(s * 3 + j) * Horizon + k] = (q.Data[(s * Horizon + k) * 3 + j] + lastZ[s]) * std[s] + mean[s];
        Compare.Close(new Tensor([.. expected.SelectMany(r => r.SelectMany(v => v))], b, 3, Horizon), actual, "export gru x2 quantiles with covariates vs PredictQuantiles", Output);
        var point = model.Predict(inputs, Horizon);
        var forecast = y["output"].Data.Select((v, i) => (v + lastZ[i / Horizon]) * std[i / Horizon] + mean[i / Horizon]).ToArray();
        Compare.Close(new Tensor([.. point.SelectMany(r => r)], b, Horizon), forecast, "export gru x2 median with covariates vs Predict", Output);
    }

    [Fact]
    public void NegativeBinomialExportsItsParametersInCounts()
    {
        var settings = new ForecastSettings
        {
            Horizon = Horizon, Lookback = Lookback, SeasonalPeriod = 1, Hidden = 5, Epochs = 2, Ensemble = 1, Seed = 2,
            Probabilistic = new ProbabilisticOptions { Distribution = OutputDistribution.NegBin },
        };
        string file = Save("mlp", settings, 0, counts: true);
        var (code, stdout, err) = Run(new ExportArgs { Model = file, Json = true });
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("forecast mlp negbin", doc.RootElement.GetProperty("kind").GetString());
        using var session = new InferenceSession(Path.Combine(_dir, "mlp.onnx"));
        Assert.Equal(["input", "count_scale"], session.InputMetadata.Keys);
        Assert.Equal(["mean", "alpha"], session.OutputMetadata.Keys);
        Assert.Equal("negbin", session.ModelMetadata.CustomMetadataMap["distribution"]);

        var model = _models[file];
        var inputs = Origins(0, counts: true);
        var feeds = new ForecastGraphFeeds(model, inputs, Lookback, Horizon);
        var y = OrtRunner.Run(session, feeds.Input, more: feeds.More);
        var median = new Hindsight.Distributions.NegativeBinomial(y["mean"], y["alpha"]).Quantiles([0.5f]);
        Compare.Close(new Tensor([.. model.Predict(inputs, Horizon).SelectMany(r => r)], inputs.Length, Horizon), median.Data, "export mlp negbin median vs Predict", Output);
    }

    [Fact]
    public void RecursiveProbabilisticModelsAreExitTwoNamingTheFlags()
    {
        var settings = new ForecastSettings
        {
            Horizon = Horizon, Lookback = Lookback, SeasonalPeriod = 1, Hidden = 4, Epochs = 1, Ensemble = 1, Recursive = true,
            Probabilistic = new ProbabilisticOptions { Quantiles = "0.2,0.8", Samples = 5 },
        };
        string file = Save("gru", settings, 0);
        var (code, _, err) = Run(new ExportArgs { Model = file });
        Assert.Equal(2, code);
        Assert.Contains("--strategy recursive", err);
        Assert.Contains("--quantiles", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "gru.onnx")));
    }
}
