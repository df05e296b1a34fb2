namespace Hindsight.Settings;

/// <summary>
/// The documented upper limits of the size settings (docs/architecture.md, "Limits"): generous for real use, small enough
/// that a typo (an extra digit or two) is refused before anything is allocated rather than hanging or running out of memory.
/// </summary>
public static class SizeLimits
{
    /// <summary>Largest horizon, lookback, seasonal period, window, origin stride or sequence length.</summary>
    public const int Length = 100_000;
    /// <summary>Largest hidden size.</summary>
    public const int Hidden = 4096;
    /// <summary>Most stacked recurrent layers.</summary>
    public const int Layers = 16;
    /// <summary>Most epochs (and the longest patience).</summary>
    public const int Epochs = 100_000;
    /// <summary>Most optimiser steps.</summary>
    public const int Steps = 10_000_000;
    /// <summary>Largest batch (windows, rows, words or streams per step).</summary>
    public const int Batch = 65_536;
    /// <summary>Most runs with different seeds.</summary>
    public const int Seeds = 1000;
    /// <summary>Longest generated sample, in letters.</summary>
    public const int SampleLength = 1_000_000;
    /// <summary>Most forecast origins of a backtest, or calibration windows per series.</summary>
    public const int Origins = 10_000;
}
