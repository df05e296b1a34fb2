using System.Globalization;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Probabilistic;

namespace Hindsight.Cli.Commands;

/// <summary>
/// The intervals (every --level) and quantiles (--quantiles) of a forecast, and where they came from: the model's own
/// quantiles or distribution, R's analytic intervals, a conformal calibration now (consecutive or overlapping horizons),
/// or the conformal widths stored in a model file.
/// </summary>
/// <param name="Levels">Interval levels in percent.</param>
/// <param name="Bounds">Per level, per input (data order): lower and upper bounds per step.</param>
/// <param name="QuantileLevels">The asked quantile levels.</param>
/// <param name="Quantiles">Per asked level, per input: the quantile per step.</param>
/// <param name="Method">Where they came from (<see cref="QuantileSource.Method"/>).</param>
/// <param name="Note">Why the first choices were not taken, or null.</param>
internal sealed record ForecastIntervals(IReadOnlyList<double> Levels, IReadOnlyList<(float[] Lower, float[] Upper)[]> Bounds,
    IReadOnlyList<double> QuantileLevels, IReadOnlyList<float[][]> Quantiles, string Method, string? Note)
{
    /// <summary>The intervals and quantiles asked by <paramref name="a"/>, or null when none were asked.</summary>
    public static ForecastIntervals? Compute(ForecastArgs a, ForecastSettings settings, Forecaster model, ConformalIntervals? stored, TimeSeries data,
        IReadOnlyList<ForecastInput> inputs, int horizon, float[][] forecasts)
    {
        var levels = a.Level ?? [];
        string? askedText = a.Probabilistic.Quantiles ?? settings.Probabilistic.Quantiles;
        var asked = askedText is null ? null : ProbabilisticOptions.ParseQuantiles(askedText);
        if (levels.Count == 0 && asked is null) return null;
        var own = model as IQuantileForecaster;
        if (own?.QuantileMethod is null && stored is not null)
        {
            var b = forecasts.Select(f => stored.Apply(f)).ToArray();
            return new ForecastIntervals([stored.Level * 100], [b], [], [], "conformal", asked is null ? null : "--quantiles: the model gives intervals only (conformal widths from its file)");
        }
        QuantileSource source;
        if (own?.QuantileMethod is { } method) source = new QuantileSource(method, null, null);
        else if (a.ModelFile is not null) return new ForecastIntervals([], [], [], [], "none", "the model file holds no intervals; train it with --level");
        else
        {
            var options = ForecastCli.Intervals(a) ?? new IntervalOptions { Levels = [] };
            string name = model is AutoForecaster auto ? auto.Chosen!.Name : model.Name;
            source = QuantileSource.Choose(model, () => settings.Create(name), data.Items.Select(s => s.Values).ToList(), horizon, options.Coverage, options.Windows(data.Count),
                options.Calibration, data.Covariates, data.Covariates is null ? null : data.Items.Select(s => s.Covariates!).ToList());
        }
        var layout = QuantileLayout.For(own?.NativeLevels, asked, levels);
        var q = source.Predict(model, inputs, horizon, layout.Levels, forecasts);
        if (q is null) return new ForecastIntervals([], [], [], [], source.Method, source.Note);
        var bounds = levels.Select(l => q.Select(qi => layout.Bounds(qi, l)).ToArray()).ToList();
        var quantiles = (asked ?? []).Select(level => q.Select(qi => qi[layout.IndexOf(level)]).ToArray()).ToList();
        return new ForecastIntervals(levels, bounds, (asked ?? []).Select(x => Math.Round((double)x, 6)).ToArray(), quantiles, source.Method, source.Note);
    }

    /// <summary>One line for the console: the levels, the method, and the note.</summary>
    public string Describe()
    {
        string what = Levels.Count > 0 ? string.Join(", ", Levels.Select(l => l.ToString("G4", CultureInfo.InvariantCulture) + "%")) + " intervals" : "quantiles";
        if (QuantileLevels.Count > 0 && Levels.Count > 0) what += " and quantiles " + string.Join(",", QuantileLevels.Select(l => l.ToString("G6", CultureInfo.InvariantCulture)));
        return $"{what}: {Method}{(Note is null ? "" : $" ({Note})")} (all in --json and --output)";
    }
}
