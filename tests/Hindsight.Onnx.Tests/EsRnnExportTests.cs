using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// The ES-RNN network (not its per-series smoothing): a normalised window (batch, lookback) to the normalised forecast
/// (batch, horizon); and the whole model for one origin (<see cref="EsRnnGraph"/>: normalise, members, re-level, median)
/// given the smoothing's level and seasonal indices, equal in ONNX Runtime to the forecaster's Predict.
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
        var bytes = OnnxExporter.ToBytes(new EsRnnGraph(model), -1, 6);
        var histories = series.Select((s, i) => s[..(s.Length - 2 * i)]).ToArray();
        var expected = model.Predict(histories.Select((h, i) => new ForecastInput(i, h)).ToArray(), 3);
        int b = histories.Length, l = 6, h = 3;
        var x = new Tensor(b, l);
        var level = new Tensor(b, members);
        var seasons = new Tensor(b, members, l + h);
        var shift = new float[b];
        for (int i = 0; i < b; i++)
        {
            var inputs = EsRnnGraph.Inputs(model, i, histories[i]);
            inputs.Window.CopyTo(x.Data, i * l);
            inputs.Level.CopyTo(level.Data, i * members);
            inputs.Season.CopyTo(seasons.Data, i * members * (l + h));
            shift[i] = inputs.Shift;
        }
        var more = new Dictionary<string, Tensor> { ["level"] = level, ["season"] = seasons };
        foreach (var optimization in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var y = OrtRunner.Run(bytes, x, null, more, optimization)["output"];
            Assert.Equal(new[] { b, h }, y.Shape.ToArray());
            var forecast = y.Data.Select((v, k) => v - shift[k / h]).ToArray();
            Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), b, h), forecast,
                $"esrnn x{members} season {season} {cell}{(optimization == GraphOptimizationLevel.ORT_ENABLE_ALL ? " (optimized)" : "")}", Output);
        }
    }
}
