namespace Hindsight.Forecasting;

/// <summary>The default settings of the forecasting models, in one place (library settings and the CLI read them here).</summary>
public static class ForecastDefaults
{
    /// <summary>Values to forecast.</summary>
    public const int Horizon = 12;
    /// <summary>Input window of the neural models and lags of <c>ar</c>.</summary>
    public const int Lookback = 24;
    /// <summary>Seasonal period m.</summary>
    public const int SeasonalPeriod = 12;
    /// <summary>Hidden units of the neural models.</summary>
    public const int Hidden = 32;
    /// <summary>Stacked recurrent layers.</summary>
    public const int Layers = 1;
    /// <summary>Most epochs of the neural models.</summary>
    public const int Epochs = 100;
    /// <summary>Windows per Adam step.</summary>
    public const int BatchSize = 32;
    /// <summary>Adam learning rate.</summary>
    public const float LearningRate = 3e-3f;
    /// <summary>Early-stopping patience in epochs.</summary>
    public const int Patience = 10;
}
