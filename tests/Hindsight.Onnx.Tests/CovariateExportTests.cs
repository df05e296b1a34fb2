using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// Forecasters trained with covariates (past, future from a file, calendar, static numeric and categorical) export with
/// their encoded covariate inputs; ONNX Runtime's forecast, in data units, equals <see cref="NeuralForecaster.Predict"/>
/// for one network and for ensembles, for every kind that takes covariates.
/// </summary>
public class CovariateExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    internal const int Lookback = 6, Horizon = 3, Length = 48, Count = 3;

    /// <summary>Which covariates a panel carries.</summary>
    [Flags]
    public enum Kinds { Past = 1, Future = 2, Calendar = 4, StaticNumeric = 8, StaticCategorical = 16, All = 31 }

    // Three series driven by a measured x (past), a planned price (future, known H steps ahead), the day of the week
    // (calendar, cyclic) and two statics (a numeric size, a categorical region).
    internal static (float[][] Series, CovariateSchema Schema, SeriesCovariates[] Covariates) Panel(Kinds kinds, bool counts = false)
    {
        var rng = new Rng(17);
        var dates = Enumerable.Range(0, Length + Horizon).Select(t => new DateTime(2024, 1, 1).AddDays(t)).ToArray();
        var calendar = CalendarFeatures.Columns(new CalendarPart("dow", CalendarEncoding.Cyclic), dates).ToArray();
        string[] regions = ["north", "south", "north"];
        var series = new float[Count][];
        var covariates = new SeriesCovariates[Count];
        for (int s = 0; s < Count; s++)
        {
            var x = Enumerable.Range(0, Length).Select(_ => (float)rng.NextGaussian()).ToArray();
            var price = Enumerable.Range(0, Length + Horizon).Select(t => 2f + (float)rng.NextDouble()).ToArray();
            series[s] = Enumerable.Range(0, Length).Select(t => 8f + 2 * s + MathF.Sin(t * 0.9f) + 0.5f * (t > 0 ? x[t - 1] : 0) - price[t] + 0.3f * calendar[0][t]).ToArray();
            if (counts) series[s] = series[s].Select(v => MathF.Round(Math.Max(0, v))).ToArray();
            var future = new List<float[]>();
            if (kinds.HasFlag(Kinds.Future)) future.Add(price);
            if (kinds.HasFlag(Kinds.Calendar)) future.AddRange(calendar);
            var statics = new List<string>();
            if (kinds.HasFlag(Kinds.StaticNumeric)) statics.Add((1.5 + s).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (kinds.HasFlag(Kinds.StaticCategorical)) statics.Add(regions[s]);
            covariates[s] = new SeriesCovariates(kinds.HasFlag(Kinds.Past) ? [x] : [], [.. future], [.. statics]);
        }
        var futureNames = new List<string>();
        var scaled = new List<bool>();
        if (kinds.HasFlag(Kinds.Future)) { futureNames.Add("price"); scaled.Add(true); }
        if (kinds.HasFlag(Kinds.Calendar)) { futureNames.AddRange(["dow_sin", "dow_cos"]); scaled.AddRange([false, false]); }
        var staticNames = new List<string>();
        var categorical = new List<bool>();
        if (kinds.HasFlag(Kinds.StaticNumeric)) { staticNames.Add("size"); categorical.Add(false); }
        if (kinds.HasFlag(Kinds.StaticCategorical)) { staticNames.Add("region"); categorical.Add(true); }
        var schema = new CovariateSchema(kinds.HasFlag(Kinds.Past) ? ["x"] : [], [.. futureNames], [.. staticNames], [.. categorical], [.. scaled]);
        return (series, schema, covariates);
    }

    internal static NeuralForecaster Fit(NeuralKind kind, int members, Kinds kinds, Hindsight.Forecasting.Probabilistic.OutputHead? head = null, int? minInput = null)
    {
        var (series, schema, covariates) = Panel(kinds, head?.Kind == Hindsight.Forecasting.Probabilistic.HeadKind.NegativeBinomial);
        var config = new NeuralConfig
        {
            Kind = kind, Lookback = Lookback, Horizon = Horizon, Hidden = 5, Epochs = 2, Ensemble = members, SeasonalPeriod = 1, Seed = 5,
            Losses = [NeuralLoss.Mae], Stacks = 2, StackBlocks = 1, BlockWidth = 8, BlockLayers = 1, MinInput = minInput,
            Head = head ?? Hindsight.Forecasting.Probabilistic.OutputHead.Point,
        };
        var model = new NeuralForecaster(config);
        model.FitWith(series, kinds == 0 ? null : schema, kinds == 0 ? null : covariates);
        return model;
    }

    // Three origins per series: the full history and two earlier ones (the future covariates reach H past each).
    internal static ForecastInput[] Origins(Kinds kinds, bool counts = false, int shortest = 0)
    {
        var (series, _, covariates) = Panel(kinds, counts);
        var inputs = new List<ForecastInput>();
        for (int s = 0; s < Count; s++)
            foreach (int n in new[] { Length, Length - 4 - s, shortest > 0 ? shortest + s : Length - 9 })
                inputs.Add(new ForecastInput(s, series[s].AsMemory(0, n)) { Covariates = kinds == 0 ? null : covariates[s] });
        return [.. inputs];
    }

    [Theory]
    [InlineData(NeuralKind.Mlp, 1)]
    [InlineData(NeuralKind.Mlp, 3)]
    [InlineData(NeuralKind.Rnn, 1)]
    [InlineData(NeuralKind.Rnn, 2)]
    [InlineData(NeuralKind.Lstm, 1)]
    [InlineData(NeuralKind.Lstm, 3)]
    [InlineData(NeuralKind.Gru, 1)]
    [InlineData(NeuralKind.Gru, 2)]
    [InlineData(NeuralKind.NBeats, 1)]
    [InlineData(NeuralKind.NBeats, 3)]
    [InlineData(NeuralKind.NBeatsInterpretable, 2)]
    [InlineData(NeuralKind.NHits, 1)]
    [InlineData(NeuralKind.NHits, 3)]
    public void EveryCovariateKindReachesTheGraph(NeuralKind kind, int members) =>
        CheckAgainstPredict(Fit(kind, members, Kinds.All), Origins(Kinds.All), lengths: false, $"{kind} x{members} all covariates");

    [Theory]
    [InlineData(NeuralKind.Mlp, Kinds.Past)]
    [InlineData(NeuralKind.Gru, Kinds.Past)]
    [InlineData(NeuralKind.NHits, Kinds.Future)]
    [InlineData(NeuralKind.Lstm, Kinds.Future)]
    [InlineData(NeuralKind.Mlp, Kinds.Calendar)]
    [InlineData(NeuralKind.Rnn, Kinds.Calendar)]
    [InlineData(NeuralKind.NBeats, Kinds.StaticNumeric)]
    [InlineData(NeuralKind.Gru, Kinds.StaticNumeric)]
    [InlineData(NeuralKind.Lstm, Kinds.StaticCategorical)]
    [InlineData(NeuralKind.Mlp, Kinds.StaticCategorical)]
    public void EachCovariateKindAloneReachesTheGraph(NeuralKind kind, Kinds kinds) =>
        CheckAgainstPredict(Fit(kind, 2, kinds), Origins(kinds), lengths: false, $"{kind} x2 {kinds}");

    [Theory]
    [InlineData(NeuralKind.Gru, 1)]
    [InlineData(NeuralKind.Lstm, 3)]
    public void ShortWindowsReadTheirCovariatesThroughLengths(NeuralKind kind, int members)
    {
        var model = Fit(kind, members, Kinds.All, minInput: 2);
        Assert.True(new NeuralEnsembleGraph(model.Members, model.CovariateEncoder).TakesLengths);
        CheckAgainstPredict(model, Origins(Kinds.All, shortest: 2), lengths: true, $"{kind} x{members} short windows");
    }

    [Fact]
    public void TheNetworkAloneRefusesCovariatesItCannotDeclare()
    {
        var model = Fit(NeuralKind.Mlp, 1, Kinds.Past);
        Assert.Contains("covariates", Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(model.Net, -1, Lookback)).Message);
        Assert.Throws<ArgumentException>(() => new NeuralEnsembleGraph(model.Members));
    }

    // The graph's point output in data units against Predict.
    private void CheckAgainstPredict(NeuralForecaster model, ForecastInput[] inputs, bool lengths, string label)
    {
        var graph = new NeuralEnsembleGraph(model.Members, model.CovariateEncoder);
        var bytes = OnnxExporter.ToBytes(graph, [-1, graph.Lookback], new OnnxExportOptions { Lengths = lengths });
        var expected = model.Predict(inputs, Horizon);
        var feeds = new ForecastGraphFeeds(model, inputs, graph.Lookback, Horizon);
        foreach (var (level, outputs) in feeds.Run(bytes, lengths))
        {
            var y = outputs["output"];
            Assert.Equal(new[] { inputs.Length, Horizon }, y.Shape.ToArray());
            var forecast = new float[inputs.Length * Horizon];
            for (int i = 0; i < inputs.Length; i++)
                for (int k = 0; k < Horizon; k++) forecast[i * Horizon + k] = feeds.ToData(i, y.Data[i * Horizon + k]);
            Compare.Close(new Tensor(expected.SelectMany(r => r).ToArray(), inputs.Length, Horizon), forecast, label + level, Output);
        }
    }
}
