using System.Globalization;
using System.Text.Json.Nodes;
using Hindsight.Forecasting;
using Hindsight.Settings;
using Hindsight.Text;

namespace Hindsight.Tests.Serialization;

/// <summary>
/// Forged model files (real files, edited): every value read from a model file is checked before it is used or sizes an
/// allocation, and a bad one is an <see cref="InvalidDataException"/> naming the file and the entry or tensor.
/// </summary>
public sealed class ForgedModelFileTests : IDisposable
{
    private readonly ForgedModelFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Refusing a forged file must not allocate what the forged sizes ask for: far less than any forged network.
    private const long AllocationBudget = 20_000_000;

    private static InvalidDataException Refused(Func<object> load, string path, params string[] mentions)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith(path + ": ", ex.Message);
        foreach (var m in mentions) Assert.Contains(m, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(allocated < AllocationBudget, $"{allocated} bytes allocated to refuse: {ex.Message}");
        return ex;
    }

    private static InvalidDataException RefusedForecaster(string path, params string[] mentions) => Refused(() => ForecastModelFile.Load(path), path, mentions);

    // ---------------------------------------------------------------- forecasters: settings and sizes

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    [InlineData("rnn")]
    [InlineData("jordan")]
    public void AHundredThousandLayersAreRefusedAtOnce(string model)
    {
        var path = _files.Forecaster(model);
        ForgedModelFiles.ForgeSetting(path, "Layers", 100000);
        RefusedForecaster(path, "metadata entry 'settings'", "100000");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    [InlineData("jordan")]
    public void AHorizonOfFiftyMillionIsRefusedBeforeAllocating(string model)
    {
        var path = _files.Forecaster(model);
        ForgedModelFiles.ForgeSetting(path, "Horizon", 50_000_000);
        RefusedForecaster(path, "metadata entry 'settings'", "50000000");
    }

    [Theory]
    [InlineData("mlp", 20000)]
    [InlineData("gru", 20000)]
    [InlineData("lstm", int.MaxValue)]
    [InlineData("jordan", 20000)]
    public void AHiddenSizeThatDisagreesWithTheTensorsIsRefusedBeforeTheNetworkIsBuilt(string model, int hidden)
    {
        var path = _files.Forecaster(model);
        ForgedModelFiles.ForgeSetting(path, "Hidden", hidden);
        RefusedForecaster(path, "metadata entry 'settings'", hidden.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("ar")]
    public void ALookbackThatDisagreesWithTheTensorsIsRefused(string model)
    {
        var path = _files.Forecaster(model);
        ForgedModelFiles.ForgeSetting(path, "Lookback", int.MaxValue);
        RefusedForecaster(path, "metadata entry 'settings'", int.MaxValue.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheShapesMessageNamesTheTensorAndBothShapes()
    {
        var path = _files.Forecaster("mlp");
        ForgedModelFiles.ForgeSetting(path, "Hidden", 7);
        var ex = RefusedForecaster(path);
        Assert.Equal($"{path}: metadata entry 'settings' (hidden 7, layers 1, lookback 8, horizon 4) disagrees with tensor 'mlp.0.weight': it has shape (6, 8), expected (7, 8).", ex.Message);
    }

    [Fact]
    public void AnExtraTensorIsRefusedNamingIt()
    {
        var path = _files.Forecaster("gru");
        ForgedModelFiles.Forge(path, (_, tensors) => tensors["gru.weight_ih_l7"] = new Tensor(18, 1));
        RefusedForecaster(path, "tensor 'gru.weight_ih_l7'");
    }

    /// <summary>Every ranged setting of <see cref="ForecastSettings"/>, just outside its declared range (whatever the limits are), is refused naming it.</summary>
    [Fact]
    public void EverySettingIsCheckedAgainstTheRangeOfTheOptionsRecord()
    {
        var path = _files.Forecaster("snaive");
        var original = File.ReadAllBytes(path);
        int cases = 0;
        foreach (var s in SettingTable.Of<ForecastSettings>().Where(s => s.HasRange))
        {
            bool integer = s.ValueType == typeof(int);
            var outside = new List<double>();
            if (!double.IsNaN(s.Attribute.Min)) outside.Add(s.Attribute.MinExclusive || !integer ? s.Attribute.Min - (integer ? 0 : Math.Max(1e-3, Math.Abs(s.Attribute.Min))) : s.Attribute.Min - 1);
            if (!double.IsNaN(s.Attribute.Max) && (!integer || s.Attribute.Max < int.MaxValue)) outside.Add(s.Attribute.MaxExclusive ? s.Attribute.Max : s.Attribute.Max + (integer ? 1 : Math.Max(1, Math.Abs(s.Attribute.Max))));
            foreach (var v in outside)
            {
                File.WriteAllBytes(path, original);
                JsonNode value = integer ? JsonValue.Create((long)v) : JsonValue.Create(v);
                ForgedModelFiles.ForgeSetting(path, s.Property.Name, value);
                Assert.NotNull(s.Problem(integer ? (object)(int)v : (float)v));
                RefusedForecaster(path, "metadata entry 'settings'", s.Name);
                cases++;
            }
        }
        Assert.True(cases >= 8, $"only {cases} out-of-range settings tried");
    }

    // ---------------------------------------------------------------- forecasters: weights, scaler, intervals

    [Theory]
    [InlineData("mlp", "mlp.2.weight", float.NaN)]
    [InlineData("gru", "head.bias", float.PositiveInfinity)]
    [InlineData("ar", "ar.coefficients", float.NegativeInfinity)]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(string model, string tensor, float bad)
    {
        var path = _files.Forecaster(model);
        ForgedModelFiles.ForgeWeight(path, tensor, bad);
        RefusedForecaster(path, $"tensor '{tensor}' holds {bad}");
    }

    [Theory]
    [InlineData("[1e39,1,1,1]")]
    [InlineData("[0.5,-0.25,1,1]")]
    [InlineData("[0.5,1,1]")]
    public void ConformalWidthsMustBeFiniteAndNotNegativeOnePerStep(string widths)
    {
        var path = _files.Forecaster("mlp", intervals: true);
        Assert.NotNull(ForecastModelFile.Load(path).Intervals);
        ForgedModelFiles.ForgeEntry(path, "conformal.width", widths);
        RefusedForecaster(path, "metadata entry 'conformal.width'");
    }

    [Fact]
    public void ANegativeWidthIsExplainedAsABoundInversion()
    {
        var path = _files.Forecaster("ar", intervals: true);
        ForgedModelFiles.ForgeEntry(path, "conformal.width", "[0.5,-0.25,1,1]");
        var ex = RefusedForecaster(path);
        Assert.Equal($"{path}: metadata entry 'conformal.width' holds -0.25 at step 2; a half-width must be a finite number at least 0 (the lower bound never above the upper).", ex.Message);
    }

    [Theory]
    [InlineData("scaler.std", "[3e38,1]", "at most 1E+30")]
    [InlineData("scaler.std", "[1,-2]", "greater than 0")]
    [InlineData("scaler.std", "[0,1]", "greater than 0")]
    [InlineData("scaler.std", "[1e39,1]", "scaler.std")]
    [InlineData("scaler.mean", "[1e39,1]", "scaler.mean")]
    [InlineData("scaler.mean", "[1,2,3]", "2 series")]
    public void TheScalerMustBeFiniteWithPositiveBoundedDeviations(string key, string value, string mention)
    {
        var path = _files.Forecaster("mlp");
        ForgedModelFiles.ForgeEntry(path, key, value);
        RefusedForecaster(path, mention);
    }

    [Fact]
    public void AnUntouchedFileStillLoadsAndForecasts()
    {
        var path = _files.Forecaster("gru", intervals: true);
        var loaded = ForecastModelFile.Load(path);
        var f = loaded.Model.Predict([new ForecastInput(0, Forecasting.ForecastFiles.Seasonal(2, 40)[0])], 4);
        Assert.All(f[0], v => Assert.True(float.IsFinite(v)));
    }

    // ---------------------------------------------------------------- text models

    [Theory]
    [InlineData(LanguageIdArchitecture.Cell, "i2o.weight", float.NaN)]
    [InlineData(LanguageIdArchitecture.Gru, "rnn.weight_hh_l0", float.PositiveInfinity)]
    [InlineData(LanguageIdArchitecture.Lstm, "out.bias", float.NegativeInfinity)]
    public void LanguageIdRefusesNonFiniteWeights(LanguageIdArchitecture architecture, string tensor, float bad)
    {
        var path = _files.LanguageId(architecture);
        ForgedModelFiles.ForgeWeight(path, tensor, bad);
        Refused(() => LanguageIdModel.Load(path), path, $"tensor '{tensor}' holds {bad}");
    }

    [Theory]
    [InlineData(false, "rnn.weight_ih_l0", float.NaN)]
    [InlineData(true, "out.weight", float.PositiveInfinity)]
    public void GenerateRefusesNonFiniteWeights(bool gru, string tensor, float bad)
    {
        var path = _files.Generate(gru);
        ForgedModelFiles.ForgeWeight(path, tensor, bad);
        Refused(() => CharLanguageModel.Load(path), path, $"tensor '{tensor}' holds {bad}");
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Cell, "hidden_size", "2147483647")]
    [InlineData(LanguageIdArchitecture.Gru, "hidden_size", "20000")]
    [InlineData(LanguageIdArchitecture.Lstm, "hidden_size", "0")]
    [InlineData(LanguageIdArchitecture.Gru, "alphabet", "abcdefghijklmnopqrstuvwxyz")]
    [InlineData(LanguageIdArchitecture.Cell, "languages", "[\"en\",\"fr\",\"de\",\"it\"]")]
    [InlineData(LanguageIdArchitecture.Lstm, "languages", "[\"en\",\"fr\",\"en\"]")]
    [InlineData(LanguageIdArchitecture.Gru, "languages", "[\"en\"]")]
    public void LanguageIdSizesAreCheckedAgainstLimitsAndTensors(LanguageIdArchitecture architecture, string key, string value)
    {
        var path = _files.LanguageId(architecture);
        ForgedModelFiles.ForgeEntry(path, key, value);
        Refused(() => LanguageIdModel.Load(path), path, key);
    }

    [Theory]
    [InlineData(false, "hidden_size", "2147483647")]
    [InlineData(true, "num_layers", "100000")]
    [InlineData(false, "num_layers", "2")]
    [InlineData(true, "alphabet", "ab")]
    public void GenerateSizesAreCheckedAgainstLimitsAndTensors(bool gru, string key, string value)
    {
        var path = _files.Generate(gru);
        ForgedModelFiles.ForgeEntry(path, key, value);
        Refused(() => CharLanguageModel.Load(path), path, key, value.Length <= 10 && key != "alphabet" ? value : key);
    }

    [Fact]
    public void TextSizesBeyondTheTrainingOptionsLimitAreRefusedNamingTheEntry()
    {
        foreach (var (setting, key, file) in new[]
        {
            (SettingTable.Of<TextGenOptions>(nameof(TextGenOptions.Hidden)), "hidden_size", _files.Generate(false)),
            (SettingTable.Of<TextGenOptions>(nameof(TextGenOptions.Layers)), "num_layers", _files.Generate(true)),
            (SettingTable.Of<LanguageIdOptions>(nameof(LanguageIdOptions.Hidden)), "hidden_size", _files.LanguageId(LanguageIdArchitecture.Gru)),
        })
        {
            // Beyond the declared upper limit, or where none is declared yet, beyond anything the tensors hold.
            long tooBig = double.IsNaN(setting.Attribute.Max) ? int.MaxValue : (long)setting.Attribute.Max + 1;
            ForgedModelFiles.ForgeEntry(file, key, tooBig.ToString(CultureInfo.InvariantCulture));
            Refused(() => file.Contains("langid", StringComparison.Ordinal) ? LanguageIdModel.Load(file) : CharLanguageModel.Load(file), file, key);
        }
    }

    [Fact]
    public void AGenerateModelOfTwoLayersRoundTrips()
    {
        var path = _files.Generate(true, layers: 2);
        var (model, _) = CharLanguageModel.Load(path);
        Assert.Equal(2, model.NumLayers);
        ForgedModelFiles.ForgeEntry(path, "num_layers", "1");
        Refused(() => CharLanguageModel.Load(path), path, "tensor 'rnn.weight_ih_l1' is not a parameter");
    }
}
