using Hindsight.Forecasting;
using Hindsight.Forecasting.Classical.Ets;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>ETS behaviour beyond the R parity fixture: the forecaster, fallbacks and bad input.</summary>
public class EtsTests
{
    private static EtsFixture.Series Monthly => EtsFixture.All.First(s => s.Season == 12 && s.Fits["auto"].Model.EndsWith('M'));

    [Fact]
    public void Forecaster_from_the_fitted_history_gives_Rs_forecast()
    {
        var s = Monthly;
        var ets = new ForecastSettings { SeasonalPeriod = 12, Horizon = s.Horizon }.Create("ets");
        ets.Fit([Array.ConvertAll(s.Train, v => (float)v)]);
        var f = ets.Predict(s.Horizon)[0];
        var r = s.Fits["auto"].Mean;
        for (int i = 0; i < f.Length; i++) Assert.Equal(r[i], f[i], Math.Abs(r[i]) * 1e-5);
        Assert.Equal(s.Fits["auto"].Model, ((EtsForecaster)ets).Models[0].Spec.Code);
    }

    [Fact]
    public void Forecaster_from_a_prefix_runs_the_fitted_model_over_it()
    {
        var s = Monthly;
        var train = Array.ConvertAll(s.Train, v => (float)v);
        var ets = new EtsForecaster(12);
        ets.Fit([train]);
        var model = ets.Models[0];
        var prefix = train[..^5];
        var f = ets.Predict([new ForecastInput(0, prefix)], 5)[0];
        // running the same model over the whole training series from the same initial states gives R's final state
        var full = model.Filter(Array.ConvertAll(train, v => (double)v));
        for (int i = 0; i < full.Length; i++) Assert.Equal(model.FinalStates[i], full[i], Math.Abs(full[i]) * 1e-9 + 1e-9);
        var expected = model.ForecastAfter(Array.ConvertAll(prefix, v => (double)v), 5);
        for (int i = 0; i < 5; i++) Assert.Equal((float)expected[i], f[i]);
        // the one-step forecast from the prefix is the fitted value R reports at that point
        double fitted = model.Spec.Error == EtsForm.Additive ? s.Train[^5] - model.Residuals[^5] : s.Train[^5] / (1 + model.Residuals[^5]);
        Assert.Equal(fitted, f[0], Math.Abs(fitted) * 1e-5);
    }

    [Fact]
    public void Constant_series_takes_Rs_simple_smoothing_fallback()
    {
        var fit = Ets.Fit(Enumerable.Repeat(5.0, 30).ToArray(), 12);
        Assert.Equal("ANN", fit.Model.Spec.Code);
        Assert.Equal(0.99999, fit.Model.Alpha);
        Assert.NotEmpty(fit.Warnings);
        var fc = fit.Model.Forecast(6, [80, 95]);
        Assert.All(fc.Mean, v => Assert.Equal(5.0, v));
        Assert.All(fc.Upper[1], v => Assert.Equal(5.0, v));
    }

