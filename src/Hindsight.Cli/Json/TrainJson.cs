namespace Hindsight.Cli.Json;

/// <summary><c>hindsight train --json</c> (fields in docs/json.md).</summary>
/// <param name="Model">The model trained (the one chosen when <c>auto</c>).</param>
/// <param name="SelectedBy"><c>auto</c> when chosen by validation, else null.</param>
/// <param name="ModelFile">The model file written.</param>
/// <param name="Data">The data file.</param>
/// <param name="Series">Number of series.</param>
/// <param name="Horizon">Forecast horizon.</param>
/// <param name="Lookback">Input window.</param>
/// <param name="SeasonalPeriod">Seasonal period.</param>
/// <param name="Parameters">Trainable parameters (AR coefficients for <c>ar</c>, 0 for the baselines).</param>
/// <param name="EpochsRun">Epochs run (neural models), else null.</param>
/// <param name="BestEpoch">Epoch with the lowest validation loss (neural models), else null.</param>
/// <param name="BestValidationLoss">That loss, or null.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Level">Conformal interval level in percent, or null.</param>
/// <param name="IntervalWidth">Interval half-width per step, or null.</param>
/// <param name="TrainLosses">Training loss per epoch (neural models), else null.</param>
/// <param name="ValidationLosses">Validation loss per epoch (neural models), else null.</param>
/// <param name="Files">Charts written (besides the model file).</param>
internal sealed record TrainJson(string Model, string? SelectedBy, string? ModelFile, string? Data, int Series, int Horizon, int Lookback,
    int SeasonalPeriod, int Parameters, int? EpochsRun, int? BestEpoch, double? BestValidationLoss, double Seconds, double? Level,
    float[]? IntervalWidth, double[]? TrainLosses, double[]? ValidationLosses, IReadOnlyList<string> Files)
{
    /// <summary>The covariates the data carried, as kind:name.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];
}
