using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Forecasting;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Text;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary><c>hindsight export</c>: model files of generate and langid to ONNX files that ONNX Runtime runs; bad input is exit 2.</summary>
public sealed class ExportCommandTests(ITestOutputHelper output) : ExportTestBase(output), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hindsight-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(ExportArgs args)
    {
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = ExportCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void GenerateModelFileExportsNextToIt()
    {
        var model = new CharLanguageModel(false, new Alphabet("abc "), 4, 2, new Rng(41));
        string file = Path.Combine(_dir, "lm.safetensors");
        model.Save(file);
        var (code, stdout, err) = Run(new ExportArgs { Model = file });
        Assert.True(code == 0, err);
        string onnx = Path.Combine(_dir, "lm.onnx");
        Assert.Contains($"wrote {onnx}", stdout);
        Assert.Contains("c_n (2, batch, 4)", stdout);

        model.Eval();
        var x = model.OneHot([0, 1, 2, 3, 2, 1], [0, 3], 3);   // two streams of three letters
        var state = new RecurrentState();
        Tensor logits;
        using (Tape.NoGrad()) logits = model.Forward(x, state);
        using var session = new InferenceSession(onnx);
        var actual = OrtRunner.Run(session, x);
        Hindsight.Tests.Support.Compare.Close(Ops.Reshape(logits, 3, 2, 4), actual["logits"], "export generate logits", Output);
        Hindsight.Tests.Support.Compare.Close(state.Cell!, actual["c_n"], "export generate c_n", Output);
    }

    [Fact]
    public void LangIdModelFileExportsWithJson()
    {
        var model = new LanguageIdModel(LanguageIdArchitecture.Gru, new Alphabet("abcd"), ["en", "fr"], 3, new Rng(42));
        string file = Path.Combine(_dir, "langid.safetensors"), onnx = Path.Combine(_dir, "out", "langid-gru.onnx");
        model.Save(file);
        var (code, stdout, err) = Run(new ExportArgs { Model = file, Out = onnx, Json = true });
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(onnx, doc.RootElement.GetProperty("onnx").GetString());
        Assert.Equal("langid gru", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(17, doc.RootElement.GetProperty("opset").GetInt32());
        Assert.Equal(new FileInfo(onnx).Length, doc.RootElement.GetProperty("bytes").GetInt64());

        var net = (RecurrentWordClassifier)model.Network;
        net.Eval();
        int[] lengths = [2, 1];
        var x = new Tensor(2, 2, 4);
        x.Data[0] = 1; x.Data[4 + 2] = 1; x.Data[8 + 3] = 1;   // word 0: a, d; word 1: c
        Tensor logits;
        using (Tape.NoGrad()) logits = net.Forward(x, lengths);
        using var session = new InferenceSession(onnx);
        Hindsight.Tests.Support.Compare.Close(logits, OrtRunner.Run(session, x, lengths)["logits"], "export langid logits", Output);
    }

    [Fact]
    public void RegisteredCommandParsesTheModelArgumentAndOut()
    {
        var model = new CharLanguageModel(true, new Alphabet("xy"), 2, 1, new Rng(44));
        string file = Path.Combine(_dir, "g.safetensors"), onnx = Path.Combine(_dir, "g-export.onnx");
        model.Save(file);
        var root = new System.CommandLine.RootCommand();
        foreach (var command in Hindsight.Cli.CommandCatalog.All()) root.Subcommands.Add(command);
        Assert.Equal(0, root.Parse(["export", file, "--out", onnx, "--json"]).Invoke());
        using var session = new InferenceSession(onnx);
        Assert.Equal(["logits", "h_n"], session.OutputMetadata.Keys);
    }

    [Fact]
    public void InitialStateAddsStateInputsForGenerateOnly()
    {
        var model = new CharLanguageModel(false, new Alphabet("ab"), 3, 2, new Rng(45));
        string file = Path.Combine(_dir, "s.safetensors");
        model.Save(file);
        var (code, stdout, err) = Run(new ExportArgs { Model = file, InitialState = true });
        Assert.True(code == 0, err);
        Assert.Contains("c0 (2, batch, 3)", stdout);
        using (var session = new InferenceSession(Path.Combine(_dir, "s.onnx")))
            Assert.Equal(["input", "h0", "c0"], session.InputMetadata.Keys);

        var langid = new LanguageIdModel(LanguageIdArchitecture.Lstm, new Alphabet("ab"), ["en", "fr"], 3, new Rng(46));
        string lfile = Path.Combine(_dir, "l.safetensors");
        langid.Save(lfile);
        (code, _, err) = Run(new ExportArgs { Model = lfile, InitialState = true });
        Assert.Equal(2, code);
        Assert.Contains("--initial-state", err);
    }

    [Fact]
    public void LangIdCellModelExportsTheLoopOverAWord()
    {
        var model = new LanguageIdModel(LanguageIdArchitecture.Cell, new Alphabet("ab"), ["en", "fr"], 3, new Rng(43));
        string file = Path.Combine(_dir, "cell.safetensors");
        model.Save(file);
        var (code, stdout, err) = Run(new ExportArgs { Model = file });
        Assert.True(code == 0, err);
        Assert.Contains("langid cell", stdout);
        var x = new Tensor(3, 2, 2);
        for (int i = 0; i < 6; i++) x.Data[i * 2 + i % 2] = 1f;   // two three-letter words
        Tensor expected;
        using (Tape.NoGrad()) expected = LanguageIdModel.CellForward((RnnCell)model.Network, x);
        using var session = new InferenceSession(Path.Combine(_dir, "cell.onnx"));
        Hindsight.Tests.Support.Compare.Close(expected, OrtRunner.Run(session, x)["output"], "export langid cell output", Output);
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("mlp")]
    [InlineData("jordan")]
    public void ForecastModelFileReproducesPredictThroughTheDocumentedScaling(string name)
    {
        // two short seasonal series, a few epochs: the numbers only need to be the trained network's
        var series = Enumerable.Range(0, 2).Select(s => Enumerable.Range(0, 40).Select(t => 10f * (s + 1) + MathF.Sin(t * 0.7f + s) * (3 + s)).ToArray()).ToArray();
        var settings = new ForecastSettings { Horizon = 3, Lookback = 8, Hidden = 5, Epochs = 2, Ensemble = 1 }; // one network exports as itself
        var model = settings.Create(name);
        model.Fit(series);
        string file = Path.Combine(_dir, $"{name}.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a", "b"], Frequency.Periods);
        var (code, stdout, err) = Run(new ExportArgs { Model = file });
        Assert.True(code == 0, err);
        Assert.Contains($"forecast {name}", stdout);

        using var session = new InferenceSession(Path.Combine(_dir, $"{name}.onnx"));
        var meta = session.ModelMetadata.CustomMetadataMap;
        var mean = JsonSerializer.Deserialize<float[]>(meta["scaler.mean"])!;
        var std = JsonSerializer.Deserialize<float[]>(meta["scaler.std"])!;
        Assert.Equal("[\"a\",\"b\"]", meta["series"]);
        var expected = model.Predict([new ForecastInput(0, series[0]), new ForecastInput(1, series[1])], 3);
        // z = (value - mean) / std; input = last 8 z minus the last z; forecast = (output + last z) * std + mean
        var x = new Tensor(2, 8);
        var lastZ = new float[2];
        for (int s = 0; s < 2; s++)
        {
            lastZ[s] = (series[s][^1] - mean[s]) / std[s];
            for (int k = 0; k < 8; k++) x.Data[s * 8 + k] = (series[s][^(8 - k)] - mean[s]) / std[s] - lastZ[s];
        }
        var y = OrtRunner.Run(session, x)["output"];
        var forecast = new float[6];
        for (int s = 0; s < 2; s++)
            for (int k = 0; k < 3; k++) forecast[s * 3 + k] = (y.Data[s * 3 + k] + lastZ[s]) * std[s] + mean[s];
        Hindsight.Tests.Support.Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), 2, 3), forecast, $"export forecast {name} vs Predict", Output);
    }

    [Fact]
    public void EnsembleModelFileExportsItsMembersAndMedian()
    {
        var series = Enumerable.Range(0, 2).Select(s => Enumerable.Range(0, 60).Select(t => 10f * (s + 1) + MathF.Sin(t * 0.7f + s) * (3 + s)).ToArray()).ToArray();
        var settings = new ForecastSettings { Horizon = 3, Lookback = 6, SeasonalPeriod = 1, Hidden = 5, Epochs = 2, Ensemble = 4, Loss = "mase" };
        var model = settings.Create("lstm");
        model.Fit(series);
        string file = Path.Combine(_dir, "ensemble.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a", "b"], Frequency.Periods);
        var (code, stdout, err) = Run(new ExportArgs { Model = file, Json = true });
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("forecast lstm ensemble of 4", doc.RootElement.GetProperty("kind").GetString());

        using var session = new InferenceSession(Path.Combine(_dir, "ensemble.onnx"));
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("[6,9,12,6]", meta["members.lookback"]);
        Assert.Equal("median", meta["combine"]);
        int l = int.Parse(meta["lookback"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(12, l);
        var mean = JsonSerializer.Deserialize<float[]>(meta["scaler.mean"])!;
        var std = JsonSerializer.Deserialize<float[]>(meta["scaler.std"])!;
        var expected = model.Predict([new ForecastInput(0, series[0]), new ForecastInput(1, series[1])], 3);
        // the documented recipe, with the longest lookback: last 12 z minus the last z; forecast = (output + last z) * std + mean
        var x = new Tensor(2, l);
        var lastZ = new float[2];
        for (int s = 0; s < 2; s++)
        {
            lastZ[s] = (series[s][^1] - mean[s]) / std[s];
            for (int k = 0; k < l; k++) x.Data[s * l + k] = (series[s][^(l - k)] - mean[s]) / std[s] - lastZ[s];
        }
        var y = OrtRunner.Run(session, x)["output"];
        var forecast = new float[6];
        for (int s = 0; s < 2; s++)
            for (int k = 0; k < 3; k++) forecast[s * 3 + k] = (y.Data[s * 3 + k] + lastZ[s]) * std[s] + mean[s];
        Hindsight.Tests.Support.Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), 2, 3), forecast, "export lstm ensemble of 4 vs Predict", Output);
    }

    [Fact]
    public void EsRnnModelFileExportsTheWholeForecast()
    {
        var series = Enumerable.Range(0, 2).Select(s => Enumerable.Range(0, 40).Select(t => 10f * (s + 1) + 0.2f * t + MathF.Sin(t * 1.6f + s) * 3).ToArray()).ToArray();
        var settings = new ForecastSettings { Horizon = 2, Lookback = 4, SeasonalPeriod = 4, Hidden = 3, Epochs = 1, Ensemble = 3 };
        var model = (Hindsight.Forecasting.EsRnn.EsRnnForecaster)settings.Create("esrnn");
        model.Fit(series);
        string file = Path.Combine(_dir, "esrnn.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a", "b"], Frequency.Periods);
        var (code, stdout, err) = Run(new ExportArgs { Model = file });
        Assert.True(code == 0, err);
        Assert.Contains("forecast esrnn ensemble of 3", stdout);
        Assert.Contains("series (batch) int64", stdout);

        using var session = new InferenceSession(Path.Combine(_dir, "esrnn.onnx"));
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(JsonSerializer.Serialize(model.Shift), meta["shift"]);
        using (var smoothing = JsonDocument.Parse(meta["smoothing"]))
            Assert.Equal(model.Smoothings[1].Alpha(0), smoothing.RootElement[1].GetProperty("alpha")[0].GetSingle());
        var expected = model.Predict([new ForecastInput(0, series[0]), new ForecastInput(1, series[1])], 2);
        // the graph takes the raw histories (one length per call) and each row's series index
        var x = new Tensor(series.SelectMany(r => r).ToArray(), 2, 40);
        var y = OrtRunner.Run(session, x, int64s: new Dictionary<string, long[]> { ["series"] = [0, 1] })["output"];
        Hindsight.Tests.Support.Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), 2, 2), y, "export esrnn x3 vs Predict", Output);
    }

    [Fact]
    public void RecursiveEnsemblesOnShortWindowsAreExitTwoNamingTheFlags()
    {
        var series = new[] { Enumerable.Range(0, 40).Select(t => MathF.Sin(t * 0.5f)).ToArray() };
        var settings = new ForecastSettings { Horizon = 2, Lookback = 4, SeasonalPeriod = 1, Hidden = 3, Epochs = 1, Ensemble = 2, Recursive = true, MinHistory = 2 };
        var model = settings.Create("gru");
        model.Fit(series);
        string file = Path.Combine(_dir, "recursive.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a"], Frequency.Periods);
        var (code, _, err) = Run(new ExportArgs { Model = file });
        Assert.Equal(2, code);
        Assert.Contains("--strategy recursive", err);
        Assert.Contains("--min-history", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "recursive.onnx")));
    }

    [Fact]
    public void ForecastersWithoutANetworkAreExitTwo()
    {
        var series = new[] { Enumerable.Range(0, 30).Select(t => (float)t).ToArray() };
        var settings = new ForecastSettings { Horizon = 2, Lookback = 4 };
        var model = settings.Create("naive");
        model.Fit(series);
        string file = Path.Combine(_dir, "naive.safetensors");
        ForecastModelFile.Save(file, model, settings, ["a"], Frequency.Periods);
        var (code, _, err) = Run(new ExportArgs { Model = file });
        Assert.Equal(2, code);
        Assert.Contains("no network", err);
    }

    [Fact]
    public void MissingOrForeignFilesAreExitTwo()
    {
        var (code, _, err) = Run(new ExportArgs { Model = Path.Combine(_dir, "none.safetensors") });
        Assert.Equal(2, code);
        Assert.Contains("not found", err);

        string foreign = Path.Combine(_dir, "weights.safetensors");
        SafeTensors.Save(foreign, [KeyValuePair.Create("w", Tensor.Zeros(2))], null);
        (code, _, err) = Run(new ExportArgs { Model = foreign });
        Assert.Equal(2, code);
        Assert.Contains("hindsight.kind", err);
        Assert.DoesNotContain("   at ", err);
    }
}
