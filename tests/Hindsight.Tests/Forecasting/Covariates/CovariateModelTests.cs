using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>
/// Synthetic series where a covariate determines the target: each model that takes the covariate nearly recovers the
/// holdout, the same model without it does not.
/// </summary>
public class CovariateModelTests(ITestOutputHelper output)
{
    private const int Length = 160, Count = 6;

    // Series s: y = base(t) + effect(s) * promo(t), a 0/1 promotion known ahead; base a weekly sine (with the static
    // group: the same phase for every series, and its sin and cos as known-ahead calendar columns).
    internal static TimeSeries Promotions(Func<int, float> effect, double rate, bool withStatic = false, ulong seed = 3, double noise = 0)
    {
        double Phase(int s) => withStatic ? 0 : s;
        var rng = new Rng(seed);
        var items = new List<Series>();
        for (int s = 0; s < Count; s++)
        {
            var promo = new float[Length];
            var y = new float[Length - 7];
            for (int t = 0; t < Length; t++) promo[t] = rng.NextDouble() < rate ? 1 : 0;
            for (int t = 0; t < y.Length; t++) y[t] = (float)(10 + 3 * Math.Sin(2 * Math.PI * t / 7 + Phase(s)) + effect(s) * promo[t] + (noise > 0 ? noise * rng.NextGaussian() : 0));
            var sin = Enumerable.Range(0, Length).Select(t => (float)Math.Sin(2 * Math.PI * t / 7)).ToArray();
            var cos = Enumerable.Range(0, Length).Select(t => (float)Math.Cos(2 * Math.PI * t / 7)).ToArray();
            items.Add(new Series($"s{s}", y, null) { Covariates = new SeriesCovariates([], withStatic ? [promo, sin, cos] : [promo], withStatic ? [s % 2 == 0 ? "up" : "down"] : []) });
        }
        var schema = withStatic
            ? new CovariateSchema([], ["promo", "sin", "cos"], ["group"], [true], [true, false, false])
            : new CovariateSchema([], ["promo"], [], [], [true]);
        return new TimeSeries("promo", Frequency.Periods, items) { Covariates = schema };
    }

    // y(t) = 10 + 3 x(t - 1), x white noise measured up to the origin.
    private static TimeSeries Lagged()
    {
        var rng = new Rng(5);
        var items = new List<Series>();
        for (int s = 0; s < Count; s++)
        {
            var x = new float[Length];
            for (int t = 0; t < Length; t++) x[t] = (float)rng.NextGaussian();
            var y = new float[Length];
            for (int t = 0; t < Length; t++) y[t] = 10 + 3 * (t == 0 ? 0 : x[t - 1]);
            items.Add(new Series($"s{s}", y, null) { Covariates = new SeriesCovariates([x], [], []) });
        }
        return new TimeSeries("lagged", Frequency.Periods, items) { Covariates = new CovariateSchema(["x"], [], [], [], []) };
    }

    internal static TimeSeries Without(TimeSeries data) =>
        new(data.Source, data.Frequency, data.Items.Select(s => s with { Covariates = null }).ToList());

    private static TimeSeries FutureOnly(TimeSeries data) =>
        new(data.Source, data.Frequency, data.Items.Select(s => s with { Covariates = s.Covariates! with { Static = [] } }).ToList())
        {
            Covariates = data.Covariates! with { Static = [], StaticCategorical = [] },
        };

    private static ForecastSettings Settings(int horizon, int lookback) => new()
    {
        Horizon = horizon, SeasonalPeriod = 7, Lookback = lookback, Hidden = 32, Epochs = 200, Steps = 600, Ensemble = 1, Seed = 1, BlockWidth = 32, Stacks = 2, StackBlocks = 1,
    };

