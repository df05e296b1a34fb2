using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// The ES-RNN network (not its per-series smoothing): a normalised window (batch, lookback) to the normalised forecast
/// (batch, horizon); and the whole model for one origin (<see cref="EsRnnGraph"/>: shift, smoothing, normalise, members, re-level, median)
/// from a raw history and a series index (the smoothing inside the graph), equal in ONNX Runtime to the forecaster's Predict.
/// </summary>
public class EsRnnExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    [Theory]
    [InlineData(EsRnnCell.Lstm, 1)]
    [InlineData(EsRnnCell.Gru, 2)]
    public void EsRnnNetGivesTheNetworksForecast(EsRnnCell cell, int layers)
    {
        const int lookback = 6;
        var net = new EsRnnNet(cell, hidden: 5, layers, horizon: 3, new Rng(61));
        // The adapter starts at zero; give it weights so the graph's output depends on every layer.
        var fill = new Rng(60);
        fill.FillNormal(net.Head.Weight.Data, 0f, 0.5f);
        fill.FillNormal(net.Head.Bias!.Data, 0f, 0.5f);
        net.Eval();
        var bytes = OnnxExporter.ToBytes(net, -1, lookback);
        var rng = new Rng(62);
        foreach (int b in new[] { 4, 1 })
        {
            var x = Tensor.Randn(rng, b, lookback);
            Tensor y;
            using (Tape.NoGrad()) y = net.Forward(x);
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"esrnn {cell} L{layers} ({b}, {lookback})");
        }
    }

    [Theory]
    [InlineData(1, 4, EsRnnCell.Lstm)]
    [InlineData(3, 4, EsRnnCell.Gru)]
    [InlineData(4, 1, EsRnnCell.Lstm)]
    public void EsRnnGraphGivesTheForecastersForecast(int members, int season, EsRnnCell cell)
    {
        // three series, one with values below 0 (shifted), of different lengths
        var series = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, 40 + 5 * s)
            .Select(t => (s == 2 ? -1f : 10f * (s + 1)) + 0.1f * t + MathF.Sin(t * 1.6f + s) * (2 + s)).ToArray()).ToArray();
        var settings = new ForecastSettings
        {
            Horizon = 3, Lookback = 6, SeasonalPeriod = season, Hidden = 4, Layers = 1, Epochs = 2, Ensemble = members, Seed = 5,
            EsRnn = new EsRnnOptions { Cell = cell },
        };
        var model = new EsRnnForecaster(settings);
        model.Fit(series);
        Assert.NotEqual(0f, model.Shift[2]);
        var bytes = OnnxExporter.ToBytes(new EsRnnGraph(model), -1, -1);
        int h = 3;
        // one call per history length: each series on its own, with histories of 6 (the lookback) to 50 values
        var histories = series.Select((s, i) => s[..(s.Length - 2 * i)]).Append(series[1][..6]).Append(series[2][..7]).ToArray();
        int[] ids = [0, 1, 2, 1, 2];
        foreach (var optimization in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            string label = $"esrnn x{members} season {season} {cell}{(optimization == GraphOptimizationLevel.ORT_ENABLE_ALL ? " (optimized)" : "")}";
            for (int i = 0; i < histories.Length; i++)
            {
                var expected = model.Predict([new ForecastInput(ids[i], histories[i])], h)[0];
                var y = OrtRunner.Run(bytes, new Tensor(histories[i], 1, histories[i].Length), null, null, optimization,
                    new Dictionary<string, long[]> { ["series"] = [ids[i]] })["output"];
                Assert.Equal(new[] { 1, h }, y.Shape.ToArray());
                Compare.Close(new Tensor(expected, 1, h), y.Data, $"{label}, series {ids[i]}, {histories[i].Length} values", Output);
            }
            // a batch of three series at one history length
            var rows = series.Select(s => s[^30..]).ToArray();
            var batch = model.Predict(rows.Select((r, i) => new ForecastInput(i, r)).ToArray(), h);
            var yb = OrtRunner.Run(bytes, new Tensor(rows.SelectMany(r => r).ToArray(), 3, 30), null, null, optimization,
                new Dictionary<string, long[]> { ["series"] = [0, 1, 2] })["output"];
            Compare.Close(new Tensor(batch.SelectMany(r => r).ToArray(), 3, h), yb.Data, $"{label}, batch of 3", Output);
        }
    }
}
