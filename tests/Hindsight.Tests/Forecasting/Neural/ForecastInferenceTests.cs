using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Neural;

/// <summary>
/// The forecasters' inference path (<see cref="ForecastNetPredictor"/>, <see cref="EsRnnPredictor"/>) against the networks'
/// <c>Forward</c>: the same bits for every kind, with and without covariates (full and short windows with lengths, several
/// layers, quantile heads), the same forecasts and quantiles from <c>Predict</c> with the path on and off, and no
/// allocation per call once a shape has been seen.
/// </summary>
public class ForecastInferenceTests(ITestOutputHelper output)
{
    public static TheoryData<NeuralKind, int> Networks => new()
    {
        { NeuralKind.Mlp, 1 }, { NeuralKind.Rnn, 1 }, { NeuralKind.Rnn, 2 }, { NeuralKind.Lstm, 1 }, { NeuralKind.Lstm, 3 },
        { NeuralKind.Gru, 1 }, { NeuralKind.Gru, 2 }, { NeuralKind.NBeats, 1 }, { NeuralKind.NBeatsInterpretable, 1 }, { NeuralKind.NHits, 1 },
        { NeuralKind.Jordan, 1 }, { NeuralKind.Jordan, 3 },
    };

    private static NeuralConfig Config(NeuralKind kind, int layers, int hidden, OutputHead head) => new()
    {
        Kind = kind, Lookback = 13, Horizon = 5, Hidden = hidden, Layers = layers, BlockWidth = 24, BlockLayers = 2, Stacks = 3, StackBlocks = 2,
        SeasonalPeriod = 4, Head = head,
    };