    private double Mase(TimeSeries data, string model, ForecastSettings settings)
    {
        var result = Evaluation.Holdout(data, [model], settings);
        var m = result.Models.Single(x => x.Score.Model == model);
        Assert.True(m.Failures.Count == 0, string.Join("; ", m.Failures.Select(f => f.Reason)));
        double mase = m.Score.Mase!.Value;
        output.WriteLine($"{model} on {data.Source} ({(data.Covariates is null ? "no covariates" : string.Join(", ", data.Covariates.Describe()))}): MASE {mase:F3}");
        return mase;
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    [InlineData("lstm")]
    [InlineData("nhits")]
    [InlineData("nbeats")]
    [InlineData("rnn")]
    public void AFutureCovariateIsRecovered(string model)
    {
        var data = Promotions(_ => 5, 0.25);
        var settings = Settings(7, 14);
        double with = Mase(data, model, settings), without = Mase(Without(data), model, settings);
        // The recurrent nets learn the weekly base more slowly in these 600 steps; the promotion still halves their error.
        bool recurrent = model is "gru" or "lstm" or "rnn";
        Assert.True(with < (recurrent ? 0.6 : 0.25), $"{model} with the promotion: MASE {with:F3}");
        Assert.True(without > 1.6 * with && without > 0.4, $"{model} without: MASE {without:F3} (with {with:F3})");
    }

    [Fact]
    public void AQuantileHeadReadsTheFutureCovariates()
    {
        // The same promotion panel with a quantile head: its median recovers the promotion, and its 10-90 % band is
        // narrow on the holdout because the promotion explains the target (the mlp without the promotion is wide).
        var data = Promotions(_ => 5, 0.25);
        var settings = Settings(7, 14) with { Probabilistic = new() { Quantiles = "0.1,0.5,0.9" } };
        double with = Mase(data, "mlp", settings);
        Assert.True(with < 0.35, $"mlp with quantiles and the promotion: MASE {with:F3}");
        double Width(TimeSeries d)
        {
            var train = d.DropLast(7);
            var model = settings.Create("mlp");
            model.FitSeries(train);
            var inputs = train.Items.Select((s, i) => new ForecastInput(i, s.Values) { Covariates = d.Items[i].Covariates }).ToArray();
            var q = ((Hindsight.Forecasting.Probabilistic.IQuantileForecaster)model).PredictQuantiles(inputs, 7, [0.1, 0.9]);
            return q.Average(r => r[1].Zip(r[0], (hi, lo) => hi - lo).Average());
        }
        double withWidth = Width(data), withoutWidth = Width(Without(data));
        output.WriteLine($"mean 10-90 % width: {withWidth:F3} with the promotion, {withoutWidth:F3} without");
        Assert.True(withWidth < 0.5 * withoutWidth, $"10-90 % width {withWidth:F3} with the promotion, {withoutWidth:F3} without");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    [InlineData("nbeats")]
    [InlineData("nhits")]
    public void APastCovariateIsRecoveredOneStepAhead(string model)
    {
        var data = Lagged();
        var settings = Settings(1, 4);
        double with = Mase(data, model, settings), without = Mase(Without(data), model, settings);
        Assert.True(with < 0.15, $"{model} with x: MASE {with:F3}");
        Assert.True(without > 0.4, $"{model} without x: MASE {without:F3}");
    }

    // rnn, gru and lstm form this product in their per-step MLP decoder (Networks.RecurrentDecoder)
    [Theory]
    [InlineData("mlp")]
    [InlineData("nbeats")]
    [InlineData("nhits")]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void AStaticCategoryTellsTheSignOfTheEffect(string model)
    {
        // The promotion raises group "up" by 5 and lowers group "down" by 5; a window of 2 seldom shows which. Learning
        // the product of group and promotion takes more steps than the other tests.
        var data = Promotions(s => s % 2 == 0 ? 5 : -5, 0.25, withStatic: true, seed: 8);
        // The recurrent nets' decoder learns it in fewer steps than the mlp.
        bool recurrent = model is "rnn" or "gru" or "lstm";
        var settings = Settings(7, 2) with { Hidden = 64, Steps = recurrent ? 1200 : 4000, Epochs = 500 };
        // nhits with its default three stacks: with the two of the other tests its one full-resolution block reaches
        // only MASE 0.29 here (0.74 without the group)
        if (model == "nhits") settings = settings with { Stacks = 3 };
        double with = Mase(data, model, settings), without = Mase(FutureOnly(data), model, settings);
        Assert.True(with < 0.3, $"{model} with the group: MASE {with:F3}");
        Assert.True(without > 3 * with, $"{model} without the group: MASE {without:F3} (with {with:F3})");
    }

    // Series s: y = 10 + 0.5 g(s) t with g = +1 for group "up" and -1 for "down", seen through a window of one value
    // (the change from the last value: always 0), so only the group tells where the series goes.
    private static TimeSeries Directions()
    {
        var items = new List<Series>();
        for (int s = 0; s < Count; s++)
        {
            var y = Enumerable.Range(0, Length).Select(t => (float)(10 + (s % 2 == 0 ? 0.5 : -0.5) * t)).ToArray();
            items.Add(new Series($"s{s}", y, null) { Covariates = new SeriesCovariates([], [], [s % 2 == 0 ? "up" : "down"]) });
        }
        return new TimeSeries("directions", Frequency.Periods, items) { Covariates = new CovariateSchema([], [], ["group"], [true], []) };
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void AStaticCategoryTellsTheDirection(string model)
    {
        var data = Directions();
        var settings = Settings(7, 1);
        double with = Mase(data, model, settings), without = Mase(Without(data), model, settings);
        Assert.True(with < 0.1, $"{model} with the group: MASE {with:F3}");
        Assert.True(without > 0.4, $"{model} without the group: MASE {without:F3}");
    }

    [Fact]
    public void ArimaUsesFutureCovariatesAsXreg()
    {
        // Seasonal differences leave 5 x the promotion's differences and a little noise: regression with (0,0,0)(0,1,0)[7] errors.
        var data = Promotions(_ => 5, 0.25, noise: 0.1);
        var settings = Settings(7, 14) with { ArimaOrder = "0,0,0,0,1,0" };
        double with = Mase(data, "arima", settings), without = Mase(Without(data), "arima", settings);
        Assert.True(with < 0.2, $"arima with xreg: MASE {with:F3}");
        Assert.True(without > 2 * with, $"arima without: MASE {without:F3}");
    }

    [Fact]
    public void ModelsWithoutCovariatesIgnoreThemWithOneNote()
    {
        var data = Promotions(_ => 5, 0.25);
        var model = Settings(7, 14).Create("ets");
        model.FitSeries(data);
        Assert.Null(model.CovariateSchema);
        var note = Assert.Single(model.Warnings);
        Assert.Equal("ets: ignores the covariates (future:promo)", note.Message);
    }

    [Fact]
    public void AForecastWithoutEnoughFutureValuesNamesTheSeries()
    {
        var data = Promotions(_ => 5, 0.25);
        var model = Settings(7, 14) with { Epochs = 1, Steps = 1 };
        var mlp = model.Create("mlp");
        mlp.FitSeries(data);
        var s = data.Items[2];
        var input = new ForecastInput(2, s.Values) { Covariates = s.Covariates! with { Future = [s.Covariates.Future[0][..(s.Length + 3)]] } };
        var ex = Assert.Throws<ArgumentException>(() => mlp.Predict([input], 7));
        Assert.Equal(2, Forecaster.SeriesIndex(ex));
        Assert.Contains("future covariates for 3 of the 7 steps", ex.Message);
    }
}
