using Hindsight.Forecasting;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>The forecasting network: a window (batch, lookback) to a direct multi-step forecast (batch, outputs).</summary>
public class ForecastExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private const int Lookback = 7;

    [Theory]
    [InlineData(NeuralKind.Mlp, 1, false)]
    [InlineData(NeuralKind.Rnn, 1, false)]
    [InlineData(NeuralKind.Rnn, 2, true)]
    [InlineData(NeuralKind.Lstm, 2, false)]
    [InlineData(NeuralKind.Gru, 1, true)]
    [InlineData(NeuralKind.Gru, 3, false)]
    [InlineData(NeuralKind.Jordan, 1, false)]
    [InlineData(NeuralKind.Jordan, 2, true)]
    public void ForecastNetGivesTheNetworksForecast(NeuralKind kind, int layers, bool recursive)
    {
        var net = new ForecastNet(new NeuralConfig { Kind = kind, Lookback = Lookback, Horizon = 4, Hidden = 6, Layers = layers, Recursive = recursive }, new Rng(51));
        net.Eval();
        var bytes = OnnxExporter.ToBytes(net, -1, Lookback);
        var rng = new Rng(52);
        foreach (int b in new[] { 5, 1 })
        {
            var x = Tensor.Randn(rng, b, Lookback);
            Tensor y;
            using (Tape.NoGrad()) y = net.Forward(x);
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"forecast {kind} L{layers}{(recursive ? " recursive" : "")} ({b}, {Lookback})");
        }
    }

    [Theory]
    [InlineData(NeuralKind.NBeats, 12, 6, 2, 2)]
    [InlineData(NeuralKind.NBeats, 8, 1, 1, 1)]
    [InlineData(NeuralKind.NBeatsInterpretable, 12, 6, 2, 2)]
    [InlineData(NeuralKind.NBeatsInterpretable, 9, 7, 2, 1)]
    [InlineData(NeuralKind.NHits, 12, 6, 3, 1)]
    [InlineData(NeuralKind.NHits, 9, 7, 3, 2)]
    public void NBeatsAndNHitsGiveTheNetworksForecast(NeuralKind kind, int lookback, int horizon, int stacks, int blocks)
    {
        var config = new NeuralConfig { Kind = kind, Lookback = lookback, Horizon = horizon, Stacks = stacks, StackBlocks = blocks, BlockWidth = 12, BlockLayers = 2 };
        var net = new ForecastNet(config, new Rng(57));
        net.Eval();
        var bytes = OnnxExporter.ToBytes(net, -1, lookback);
        var rng = new Rng(58);
        foreach (int b in new[] { 5, 1 })
        {
            var x = Tensor.Randn(rng, b, lookback);
            Tensor y;
            using (Tape.NoGrad()) y = net.Forward(x);
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"forecast {kind} L{lookback} H{horizon} stacks {stacks}x{blocks} ({b}, {lookback})");
        }
        Assert.Contains("'stacks'", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(net, [-1, lookback], new OnnxExportOptions { Lengths = true })).Message);
    }

    [Theory]
    [InlineData(NeuralKind.Rnn)]
    [InlineData(NeuralKind.Lstm)]
    [InlineData(NeuralKind.Gru)]
    public void ShortHistoriesThroughLengths(NeuralKind kind)
    {
        var net = new ForecastNet(new NeuralConfig { Kind = kind, Lookback = Lookback, Horizon = 3, Hidden = 5, Layers = 2, MinInput = 2 }, new Rng(53));
        net.Eval();
        var bytes = OnnxExporter.ToBytes(net, [-1, Lookback], new OnnxExportOptions { Lengths = true });
        var x = Tensor.Randn(new Rng(54), 3, Lookback);
        int[] lengths = [7, 2, 4];
        Tensor y;
        using (Tape.NoGrad()) y = net.Forward(x, lengths);
        AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"forecast {kind} lengths [7,2,4]", lengths);
    }

    [Fact]
    public void LengthsAreRefusedWhereTheNetworkHasNone()
    {
        var mlp = new ForecastNet(new NeuralConfig { Kind = NeuralKind.Mlp, Lookback = Lookback }, new Rng(55));
        Assert.Contains("'mlp'", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(mlp, [-1, Lookback], new OnnxExportOptions { Lengths = true })).Message);
        var jordan = new ForecastNet(new NeuralConfig { Kind = NeuralKind.Jordan, Lookback = Lookback }, new Rng(56));
        Assert.Contains("'jordan'", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(jordan, [-1, Lookback], new OnnxExportOptions { Lengths = true })).Message);
    }
}
