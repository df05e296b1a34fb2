using Hindsight.Forecasting.EsRnn;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>The ES-RNN network (not its per-series smoothing): a normalised window (batch, lookback) to the normalised forecast (batch, horizon), in ONNX Runtime.</summary>
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
}
