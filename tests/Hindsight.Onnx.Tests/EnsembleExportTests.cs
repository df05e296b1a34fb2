using Hindsight.Forecasting;
using Hindsight.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// A neural ensemble (<see cref="NeuralEnsembleGraph"/>) as one graph: members of different lookbacks reading the last
/// entries of one window (or each feeding back its own steps), and their median (odd and even counts), equal in ONNX
/// Runtime to <see cref="NeuralForecaster.Predict"/>.
/// </summary>
public class EnsembleExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private const int Lookback = 6, Horizon = 3;

    // Three seasonal series of different levels and lengths.
    private static float[][] Panel() =>
        Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, 50 + 7 * s).Select(t => 5f * (s + 1) + 0.05f * t + MathF.Sin(t * 0.9f + s) * (2 + s)).ToArray()).ToArray();

    private static NeuralForecaster Fit(NeuralKind kind, int members, int? minInput = null, bool recursive = false)
    {
        var config = new NeuralConfig
        {
            Kind = kind, Lookback = Lookback, Horizon = Horizon, Hidden = 5, Epochs = 2, Ensemble = members, SeasonalPeriod = 1, Seed = 3,
            Losses = [NeuralLoss.Mase], // one loss, so the members take the lookbacks L, L + H, L + 2H in turn
            MinInput = minInput, Recursive = recursive, Stacks = 2, StackBlocks = 1, BlockWidth = 8, BlockLayers = 1,
        };
        var model = new NeuralForecaster(config);
        model.Fit(Panel());
        return model;
    }

    [Theory]
    [InlineData(NeuralKind.Mlp, 3)]
    [InlineData(NeuralKind.Gru, 4)]
    [InlineData(NeuralKind.NHits, 4)]
    [InlineData(NeuralKind.Jordan, 3)]
    public void EnsembleGivesTheMedianOfItsMembersForecasts(NeuralKind kind, int members)
    {
        var model = Fit(kind, members);
        var graph = new NeuralEnsembleGraph(model.Members);
        // one loss: members take lookbacks L, L + H, L + 2H, L, ...
        Assert.Equal(Enumerable.Range(0, members).Select(j => Lookback + j % 3 * Horizon), graph.Lookbacks);
        Assert.False(graph.TakesLengths);
        var bytes = OnnxExporter.ToBytes(graph, -1, graph.Lookback);
        var histories = Panel().Select((s, i) => s[..(s.Length - i)]).ToArray();   // three origins
        CheckAgainstPredict(model, bytes, graph.Lookback, histories, lengths: false, $"ensemble {kind} x{members}");
    }

    [Theory]
    [InlineData(NeuralKind.Lstm, 3)]
    [InlineData(NeuralKind.Rnn, 4)]
    public void ShortHistoriesReachEveryMemberThroughLengths(NeuralKind kind, int members)
    {
        var model = Fit(kind, members, minInput: 2);
        var graph = new NeuralEnsembleGraph(model.Members);
        Assert.True(graph.TakesLengths);
        var bytes = OnnxExporter.ToBytes(graph, [-1, graph.Lookback], new OnnxExportOptions { Lengths = true });
        // shorter than every lookback, between two lookbacks, longer than the longest
        var panel = Panel();
        float[][] histories = [panel[0][..3], panel[1][..(Lookback + Horizon - 1)], panel[2], panel[0][..(Lookback + 1)]];
        CheckAgainstPredict(model, bytes, graph.Lookback, histories, lengths: true, $"ensemble {kind} x{members} short histories");
    }

    [Theory]
    [InlineData(NeuralKind.Mlp, 3)]
    [InlineData(NeuralKind.Gru, 4)]
    public void RecursiveMembersFeedBackTheirOwnStepsBeforeTheMedian(NeuralKind kind, int members)
    {
        var model = Fit(kind, members, recursive: true);
        var graph = new NeuralEnsembleGraph(model.Members);
        var bytes = OnnxExporter.ToBytes(graph, -1, graph.Lookback);
        var histories = Panel().Select((s, i) => s[..(s.Length - 2 * i)]).ToArray();
        CheckAgainstPredict(model, bytes, graph.Lookback, histories, lengths: false, $"recursive ensemble {kind} x{members}");
    }

    [Fact]
    public void RecursiveMembersOnShortWindowsAreRefused()
    {
        var model = Fit(NeuralKind.Rnn, 2, minInput: 2, recursive: true);
        var graph = new NeuralEnsembleGraph(model.Members);
        Assert.Contains("minHistory", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(graph, [-1, graph.Lookback], new OnnxExportOptions { Lengths = true })).Message);
    }

    // Row i is series i % 3 with history histories[i]: the documented input (the scaled window of the longest lookback minus
    // its last value, left-aligned, with lengths), ORT's median change turned back into data units, against Predict.
    private void CheckAgainstPredict(NeuralForecaster model, byte[] bytes, int lookback, float[][] histories, bool lengths, string label)
    {
        int b = histories.Length;
        var inputs = histories.Select((h, i) => new ForecastInput(i % 3, h)).ToArray();
        var expected = model.Predict(inputs, Horizon);
        var x = new Tensor(b, lookback);
        var count = new int[b];
        var lastZ = new float[b];
        for (int i = 0; i < b; i++)
        {
            int s = i % 3, m = Math.Min(lookback, histories[i].Length);
            var z = model.Scaler!.Transform(s, histories[i].AsSpan(histories[i].Length - m));
            lastZ[i] = z[^1];
            for (int k = 0; k < m; k++) x.Data[i * lookback + k] = z[k] - lastZ[i];
            count[i] = m;
        }
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var y = OrtRunner.Run(bytes, x, lengths ? count : null, null, level)["output"];
            Assert.Equal(new[] { b, Horizon }, y.Shape.ToArray());
            var forecast = new float[b * Horizon];
            for (int i = 0; i < b; i++)
                for (int k = 0; k < Horizon; k++) forecast[i * Horizon + k] = model.Scaler!.Inverse(i % 3, y.Data[i * Horizon + k] + lastZ[i]);
            Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), b, Horizon), forecast, $"{label}{(level == GraphOptimizationLevel.ORT_ENABLE_ALL ? " (optimized)" : "")}", Output);
        }
    }
}
