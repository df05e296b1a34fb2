using Hindsight.Data;
namespace Hindsight.Forecasting;

/// <summary>
/// Picks a model by validation error: every candidate is fitted on the series without their last horizon values and scored
/// by MAE (averaged over series) on those values; the best is refitted on the whole series and used to predict.
/// Ties keep the earlier candidate, so simpler models listed first win ties.
/// </summary>
public sealed class AutoForecaster : Forecaster
{
    private readonly ForecastSettings _settings;
    private readonly string[] _candidates;
    private Forecaster? _chosen;

    /// <summary>Creates the chooser over <paramref name="candidates"/> (model names for <see cref="ForecastSettings.Create"/>).</summary>
    public AutoForecaster(ForecastSettings settings, IReadOnlyList<string> candidates)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (candidates.Count == 0 || candidates.Any(c => c.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException("auto: the candidates must be at least one model other than auto.");
        _candidates = [.. candidates];
        foreach (var c in _candidates) settings.Create(c); // unknown names fail now
    }

    /// <summary>The model chosen by the last fit.</summary>
    public Forecaster? Chosen => _chosen;
    /// <summary>Validation MAE of every candidate in the last fit (NaN when it could not be fitted on the shortened series).</summary>
    public IReadOnlyDictionary<string, double> Scores { get; private set; } = new Dictionary<string, double>();
    /// <inheritdoc/>
    public override string Name => "auto";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override int MinHistory => _chosen?.MinHistory ?? 1;
    /// <inheritdoc/>
    public override int? MaxHorizon => _chosen?.MaxHorizon ?? _settings.Horizon;

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        int h = _settings.Horizon;
        var shortened = series.Select(s => s.Length > h ? s[..^h] : s).ToList();
        var scores = new Dictionary<string, double>();
        string? best = null;
        foreach (var name in _candidates)
        {
            var model = _settings.Create(name);
            double score = double.NaN;
            if (series.All(s => s.Length > h) && shortened.All(s => s.Length >= model.MinHistory))
            {
                try
                {
                    model.Fit(shortened);
                    var forecasts = model.Predict(h);
                    score = 0;
                    for (int s = 0; s < series.Count; s++) score += Metrics.Mae(series[s].AsSpan(series[s].Length - h), forecasts[s]);
                    score /= series.Count;
                }
                catch (Exception ex) when (ex is ArgumentException or TrainingDivergedException) { score = double.NaN; } // too short or diverged: not a choice
            }
            scores[name] = score;
            if (!double.IsNaN(score) && (best is null || score < scores[best])) best = name;
        }
        Scores = scores;
        if (best is null) throw new ArgumentException($"auto: no candidate ({string.Join(", ", _candidates)}) could be validated on series this short.");
        _chosen = _settings.Create(best);
        _chosen.Fit(series);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon) => _chosen!.Predict(inputs, horizon);
}
