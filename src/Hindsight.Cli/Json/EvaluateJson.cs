namespace Hindsight.Cli.Json;

/// <summary><c>hindsight evaluate --json</c> and <c>hindsight backtest --json</c> (fields in docs/json.md).</summary>
/// <param name="Kind"><c>holdout</c> or <c>backtest</c>.</param>
/// <param name="Data">The data file.</param>
/// <param name="Series">Number of series.</param>
/// <param name="MinLength">Length of the shortest series.</param>
/// <param name="Frequency">The data's frequency.</param>
/// <param name="FilledValues">Missing values filled.</param>
/// <param name="Horizon">Forecast horizon.</param>
/// <param name="SeasonalPeriod">Seasonal period (for snaive and MASE).</param>
/// <param name="Origins">Forecast origins per series.</param>
/// <param name="Stride">Steps between origins.</param>
/// <param name="Refit">Whether models were refit at every origin.</param>
/// <param name="Level">Conformal interval level in percent, or null.</param>
/// <param name="Settings">The model settings.</param>
/// <param name="Models">One entry per model.</param>
/// <param name="Best">The model with the lowest MAE.</param>
/// <param name="Files">Charts written.</param>
internal sealed record EvaluateJson(string Kind, string? Data, int Series, int MinLength, string Frequency, int FilledValues, int Horizon,
    int SeasonalPeriod, int Origins, int Stride, bool Refit, double? Level, EvaluateSettingsJson Settings,
    IReadOnlyList<EvaluateModelJson> Models, string Best, IReadOnlyList<string> Files);

/// <summary>The forecasting settings used.</summary>
/// <param name="Lookback">Input window.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Layers">Layers.</param>
/// <param name="Epochs">Most epochs.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="LearningRate">Learning rate.</param>
/// <param name="Patience">Early-stopping patience.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Strategy"><c>direct</c> or <c>recursive</c>.</param>
/// <param name="MinHistory">Shortest input of the recurrent models, or null.</param>
internal sealed record EvaluateSettingsJson(int Lookback, int Hidden, int Layers, int Epochs, int BatchSize, float LearningRate, int Patience,
    ulong Seed, string Strategy, int? MinHistory);

/// <summary>One model's scores.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mape">Mean absolute percentage error, or null when a true value is 0.</param>
/// <param name="Smape">Symmetric MAPE.</param>
/// <param name="Mase">Mean absolute scaled error, or null when undefined.</param>
/// <param name="Coverage">Share of true values inside the intervals, or null.</param>
/// <param name="IntervalWidth">Mean interval width, or null.</param>
/// <param name="FitSeconds">Fitting time.</param>
/// <param name="PredictSeconds">Prediction time.</param>
/// <param name="Forecasts">Forecasts scored.</param>
/// <param name="Chosen">The model <c>auto</c> chose, or null.</param>
/// <param name="EpochsRun">Epochs run (neural models), or null.</param>
/// <param name="BestEpoch">Best epoch (neural models), or null.</param>
/// <param name="PerSeries">The same scores per series.</param>
internal sealed record EvaluateModelJson(string Name, double Mae, double Rmse, double? Mape, double Smape, double? Mase, double? Coverage,
    double? IntervalWidth, double FitSeconds, double PredictSeconds, int Forecasts, string? Chosen, int? EpochsRun, int? BestEpoch,
    IReadOnlyList<SeriesScoreJson> PerSeries);

/// <summary>One series' scores under one model.</summary>
/// <param name="Id">Series id.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mape">MAPE, or null.</param>
/// <param name="Smape">Symmetric MAPE.</param>
/// <param name="Mase">MASE, or null.</param>
/// <param name="Coverage">Interval coverage, or null.</param>
internal sealed record SeriesScoreJson(string Id, double Mae, double Rmse, double? Mape, double Smape, double? Mase, double? Coverage);