    private static void AssertBits(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]:R}, Forward gives {expected[i]:R}");
    }

    [Theory, MemberData(nameof(Networks))]
    public void SameBitsAsForwardForEveryKind(NeuralKind kind, int layers)
    {
        var heads = new[] { OutputHead.Point, new OutputHead(HeadKind.Quantiles, [0.1f, 0.5f, 0.9f]) };
        int cases = 0;
        foreach (var head in heads)
            foreach (int hidden in (int[])[5, 16, 32])
                foreach (int batch in (int[])[1, 3, 40])
                {
                    var config = Config(kind, layers, hidden, head);
                    var net = new ForecastNet(config, new Rng((ulong)(hidden * 7 + batch)));
                    net.Eval();
                    var p = ForecastNetPredictor.TryCreate(net);
                    Assert.NotNull(p);
                    Assert.Equal(config.NetworkOutputs, p.OutputSize);
                    int l = config.Lookback;
                    var x = Tensor.Randn(new Rng((ulong)batch), batch, l);
                    var y = new float[batch * p.OutputSize];
                    float[] expected;
                    using (Tape.NoGrad()) expected = net.Forward(x).Data;
                    p.Run(x.Data, batch, l, default, y);
                    string what = $"{kind} layers {layers} hidden {hidden} batch {batch} head {head.Kind}";
                    AssertBits(expected, y, what);
                    cases++;
                    if (!p.TakesLengths) continue;
                    // short windows: the leading values of each row, zeros after them, as the forecaster lays them out
                    var lengths = Enumerable.Range(0, batch).Select(b => b == 0 ? l : 1 + (b * 5) % l).ToArray();
                    for (int b = 0; b < batch; b++) x.Data.AsSpan(b * l + lengths[b], l - lengths[b]).Clear();
                    using (Tape.NoGrad()) expected = net.Forward(x, lengths).Data;
                    p.Run(x.Data, batch, l, lengths, y);
                    AssertBits(expected, y, what + " with lengths");
                    cases++;
                }
        output.WriteLine($"{cases} cases bit for bit");
    }

    [Fact]
    public void WrongSizesAndLengthsAreRefused()
    {
        var mlp = ForecastNetPredictor.TryCreate(new ForecastNet(Config(NeuralKind.Mlp, 1, 8, OutputHead.Point), new Rng(1)))!;
        Assert.False(mlp.TakesLengths);
        Assert.Throws<ArgumentException>("lengths", () => mlp.Run(new float[13], 1, 13, [5], new float[5]));
        Assert.Throws<ArgumentException>("x", () => mlp.Run(new float[12], 1, 13, default, new float[5]));
        var gru = ForecastNetPredictor.TryCreate(new ForecastNet(Config(NeuralKind.Gru, 1, 8, OutputHead.Point), new Rng(1), Encoder(1, 2, true)))!;
        Assert.Equal((3, 5 * 2 + 3), (gru.StepCovariates, gru.HeadCovariates));
        Assert.Throws<ArgumentException>("steps", () => gru.Run(new float[13], 1, 13, default, new float[13 * 2], new float[13], new float[5]));
        Assert.Throws<ArgumentException>("head", () => gru.Run(new float[13], 1, 13, default, new float[13 * 3], new float[12], new float[5]));
    }

    // An encoder of `past` past and `future` future covariates (future ones scaled) and, with `statics`, one numeric
    // and one categorical static covariate of two levels (3 static inputs).
    private static CovariateEncoder Encoder(int past, int future, bool statics)
    {
        string[] Names(string prefix, int n) => [.. Enumerable.Range(0, n).Select(i => prefix + i)];
        var schema = new CovariateSchema(Names("p", past), Names("f", future), statics ? ["size", "group"] : [], statics ? [false, true] : [],
            [.. Enumerable.Repeat(true, future)]);
        float[] Ones(int n) => [.. Enumerable.Repeat(1f, n)];
        return new CovariateEncoder(schema, new float[past], Ones(past), new float[future], Ones(future),
            statics ? [0f, 0f] : [], statics ? [1f, 1f] : [], statics ? [[], ["a", "b"]] : []);
    }

    public static TheoryData<NeuralKind, int, int, int, bool> CovariateNetworks => new()
    {
        // kind, layers, past, future, statics: past only (rnn, lstm and gru keep their linear head), future and static
        // covariates (their recurrent decoder), every kind together
        { NeuralKind.Mlp, 1, 1, 2, true }, { NeuralKind.Mlp, 1, 0, 0, true },
        { NeuralKind.Rnn, 1, 2, 0, false }, { NeuralKind.Rnn, 2, 1, 1, true },
        { NeuralKind.Lstm, 1, 0, 2, false }, { NeuralKind.Lstm, 3, 1, 2, true }, { NeuralKind.Lstm, 1, 0, 0, true },
        { NeuralKind.Gru, 1, 1, 0, false }, { NeuralKind.Gru, 2, 2, 3, true },
        { NeuralKind.NBeats, 1, 1, 2, true }, { NeuralKind.NBeatsInterpretable, 1, 0, 1, false }, { NeuralKind.NHits, 1, 2, 1, true },
    };

    [Theory, MemberData(nameof(CovariateNetworks))]
    public void SameBitsAsForwardWithCovariates(NeuralKind kind, int layers, int past, int future, bool statics)
    {
        var encoder = Encoder(past, future, statics);
        var heads = new[] { OutputHead.Point, new OutputHead(HeadKind.Quantiles, [0.1f, 0.5f, 0.9f]) };
        int cases = 0;
        foreach (var head in heads)
            foreach (bool recursive in (bool[])[false, true])
                foreach (int hidden in (int[])[5, 32])
                    foreach (int batch in (int[])[1, 3, 40])
                    {
                        var config = Config(kind, layers, hidden, head) with { Recursive = recursive };
                        var net = new ForecastNet(config, new Rng((ulong)(hidden * 7 + batch)), encoder);
                        net.Eval();
                        var p = ForecastNetPredictor.TryCreate(net);
                        Assert.NotNull(p);
                        Assert.Equal(config.NetworkOutputs, p.OutputSize);
                        int l = config.Lookback;
                        var rng = new Rng((ulong)batch);
                        var x = Tensor.Randn(rng, batch, l);
                        var cov = CovariateBatch.Create(encoder, batch, l, config.OutputSteps);
                        rng.FillNormal(cov.Steps.Data, 0f, 1f);
                        rng.FillNormal(cov.Head.Data, 0f, 1f);
                        var y = new float[batch * p.OutputSize];
                        float[] expected;
                        using (Tape.NoGrad()) expected = net.Forward(x, null, cov).Data;
                        p.Run(x.Data, batch, l, default, cov.Steps.Data, cov.Head.Data, y);
                        string what = $"{kind} layers {layers} covariates {past}/{future}/{statics} hidden {hidden} batch {batch} head {head.Kind} recursive {recursive}";
                        AssertBits(expected, y, what);
                        cases++;
                        if (!p.TakesLengths) continue;
                        var lengths = Enumerable.Range(0, batch).Select(b => b == 0 ? l : 1 + (b * 5) % l).ToArray();
                        int w = cov.Steps.Dim(2);
                        for (int b = 0; b < batch; b++)
                        {
                            x.Data.AsSpan(b * l + lengths[b], l - lengths[b]).Clear();
                            cov.Steps.Data.AsSpan((b * l + lengths[b]) * w, (l - lengths[b]) * w).Clear();
                        }
                        using (Tape.NoGrad()) expected = net.Forward(x, lengths, cov).Data;
                        p.Run(x.Data, batch, l, lengths, cov.Steps.Data, cov.Head.Data, y);
                        AssertBits(expected, y, what + " with lengths");
                        cases++;
                    }
        output.WriteLine($"{cases} cases bit for bit");
    }

    [Theory, MemberData(nameof(CovariateNetworks))]
    public void RefreshFollowsChangedWeightsWithCovariates(NeuralKind kind, int layers, int past, int future, bool statics)
    {
        // every part of a predictor (the sequential layers' packed weights, the recurrent weights, the decoder) re-reads
        // the weights on Refresh: after an in-place change (as training or loading makes) it gives Forward's new bits
        var encoder = Encoder(past, future, statics);
        var config = Config(kind, layers, 8, OutputHead.Point);
        var net = new ForecastNet(config, new Rng(5), encoder);
        net.Eval();
        var p = ForecastNetPredictor.TryCreate(net);
        Assert.NotNull(p);
        int batch = 40, l = config.Lookback;
        var rng = new Rng(6);
        var x = Tensor.Randn(rng, batch, l);
        var cov = CovariateBatch.Create(encoder, batch, l, config.OutputSteps);
        rng.FillNormal(cov.Steps.Data, 0f, 1f);
        rng.FillNormal(cov.Head.Data, 0f, 1f);
        var before = new float[batch * p.OutputSize];
        p.Run(x.Data, batch, l, default, cov.Steps.Data, cov.Head.Data, before);
        foreach (var w in net.Parameters()) for (int i = 0; i < w.Length; i++) w.Data[i] = w.Data[i] * 0.75f + 0.01f;
        p.Refresh();
        var after = new float[batch * p.OutputSize];
        p.Run(x.Data, batch, l, default, cov.Steps.Data, cov.Head.Data, after);
        float[] expected;
        using (Tape.NoGrad()) expected = net.Forward(x, null, cov).Data;
        Assert.NotEqual(before, after);
        AssertBits(expected, after, $"{kind} layers {layers} covariates {past}/{future}/{statics} after Refresh");
    }

    // Series of `count` x `length` values with a past, a future and a static covariate each (the future one known 8
    // periods ahead), and their schema.
    private static TimeSeries CovariateSeries(int count, int length)
    {
        var values = Series(count, length);
        var items = values.Select((y, s) =>
        {
            var past = Enumerable.Range(0, length).Select(t => (float)Math.Cos(t * 0.3 + s)).ToArray();
            var future = Enumerable.Range(0, length + 8).Select(t => (t + s) % 5 == 0 ? 1f : 0f).ToArray();
            return new Series($"s{s}", y, null) { Covariates = new SeriesCovariates([past], [future], [s % 2 == 0 ? "up" : "down"]) };
        }).ToList();
        return new TimeSeries("covariates", Frequency.Periods, items) { Covariates = new CovariateSchema(["x"], ["promo"], ["group"], [true], [true]) };
    }

    [Theory]
    [InlineData("mlp", false)]
    [InlineData("rnn", false)]
    [InlineData("lstm", false)]
    [InlineData("gru", false)]
    [InlineData("nbeats", false)]
    [InlineData("nbeatsi", false)]
    [InlineData("nhits", false)]
    public void PredictWithCovariatesGivesTheSameForecastsWithAndWithoutTheInferencePath(string name, bool recursive)
    {
        // (recursive models take no covariates: NeuralForecaster.SupportsCovariates)
        var data = CovariateSeries(3, 50);
        var model = (NeuralForecaster)Settings(recursive).Create(name);
        model.FitSeries(data);
        Assert.True(model.Net.TakesCovariates);
        Assert.NotNull(ForecastNetPredictor.TryCreate(model.Net));
        bool recurrent = name is "rnn" or "lstm" or "gru";
        var inputs = data.Items.Select((s, i) => new ForecastInput(i, s.Values.AsMemory(0, recurrent ? 5 + 4 * i : 40 + i)) { Covariates = s.Covariates }).ToList();
        var withPath = model.Predict(inputs, 6);
        model.UseInferencePath = false;
        var withoutPath = model.Predict(inputs, 6);
        for (int i = 0; i < inputs.Count; i++) AssertBits(withoutPath[i], withPath[i], $"{name} series {i}");
    }

    [Theory]
    [InlineData("lstm", "quantiles")]
    [InlineData("gru", "gaussian")]
    [InlineData("nhits", "quantiles")]
    [InlineData("mlp", "studentt")]
    public void QuantilesWithCovariatesAreTheSameWithAndWithoutTheInferencePath(string name, string head)
    {
        var data = CovariateSeries(2, 50);
        var probabilistic = head == "quantiles" ? new ProbabilisticOptions { Quantiles = "0.1,0.5,0.9", Samples = 20 }
            : new ProbabilisticOptions { Distribution = head == "gaussian" ? OutputDistribution.Gaussian : OutputDistribution.StudentT, Samples = 20 };
        var model = (NeuralForecaster)Settings(false, probabilistic).Create(name);
        model.FitSeries(data);
        Assert.True(model.Net.TakesCovariates);
        var inputs = data.Items.Select((s, i) => new ForecastInput(i, s.Values.AsMemory(0, 30 + i)) { Covariates = s.Covariates }).ToList();
        var withPath = model.PredictQuantiles(inputs, 6, [0.2, 0.5, 0.8]);
        model.UseInferencePath = false;
        var withoutPath = model.PredictQuantiles(inputs, 6, [0.2, 0.5, 0.8]);
        for (int i = 0; i < inputs.Count; i++)
            for (int j = 0; j < 3; j++) AssertBits(withoutPath[i][j], withPath[i][j], $"{name} series {i} level {j}");
    }

    private static float[][] Series(int count, int length) =>
        [.. Enumerable.Range(0, count).Select(s => Enumerable.Range(0, length).Select(t => (float)(10 + s + Math.Sin(t * 0.5 + s) + 0.05 * t)).ToArray())];

    private static ForecastSettings Settings(bool recursive, ProbabilisticOptions? probabilistic = null) => new()
    {
        Horizon = 6, Lookback = 12, SeasonalPeriod = 4, Hidden = 16, Layers = 2, BlockWidth = 16, StackBlocks = 1, Epochs = 2, Patience = 0,
        Validation = 0, Ensemble = 1, Recursive = recursive, MinHistory = 5, Probabilistic = probabilistic ?? new(),
    };

    [Theory]
    [InlineData("mlp", false)]
    [InlineData("rnn", false)]
    [InlineData("lstm", false)]
    [InlineData("gru", false)]
    [InlineData("gru", true)]
    [InlineData("lstm", true)]
    [InlineData("nbeats", false)]
    [InlineData("nbeatsi", false)]
    [InlineData("nhits", false)]
    [InlineData("esrnn", false)]
    [InlineData("jordan", false)]
    [InlineData("jordan", true)]
    public void PredictGivesTheSameForecastsWithAndWithoutTheInferencePath(string name, bool recursive)
    {
        var series = Series(3, 50);
        var model = Settings(recursive).Create(name);
        model.Fit(series);
        if (model is NeuralForecaster neural) Assert.NotNull(ForecastNetPredictor.TryCreate(neural.Net)); // the path runs
        // full histories, and (recurrent kinds) histories shorter than the lookback: windows with lengths
        bool recurrent = name is "rnn" or "lstm" or "gru" or "jordan";
        var inputs = series.Select((s, i) => new ForecastInput(i, s.AsMemory(0, recurrent ? 5 + 4 * i : 40 + i))).ToList();
        var withPath = model.Predict(inputs, 6);
        SetInferencePath(model, false);
        var withoutPath = model.Predict(inputs, 6);
        for (int i = 0; i < inputs.Count; i++) AssertBits(withoutPath[i], withPath[i], $"{name} series {i}");
    }

    [Theory]
    [InlineData("lstm", false, "quantiles")]
    [InlineData("gru", true, "quantiles")]
    [InlineData("rnn", true, "gaussian")]
    [InlineData("nhits", false, "studentt")]
    [InlineData("esrnn", false, "quantiles")]
    public void QuantilesAreTheSameWithAndWithoutTheInferencePath(string name, bool recursive, string head)
    {
        var probabilistic = head == "quantiles" ? new ProbabilisticOptions { Quantiles = "0.1,0.5,0.9", Samples = 20 }
            : new ProbabilisticOptions { Distribution = head == "gaussian" ? OutputDistribution.Gaussian : OutputDistribution.StudentT, Samples = 20 };
        var series = Series(2, 50);
        var model = Settings(recursive, probabilistic).Create(name);
        model.Fit(series);
        var inputs = series.Select((s, i) => new ForecastInput(i, s.AsMemory(0, 30 + i))).ToList();
        var q = (IQuantileForecaster)model;
        var withPath = q.PredictQuantiles(inputs, 6, [0.2, 0.5, 0.8]);
        SetInferencePath(model, false);
        var withoutPath = q.PredictQuantiles(inputs, 6, [0.2, 0.5, 0.8]);
        for (int i = 0; i < inputs.Count; i++)
            for (int j = 0; j < 3; j++) AssertBits(withoutPath[i][j], withPath[i][j], $"{name} series {i} level {j}");
    }

    [Fact]
    public void KeptPredictorsFollowChangedWeights()
    {
        // the predictor kept between Predict calls re-reads the weights: changing them in place (as loading does) changes
        // the forecasts exactly as Forward sees them
        var series = Series(2, 50);
        var model = (NeuralForecaster)Settings(false).Create("lstm");
        model.Fit(series);
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        var before = model.Predict(inputs, 6);
        foreach (var p in model.Net.Parameters()) for (int i = 0; i < p.Length; i++) p.Data[i] *= 0.9f;
        var after = model.Predict(inputs, 6);
        model.UseInferencePath = false;
        var reference = model.Predict(inputs, 6);
        Assert.NotEqual(before[0], after[0]);
        for (int i = 0; i < inputs.Count; i++) AssertBits(reference[i], after[i], $"series {i}");
    }

    [Fact]
    public void PredictorCacheKeepsOnePredictorPerModelAndHandsOutAnotherWhileItIsRented()
    {
        int made = 0, refreshed = 0;
        var cache = new Hindsight.Inference.PredictorCache<object, object>(_ => { made++; return new object(); }, _ => refreshed++);
        var model = new object();
        var first = cache.Rent(model)!;
        var second = cache.Rent(model)!;          // the first is still out: a new one
        Assert.NotSame(first, second);
        cache.Return(model, first);
        Assert.Same(first, cache.Rent(model));    // kept, and refreshed on the way out
        Assert.Equal((2, 1), (made, refreshed));
    }

    private static void SetInferencePath(Forecaster model, bool on)
    {
        if (model is NeuralForecaster neural) neural.UseInferencePath = on;
        else ((EsRnnForecaster)model).UseInferencePath = on;
    }

    [Theory]
    [InlineData(NeuralKind.Mlp, 1)]
    [InlineData(NeuralKind.Lstm, 1)]
    [InlineData(NeuralKind.Lstm, 64)]
    [InlineData(NeuralKind.Gru, 8)]
    [InlineData(NeuralKind.Rnn, 8)]
    [InlineData(NeuralKind.NBeats, 8)]
    [InlineData(NeuralKind.NHits, 1)]
    [InlineData(NeuralKind.Jordan, 1)]
    [InlineData(NeuralKind.Jordan, 8)]
    [InlineData(NeuralKind.Mlp, 8, true)]
    [InlineData(NeuralKind.Lstm, 1, true)]
    [InlineData(NeuralKind.Gru, 8, true)]
    [InlineData(NeuralKind.Rnn, 8, true)]
    [InlineData(NeuralKind.NBeats, 8, true)]
    public void SteadyStatePredictCallAllocatesNothing(NeuralKind kind, int batch, bool covariates = false)
    {
        var config = Config(kind, 2, 32, OutputHead.Point);
        var encoder = covariates ? Encoder(1, 2, true) : null;
        var p = ForecastNetPredictor.TryCreate(new ForecastNet(config, new Rng(1), encoder))!;
        int l = config.Lookback;
        var x = new float[batch * l];
        new Rng(2).FillNormal(x, 0f, 1f);
        var steps = new float[batch * l * p.StepCovariates];
        var head = new float[batch * p.HeadCovariates];
        new Rng(3).FillNormal(steps, 0f, 1f);
        new Rng(4).FillNormal(head, 0f, 1f);
        var y = new float[batch * p.OutputSize];
        int[]? lengths = p.TakesLengths ? [.. Enumerable.Range(0, batch).Select(b => 1 + b % l)] : null;
        void Call() => p.Run(x, batch, l, lengths, steps, head, y);
        for (int i = 0; i < 3; i++) Call();
        long least = Allocations.LeastPerCall(Call);
        output.WriteLine($"{kind} batch {batch}{(covariates ? " with covariates" : "")}: {least} bytes per call");
        Assert.Equal(0, least);
    }
}
