using System.Text.Json.Nodes;
using Hindsight.Cli;
using Hindsight.Tests.Serialization;
using Hindsight.Text;

namespace Hindsight.Tests.Cli;

/// <summary>
/// Forged model files through the command line: <c>forecast</c>, <c>langid predict</c>, <c>generate sample</c> and
/// <c>export</c> exit 2 with one line naming the file and the entry or tensor, print nothing else and write nothing.
/// </summary>
[Collection("Console")]
public sealed class ForgedModelFileCliTests : IDisposable
{
    private readonly ForgedModelFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        var oldOut = Console.Out; var oldErr = Console.Error;
        Console.SetOut(o); Console.SetError(e);
        try { return (CliApp.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    private void AssertRefused((int Code, string Out, string Err) r, string file, string mention)
    {
        Assert.Equal(2, r.Code);
        var line = Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(file, line);
        Assert.Contains(mention, line);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Equal("", r.Out);
        // nothing written beside the model file: no ONNX file, no output folder, no temp file
        var written = Directory.GetFileSystemEntries(_files.Folder).Where(p => !p.EndsWith(".safetensors", StringComparison.Ordinal) && !p.EndsWith(".csv", StringComparison.Ordinal));
        Assert.Empty(written);
    }

    public static TheoryData<string, string, string> ForecasterForgeries => new()
    {
        { "jordan", "settings.Layers", "metadata entry 'settings'" },
        { "gru", "settings.Layers", "metadata entry 'settings'" },
        { "mlp", "settings.Horizon", "metadata entry 'settings'" },
        { "mlp", "settings.Hidden", "metadata entry 'settings'" },
        { "gru", "weight:gru.weight_hh_l0", "tensor 'gru.weight_hh_l0'" },
        { "mlp", "weight:mlp.0.weight", "tensor 'mlp.0.weight'" },
        { "mlp", "scaler.std", "metadata entry 'scaler.std'" },
        { "mlp", "conformal.width", "metadata entry 'conformal.width'" },
    };

    private string ForgedForecaster(string model, string forgery)
    {
        var path = _files.Forecaster(model, intervals: forgery == "conformal.width");
        switch (forgery)
        {
            case "settings.Layers": ForgedModelFiles.ForgeSetting(path, "Layers", JsonValue.Create(100000)); break;
            case "settings.Horizon": ForgedModelFiles.ForgeSetting(path, "Horizon", JsonValue.Create(50_000_000)); break;
            case "settings.Hidden": ForgedModelFiles.ForgeSetting(path, "Hidden", JsonValue.Create(20000)); break;
            case "scaler.std": ForgedModelFiles.ForgeEntry(path, "scaler.std", "[3e38,1]"); break;
            case "conformal.width": ForgedModelFiles.ForgeEntry(path, "conformal.width", "[1,-1,1,1]"); break;
            default: ForgedModelFiles.ForgeWeight(path, forgery["weight:".Length..], float.NaN); break;
        }
        return path;
    }

    [Theory]
    [MemberData(nameof(ForecasterForgeries))]
    public void ForecastRefusesAForgedModelFile(string model, string forgery, string mention)
    {
        var path = ForgedForecaster(model, forgery);
        var data = _files.WriteData();
        AssertRefused(Run("forecast", "--data", data, "--model-file", path, "--out", _files.PathOf("out"), "--json"), path, mention);
    }

    [Theory]
    [MemberData(nameof(ForecasterForgeries))]
    public void ExportRefusesAForgedForecasterFile(string model, string forgery, string mention)
    {
        var path = ForgedForecaster(model, forgery);
        AssertRefused(Run("export", path), path, mention);
        AssertRefused(Run("export", path, "--out", _files.PathOf("x.onnx")), path, mention);
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Cell, "i2h.weight")]
    [InlineData(LanguageIdArchitecture.Gru, "out.weight")]
    [InlineData(LanguageIdArchitecture.Lstm, "rnn.bias_hh_l0")]
    public void LanguageIdFilesWithNonFiniteWeightsAreRefusedByPredictAndExport(LanguageIdArchitecture architecture, string tensor)
    {
        var path = _files.LanguageId(architecture);
        ForgedModelFiles.ForgeWeight(path, tensor, float.NaN);
        AssertRefused(Run("langid", "predict", "--model-file", path, "abc"), path, $"tensor '{tensor}'");
        AssertRefused(Run("export", path), path, $"tensor '{tensor}'");
    }

    [Theory]
    [InlineData("hidden_size", "2147483647")]
    [InlineData("languages", "[\"en\",\"fr\"]")]
    public void LanguageIdFilesWithForgedSizesAreRefusedByPredictAndExport(string key, string value)
    {
        var path = _files.LanguageId(LanguageIdArchitecture.Gru);
        ForgedModelFiles.ForgeEntry(path, key, value);
        AssertRefused(Run("langid", "predict", "--model-file", path, "abc"), path, key);
        AssertRefused(Run("export", path), path, key);
    }

    [Theory]
    [InlineData(false, "weight:rnn.weight_ih_l0", "tensor 'rnn.weight_ih_l0'")]
    [InlineData(true, "weight:out.bias", "tensor 'out.bias'")]
    [InlineData(false, "num_layers", "num_layers")]
    [InlineData(true, "hidden_size", "hidden_size")]
    public void GenerateFilesWithForgedContentAreRefusedBySampleAndExport(bool gru, string forgery, string mention)
    {
        var path = _files.Generate(gru);
        if (forgery.StartsWith("weight:", StringComparison.Ordinal)) ForgedModelFiles.ForgeWeight(path, forgery["weight:".Length..], float.PositiveInfinity);
        else ForgedModelFiles.ForgeEntry(path, forgery, forgery == "num_layers" ? "100000" : "2147483647");
        AssertRefused(Run("generate", "sample", "--model-file", path, "--length", "20"), path, mention);
        AssertRefused(Run("export", path), path, mention);
        AssertRefused(Run("export", path, "--initial-state", "--json"), path, mention);
    }

    [Fact]
    public void AnUntouchedFileStillExports()
    {
        var path = _files.Generate(false);
        var r = Run("export", path, "--out", _files.PathOf("g.onnx"));
        Assert.Equal(0, r.Code);
        Assert.True(File.Exists(_files.PathOf("g.onnx")));
    }
}
