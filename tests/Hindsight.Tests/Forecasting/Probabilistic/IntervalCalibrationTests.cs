using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Tests.Forecasting.Probabilistic;

/// <summary>
/// Conformal calibration with covariates (the calibration copies get the series' covariates), and the CQR recalibration of
/// a model's own quantiles on a case where the right interval is known.
/// </summary>
public class IntervalCalibrationTests
{
    // Forecasts its first future covariate when fitted with covariates (an oracle of y = 10 + 5 promo), else the last value.
    private sealed class CovariateEcho : Forecaster
    {
        public override string Name => "echo";
        public override bool SupportsCovariates => true;
        protected override void FitCore(IReadOnlyList<float[]> series) { }
        protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) =>
            inputs.Select(i => Enumerable.Range(0, horizon)
                .Select(k => CovariateSchema is null ? i.History.Span[^1] : 10 + 5 * i.Covariates!.Future[0][i.History.Length + k]).ToArray()).ToArray();
    }

    // Point forecast 0 and normal quantiles of scale `scale` at every step (a model that knows the mean but not the spread).
    private sealed class FixedGaussian(double scale) : Forecaster, IQuantileForecaster
    {
        public override string Name => "fixed";
        public string? QuantileMethod => "analytic";
        public IReadOnlyList<float>? NativeLevels => null;
        protected override void FitCore(IReadOnlyList<float[]> series) { }
        protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) => inputs.Select(_ => new float[horizon]).ToArray();
        public float[][][] PredictQuantiles(IReadOnlyList<ForecastInput> inputs, int horizon, IReadOnlyList<double> levels) =>
            inputs.Select(_ => levels.Select(l => Enumerable.Repeat((float)(scale * ProbabilisticMetrics.NormalQuantile(l)), horizon).ToArray()).ToArray()).ToArray();
    }

    private static (List<float[]> Values, CovariateSchema Schema, List<SeriesCovariates> Covariates) Promotions()
    {
        var rng = new Rng(7);
        var values = new List<float[]>();
        var covariates = new List<SeriesCovariates>();
        for (int s = 0; s < 4; s++)
        {
            var promo = Enumerable.Range(0, 60).Select(_ => rng.NextDouble() < 0.4 ? 1f : 0f).ToArray();
            values.Add(promo.Select(p => 10 + 5 * p).ToArray());
            covariates.Add(new SeriesCovariates([], [promo], []));
        }
        return (values, new CovariateSchema([], ["promo"], [], [], [true]), covariates);
    }

    [Fact]
    public void ConformalCalibrationFitsAndForecastsWithTheSeriesCovariates()
    {
        var (values, schema, covariates) = Promotions();
        // With the covariates the copies forecast every calibration value exactly: every score and width is 0.
        var with = ConformalQuantiles.Calibrate(() => new CovariateEcho(), values, 3, 5, 3, schema, covariates);
        Assert.All(with.Scores, step => Assert.All(step, score => Assert.Equal(0f, score)));
        Assert.All(ConformalIntervals.Calibrate(() => new CovariateEcho(), values, 3, 0.9, 5, schema, covariates).Width, w => Assert.Equal(0f, w));
        // Without them the same copies miss the promotions (what calibration gave before it passed the covariates).
        var without = ConformalQuantiles.Calibrate(() => new CovariateEcho(), values, 3, 5, 3);
        Assert.True(without.Width(0, 0.9) >= 5, $"width {without.Width(0, 0.9)}");

        // Choose passes them too: the fitted model's intervals have width 0 around its exact forecasts.
        var model = new CovariateEcho();
        model.FitWith(values, schema, covariates);
        var source = QuantileSource.Choose(model, () => new CovariateEcho(), values, 3, 0.9, 5, IntervalCalibration.None, schema, covariates);
        Assert.Equal("conformal", source.Method);
        var inputs = values.Select((v, i) => new ForecastInput(i, v.AsMemory(0, 50)) { Covariates = covariates[i] }).ToList();
        var forecasts = model.Predict(inputs, 3);
        var q = source.Predict(model, inputs, 3, [0.05, 0.5, 0.95], forecasts)!;
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(values[i][50..53], forecasts[i]);
            Assert.Equal(q[i][0], q[i][2]);
        }
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(2.0, false)]
    [InlineData(0.5, true)]
    [InlineData(2.0, true)]
    public void CqrMovesAMisscaledNormalIntervalToTheTrueOne(double scale, bool scaled)
    {
        // Standard normal noise; the model's quantiles are those of N(0, scale^2). The right 80 % interval is +-1.2816.
        var rng = new Rng(11);
        var series = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 100).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        var cqr = QuantileRecalibration.Calibrate(() => new FixedGaussian(scale), series, 2, 10, 2, scaled);
        Assert.Equal(400, cqr.Count);
        double z80 = ProbabilisticMetrics.NormalQuantile(0.9);
        var levels = new double[] { 0.1, 0.5, 0.9 };
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        var raw = new FixedGaussian(scale).PredictQuantiles(inputs, 2, levels);
        var calibrated = cqr.Apply(new FixedGaussian(scale).PredictQuantiles(inputs, 2, levels), levels);
        int inside = 0, insideRaw = 0, n = 0;
        var fresh = new Rng(12);
        for (int i = 0; i < inputs.Count; i++)
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(z80, calibrated[i][2][k], 0.15);
                Assert.Equal(-z80, calibrated[i][0][k], 0.15);
                Assert.Equal(0f, calibrated[i][1][k]);
                for (int r = 0; r < 50; r++, n++)
                {
                    double y = fresh.NextGaussian();
                    if (y >= calibrated[i][0][k] && y <= calibrated[i][2][k]) inside++;
                    if (y >= raw[i][0][k] && y <= raw[i][2][k]) insideRaw++;
                }
            }
        Assert.InRange((double)inside / n, 0.76, 0.84);
        Assert.False(Math.Abs((double)insideRaw / n - 0.8) < 0.1, $"raw coverage {(double)insideRaw / n}");

        // Scaled, the scores are relative to the interval's width: the same data and model 10 times larger get the same
        // correction (unscaled, 10 times the correction).
        var large = QuantileRecalibration.Calibrate(() => new FixedGaussian(10 * scale), series.Select(s => s.Select(v => 10 * v).ToArray()).ToList(), 2, 10, 2, scaled);
        var (c1, c10) = (cqr.Correction(0.8), large.Correction(0.8));
        for (int k = 0; k < 2; k++) Assert.Equal(scaled ? c1[k] : 10 * c1[k], c10[k], 1e-3);
        Assert.True(scaled ? Math.Abs(c1[0]) < 1 : Math.Abs(c1[0]) > 0.3, $"correction {c1[0]}");
    }

    [Fact]
    public void ChooseRecalibratesOwnQuantilesOrReplacesThemAsAsked()
    {
        var rng = new Rng(3);
        var series = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 40).Select(_ => (float)rng.NextGaussian()).ToArray()).ToList();
        var model = new FixedGaussian(0.5);
        model.Fit(series);
        QuantileSource Choose(IntervalCalibration c) => QuantileSource.Choose(model, () => new FixedGaussian(0.5), series, 2, 0.95, 4, c);
        Assert.Equal("analytic", Choose(IntervalCalibration.None).Method);
        var cqr = Choose(IntervalCalibration.Cqr);
        Assert.Equal("analytic+cqr", cqr.Method);
        Assert.NotNull(cqr.Recalibration);
        Assert.Equal("conformal", Choose(IntervalCalibration.Conformal).Method);
        Assert.True(Choose(IntervalCalibration.CqrScaled) is { Method: "analytic+cqrscaled", Recalibration.Scaled: true });
        // Too short for 4 consecutive horizons of 2 plus a value: overlapping ones, said in the note.
        var shortSeries = series.Select(s => s[..8]).ToList();
        var overlap = QuantileSource.Choose(model, () => new FixedGaussian(0.5), shortSeries, 2, 0.95, 4, IntervalCalibration.Cqr);
        Assert.Equal("analytic+cqr", overlap.Method);
        Assert.Contains("overlapping", overlap.Note);
        Assert.Equal(1, overlap.Recalibration!.Stride);
        // Recalibrated quantiles stay ordered over the levels.
        var inputs = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        var q = cqr.Predict(model, inputs, 2, [0.025, 0.1, 0.5, 0.9, 0.975], model.Predict(inputs, 2))!;
        foreach (var input in q)
            for (int j = 1; j < input.Length; j++)
                for (int k = 0; k < 2; k++)
                    Assert.True(input[j][k] >= input[j - 1][k]);
        Assert.True(q[0][4][0] > model.PredictQuantiles(inputs, 2, [0.975])[0][0][0], "the 95 % bound widens");
    }
}