    [Fact]
    public void Series_shorter_than_a_season_is_fitted_without_season_and_warned()
    {
        var y = new float[] { 3, 4, 5, 4, 6, 7, 6, 8, 9, 8 };
        var ets = new EtsForecaster(12);
        ets.Fit([y]);
        Assert.Equal(EtsForm.None, ets.Models[0].Spec.Season);
        Assert.Contains(ets.Warnings, w => w.Message.Contains("without season", StringComparison.Ordinal));
        Assert.All(ets.Predict(4)[0], v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Period_above_24_drops_the_season_with_a_warning()
    {
        var y = Enumerable.Range(0, 120).Select(t => 10 + Math.Sin(t / 8.0) + 0.01 * t).ToArray();
        var fit = Ets.Fit(y, 52);
        Assert.Equal(EtsForm.None, fit.Model.Spec.Season);
        Assert.Contains(fit.Warnings, w => w.Contains("above 24", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_positive_data_skip_multiplicative_models_and_refuse_a_multiplicative_error()
    {
        var y = EtsFixture.All.First(s => s.Train.Min() <= 0);
        var fit = Ets.Fit(y.Train, y.Season);
        Assert.Equal(EtsForm.Additive, fit.Model.Spec.Error);
        var ex = Assert.Throws<ArgumentException>(() => Ets.Fit(y.Train, y.Season, new EtsOptions { Model = "MNN" }));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Too_short_series_is_a_one_line_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EtsForecaster(1).Fit([[1f, 2f, 4f, 3f]]));
        Assert.Contains("too few", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_model_strings_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new EtsForecaster(12, "XYZ"));
        Assert.Throws<ArgumentException>(() => Ets.Fit(EtsFixture.All[0].Train, 1, new EtsOptions { Model = "ANA" }));
        Assert.Throws<ArgumentException>(() => Ets.Fit(EtsFixture.All[0].Train, 4, new EtsOptions { Model = "ANM" }));
    }

    [Fact]
    public void Damped_model_string_and_ses_criterion()
    {
        var s = EtsFixture.All.First(x => x.Fits.ContainsKey("AAdN") && !x.Fits["AAdN"].Fallback);
        var ets = new EtsForecaster(s.Season, "AAdN");
        ets.Fit([Array.ConvertAll(s.Train, v => (float)v)]);
        Assert.Equal(s.Fits["AAdN"].Phi!.Value, ets.Models[0].Phi!.Value, 1e-6);
        var ses = Ets.Fit(s.Train, s.Season, new EtsOptions { Model = "ANN", Criterion = EtsCriterion.Mse }).Model;
        Assert.Equal(s.Fits["ses"].Alpha!.Value, ses.Alpha, 1e-6);
    }

    [Fact]
    public void Multiplicative_trend_uses_seeded_simulated_intervals()
    {
        var s = EtsFixture.All.First(x => x.Train.Min() > 0 && x.Season == 1);
        var model = Ets.Fit(s.Train, 1, new EtsOptions { Model = "MMN", Damped = false }).Model;
        var a = model.Forecast(5, [80, 95], seed: 3, paths: 2000);
        var b = model.Forecast(5, [80, 95], seed: 3, paths: 2000);
        Assert.True(a.Simulated);
        Assert.Equal(a.Upper[1], b.Upper[1]);
        for (int i = 0; i < 5; i++) Assert.True(a.Lower[1][i] < a.Mean[i] && a.Mean[i] < a.Upper[1][i]);
    }

    [Fact]
    public void Settings_model_string_reaches_the_forecaster()
    {
        var s = EtsFixture.All.First(x => x.Fits.ContainsKey("AAdN") && !x.Fits["AAdN"].Fallback);
        var ets = (EtsForecaster)new ForecastSettings { SeasonalPeriod = s.Season, EtsModel = "AAdN" }.Create("ets");
        ets.Fit([Array.ConvertAll(s.Train, v => (float)v)]);
        Assert.Equal("AAdN", ets.Models[0].Spec.Code);
        Assert.Contains("ets", ForecastSettings.ModelNames);
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.4, -0.45 }, true)]   // (z - 0.5)(z + 0.9)
    [InlineData(new[] { 1.0, -1.1 }, false)]        // root 1.1
    [InlineData(new[] { 1.0, 0.0, 1.0 }, true)]     // roots +-i, on the unit circle: inside R's 1 + 1e-10
    [InlineData(new[] { 1.0, 0.0, 1.0000001 }, false)] // modulus 1.00000005
    [InlineData(new[] { 1.0, -2.5, 1.0 }, false)]   // roots 2 and 0.5
    public void Admissibility_polynomial_test_matches_root_moduli(double[] coef, bool inside) =>
        Assert.Equal(inside, EtsBoundsCheck.RootsWithin(coef, 1 + 1e-10));
}
