using Hindsight.Settings;

namespace Hindsight.Forecasting;

/// <summary>How <see cref="AutoForecaster"/> turns its cross-validation ranking into a forecast.</summary>
public enum AutoMode
{
    /// <summary>The candidate with the lowest cross-validated mean MASE.</summary>
    Select,
    /// <summary>The median or mean of the best <see cref="AutoOptions.K"/> candidates' forecasts.</summary>
    Combine,
}

/// <summary>How the members of a combination are combined, step by step.</summary>
public enum CombineBy
{
    /// <summary>The median of the members' forecasts (robust to one bad member).</summary>
    Median,
    /// <summary>The mean of the members' forecasts.</summary>
    Mean,
}

/// <summary>
/// What <c>auto</c> chooses from and how: candidates, rolling-origin cross-validation origins, selection or combination.
/// The defaults live in the constants below (one place to change after a benchmark).
/// </summary>
public sealed record AutoOptions
{
    /// <summary>The default candidates (comma-separated model names). Change this one constant to change <c>auto</c>'s default.</summary>
    public const string DefaultCandidates = "ets,arima,theta,dotm,drift,naive";
    /// <summary>The default mode: combine the best few (measured best on bench/forecast, see docs/forecasting.md).</summary>
    public const AutoMode DefaultMode = AutoMode.Combine;
    /// <summary>The default size of a combination: the best two of each series.</summary>
    public const int DefaultK = 2;

    /// <summary>The default scope of the choice: true, each series by its own cross-validation (measured best on bench/forecast).</summary>
    public const bool DefaultPerSeries = true;

    /// <summary>Select the best candidate or combine the best <see cref="K"/>.</summary>
    [Setting("auto: select the best candidate by cross-validation, or combine the best k")]
    public AutoMode Mode { get; init; } = DefaultMode;
    /// <summary>Candidates combined in <see cref="AutoMode.Combine"/> (fewer when fewer pass the validation).</summary>
    [Setting("auto: how many of the best candidates a combination holds", Min = 1, Max = 32)]
    public int K { get; init; } = DefaultK;
    /// <summary>Median or mean of the members' forecasts.</summary>
    [Setting("auto: combine the members' forecasts by their median or mean")]
    public CombineBy Combine { get; init; } = CombineBy.Median;
    /// <summary>Comma-separated candidate model names (any of <see cref="ForecastSettings.ModelNames"/> but auto).</summary>
    [Setting("auto: candidate models, comma-separated", DefaultText = DefaultCandidates)]
    public string Candidates { get; init; } = DefaultCandidates;
    /// <summary>Whether each series takes the best of its own cross-validation scores (as R's per-series auto.arima) rather than one choice for all.</summary>
    [Setting("auto: choose (or combine) per series by each series' own cross-validation scores")]
    public bool PerSeries { get; init; } = DefaultPerSeries;
    /// <summary>Most rolling origins of the cross-validation (fewer when the series are short), one horizon apart.</summary>
    [Setting("auto: most cross-validation origins, one horizon apart (fewer on short series)", Min = 1, Max = 20)]
    public int CvOrigins { get; init; } = 3;

    /// <summary>The candidate names, trimmed and lower-case, without repeats.</summary>
    public IReadOnlyList<string> CandidateList() =>
        Candidates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToLowerInvariant()).Distinct().ToList();
}
