using Hindsight.Distributions;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Tests.Support;
using Xunit.Abstractions;
using static Hindsight.Onnx.Tests.CovariateExportTests;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// Forecasters with a quantile or distribution head export their point forecast (the median), a quantile head's
/// quantiles and a distribution's parameters; in ONNX Runtime they equal <see cref="NeuralForecaster.Predict"/> and
/// <see cref="NeuralForecaster.PredictQuantiles"/> (the distributions' quantiles computed from the exported parameters),
/// for one network and ensembles (per-level medians), with and without covariates.
/// </summary>
public class HeadExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static OutputHead Head(string name) => name switch
    {
        "quantiles" => new OutputHead(HeadKind.Quantiles, [0.1f, 0.25f, 0.5f, 0.75f, 0.9f]),
        "quantiles-no-median" => new OutputHead(HeadKind.Quantiles, [0.2f, 0.4f, 0.7f, 0.9f]),   // the median interpolated
        "gaussian" => new OutputHead(HeadKind.Gaussian, []),
        "studentt" => new OutputHead(HeadKind.StudentT, []),
        _ => new OutputHead(HeadKind.NegativeBinomial, []),
    };

    [Theory]
    [InlineData(NeuralKind.Mlp, "quantiles", 1, false)]
    [InlineData(NeuralKind.Mlp, "quantiles", 3, false)]
    [InlineData(NeuralKind.Gru, "quantiles-no-median", 2, false)]
    [InlineData(NeuralKind.NBeats, "quantiles", 1, false)]
    [InlineData(NeuralKind.NHits, "quantiles", 2, true)]
    [InlineData(NeuralKind.Lstm, "gaussian", 1, false)]
    [InlineData(NeuralKind.NBeats, "gaussian", 3, false)]
    [InlineData(NeuralKind.Rnn, "gaussian", 2, true)]
    [InlineData(NeuralKind.Mlp, "studentt", 1, false)]
    [InlineData(NeuralKind.Rnn, "studentt", 2, false)]
    [InlineData(NeuralKind.NHits, "studentt", 1, true)]
    [InlineData(NeuralKind.Jordan, "quantiles", 2, false)]
    [InlineData(NeuralKind.Jordan, "gaussian", 1, false)]
    [InlineData(NeuralKind.NHits, "negbin", 1, false)]
    [InlineData(NeuralKind.Gru, "negbin", 2, false)]
    [InlineData(NeuralKind.Lstm, "negbin", 3, true)]
    [InlineData(NeuralKind.Mlp, "negbin", 2, true)]
    [InlineData(NeuralKind.NBeatsInterpretable, "quantiles", 2, false)]
    [InlineData(NeuralKind.NBeatsInterpretable, "gaussian", 1, true)]
    [InlineData(NeuralKind.Gru, "quantiles", 2, true)]       // the recurrent decoder with statics, future covariates and 5 outputs per step
    [InlineData(NeuralKind.Lstm, "studentt", 1, true)]
    public void HeadOutputsEqualTheLibrarysQuantiles(NeuralKind kind, string headName, int members, bool covariates) =>
        CheckHead(kind, headName, members, covariates, minInput: null);

    [Theory]
    [InlineData(NeuralKind.Lstm, "quantiles", 2, true)]
    [InlineData(NeuralKind.Gru, "negbin", 2, false)]
    [InlineData(NeuralKind.Rnn, "studentt", 1, true)]
    public void ShortWindowsGiveTheLibrarysQuantilesThroughLengths(NeuralKind kind, string headName, int members, bool covariates) =>
        CheckHead(kind, headName, members, covariates, minInput: 2);

    private void CheckHead(NeuralKind kind, string headName, int members, bool covariates, int? minInput)
    {
        var head = Head(headName);
        var kinds = covariates ? Kinds.All : 0;
        var model = Fit(kind, members, kinds, head, minInput);
        bool counts = head.Kind == HeadKind.NegativeBinomial, lengths = minInput is not null;
        var inputs = Origins(kinds, counts, shortest: minInput ?? 0);
        var graph = new NeuralEnsembleGraph(model.Members, model.CovariateEncoder);
        Assert.Equal(lengths, graph.TakesLengths);
        var bytes = OnnxExporter.ToBytes(graph, [-1, graph.Lookback], new OnnxExportOptions { Lengths = lengths });
        var feeds = new ForecastGraphFeeds(model, inputs, graph.Lookback, Horizon);
        int b = inputs.Length;
        string label = $"{kind} x{members} {headName}{(covariates ? " with covariates" : "")}{(lengths ? " short windows" : "")}";
        foreach (var (level, outputs) in feeds.Run(bytes, lengths))
        {
            string[] expectedNames = head.Kind switch
            {
                HeadKind.Quantiles => ["output", "quantiles"],
                HeadKind.Gaussian => ["output", "loc", "scale"],
                HeadKind.StudentT => ["output", "df", "loc", "scale"],
                _ => ["mean", "alpha"],
            };
            Assert.Equal(expectedNames.Order(), outputs.Keys.Order());
            if (outputs.TryGetValue("output", out var point))
            {
                var expected = model.Predict(inputs, Horizon);
                var forecast = Enumerable.Range(0, b * Horizon).Select(j => feeds.ToData(j / Horizon, point.Data[j])).ToArray();
                Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), b, Horizon), forecast, $"{label} output{level}", Output);
            }
            if (head.Kind == HeadKind.Quantiles)
            {
                var q = outputs["quantiles"];
                int k = head.Levels.Length;
                Assert.Equal(new[] { b, Horizon, k }, q.Shape.ToArray());
                var expected = model.PredictQuantiles(inputs, Horizon, head.Levels.Select(l => (double)l).ToArray());   // [input][level][step]
                var actual = new float[b * k * Horizon];
                for (int i = 0; i < b; i++)
                    for (int j = 0; j < k; j++)
                        for (int s = 0; s < Horizon; s++) actual[(i * k + j) * Horizon + s] = feeds.ToData(i, q.Data[(i * Horizon + s) * k + j]);
                Compare.Close(Flat(expected), actual, $"{label} quantiles{level}", Output);
                continue;
            }
            if (head.IsDistribution)
                Compare.Close(Flat(model.PredictQuantiles(inputs, Horizon, Levels)), Flat(DistributionQuantiles(head, outputs, feeds, members, b)), $"{label} quantiles from parameters{level}", Output);
        }
    }

    // The library's ensemble quantiles [input][level][step] from the exported parameters: each member's distribution,
    // its quantiles at Levels in data units, then the per-level median over members.
    private static float[][][] DistributionQuantiles(OutputHead head, Dictionary<string, Tensor> outputs, ForecastGraphFeeds feeds, int members, int b)
    {
        Tensor Member(string name, int m)
        {
            var t = outputs[name];
            Assert.Equal(members == 1 ? new[] { b, Horizon } : new[] { b, members, Horizon }, t.Shape.ToArray());
            var y = new Tensor(b, Horizon);
            for (int i = 0; i < b; i++)
                for (int s = 0; s < Horizon; s++) y.Data[i * Horizon + s] = t.Data[(i * members + m) * Horizon + s];
            return y;
        }
        var perMember = new float[members][][][];
        for (int m = 0; m < members; m++)
        {
            Distribution d = head.Kind switch
            {
                HeadKind.Gaussian => new Gaussian(Member("loc", m), Member("scale", m)),
                HeadKind.StudentT => new StudentT(Member("df", m), Member("loc", m), Member("scale", m)),
                _ => new NegativeBinomial(Member("mean", m), Member("alpha", m)),
            };
            var q = d.Quantiles(Levels.Select(l => (float)l).ToArray());                                                   // (B, H, Q)
            perMember[m] = Enumerable.Range(0, b).Select(i => Enumerable.Range(0, Levels.Length).Select(j => Enumerable.Range(0, Horizon).Select(s =>
            {
                float v = q.Data[(i * Horizon + s) * Levels.Length + j];
                return head.Kind == HeadKind.NegativeBinomial ? v : feeds.ToData(i, v);
            }).ToArray()).ToArray()).ToArray();
        }
        return Enumerable.Range(0, b).Select(i => Enumerable.Range(0, Levels.Length).Select(j => Enumerable.Range(0, Horizon).Select(s =>
            NeuralEnsemble.Median(perMember.Select(p => p[i][j][s]).ToArray())).ToArray()).ToArray()).ToArray();
    }

    private static Tensor Flat(float[][][] q) => new([.. q.SelectMany(r => r.SelectMany(x => x))], q.Length, q[0].Length, q[0][0].Length);

    [Fact]
    public void RecursiveModelsWithAHeadAreRefused()
    {
        var (series, _, _) = Panel(0);
        var model = new NeuralForecaster(new NeuralConfig
        {
            Kind = NeuralKind.Mlp, Lookback = Lookback, Horizon = Horizon, Hidden = 4, Epochs = 1, Ensemble = 1, Recursive = true, Samples = 5, Head = Head("gaussian"),
        });
        model.Fit(series);
        var graph = new NeuralEnsembleGraph(model.Members);
        Assert.Contains("sample paths", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(graph, -1, graph.Lookback)).Message);
    }
}
