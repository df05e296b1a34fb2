using System.Diagnostics;
using Hindsight.Forecasting;

namespace Hindsight.Cli.Bench;

/// <summary>
/// <c>hindsight bench forecast-epoch</c> (issue 13 part 4): one training epoch of a global recurrent forecaster (rnn, gru or
/// lstm, no covariates) through <see cref="NeuralTrainer"/>, the code a fitted <see cref="NeuralForecaster"/> runs, with the
/// forecasting defaults (<see cref="ForecastSettings"/>: horizon 12, lookback 24, hidden 32, 1 layer, batch 32, MASE, Adam
/// 1e-3 with 3 halvings, gradient norm clipped to 1, no validation tail) on <see cref="Series"/> synthetic series.
/// The same epoch in PyTorch: <c>tools/reference/torch_forecast_epoch.py</c>.
/// </summary>
internal static class ForecastEpochBench
{
    /// <summary>The recurrent kinds the workload trains, in order.</summary>
    public static IReadOnlyList<NeuralKind> Kinds { get; } = [NeuralKind.Rnn, NeuralKind.Gru, NeuralKind.Lstm];

    /// <summary>One timed epoch.</summary>
    /// <param name="Kind">The network kind.</param>
    /// <param name="Description">What the network is, in one line.</param>
    /// <param name="Windows">Training windows of the epoch.</param>
    /// <param name="Batches">Optimiser steps of the epoch.</param>
    /// <param name="UsPerEpoch">Wall microseconds of the epoch.</param>
    /// <param name="CpuUsPerEpoch">Process CPU microseconds of the epoch (all threads).</param>
    /// <param name="Parameters">Trainable values of the network.</param>
    /// <param name="FinalLoss">The epoch's mean training loss.</param>
    public sealed record Result(NeuralKind Kind, string Description, int Windows, int Batches, double UsPerEpoch, double CpuUsPerEpoch, int Parameters, double FinalLoss);

    /// <summary>
    /// Series s, value t: <c>100 + 10 (s mod 7) + 0.05 (s + 1) t + (5 + s mod 5) sin(2 pi (t + s) / 12) + 2 sin(0.37 (s + 1) t)</c>
    /// in double, then float (level, trend, a season of 12 and a deterministic wiggle; the PyTorch script's formula).
    /// </summary>
    public static float[][] Series(int count, int length, int season)
    {
        var series = new float[count][];
        for (int s = 0; s < count; s++)
        {
            series[s] = new float[length];
            for (int t = 0; t < length; t++)
                series[s][t] = (float)(100.0 + 10.0 * (s % 7) + 0.05 * (s + 1) * t + (5.0 + s % 5) * Math.Sin(2.0 * Math.PI * (t + s) / season)
                    + 2.0 * Math.Sin(0.37 * (s + 1) * t));
        }
        return series;
    }

    /// <summary>The forecasting defaults for <paramref name="kind"/>, the step limit raised so that it never cuts the epochs short.</summary>
    public static NeuralConfig Config(NeuralKind kind, int windows, int epochs)
    {
        var config = new ForecastSettings().Neural(kind);
        int batches = (windows + config.BatchSize - 1) / config.BatchSize;
        return config with { Epochs = epochs, Steps = Math.Max(1, epochs * batches), Ensemble = 1 };
    }

    /// <summary>
    /// Warms up (whole epochs of a first network until at least <see cref="Commands.BenchCommand.WarmupSeconds"/> of wall
    /// and of process CPU time have passed: the tiered JIT settles, which on a loaded machine takes more than the wall
    /// time alone gives), then trains a fresh network (seed 0) for one epoch and times it: from the call of
    /// <see cref="NeuralTrainer.Train"/> to its end-of-epoch callback, i.e. the window list and the network, optimiser and
    /// schedule coming into being (microseconds) and the epoch itself: the shuffle, and per batch its assembly from the
    /// scaled series, zero_grad, forward, MASE loss, the loss value, backward, clipping, Adam and the schedule.
    /// </summary>
    /// <exception cref="ArgumentException">Series shorter than lookback + horizon.</exception>
    public static Result Measure(NeuralKind kind, int seriesCount, int length)
    {
        var defaults = new ForecastSettings();
        if (length < defaults.Lookback + defaults.Horizon)
            throw new ArgumentException($"bench forecast-epoch: series of {length} values give no window of {defaults.Lookback} + {defaults.Horizon}.", nameof(length));
        var series = Series(seriesCount, length, defaults.SeasonalPeriod);
        var scaler = SeriesScaler.Fit(series, _ => length);
        var data = new TrainingData(series, scaler, validation: 0, defaults.SeasonalPeriod);
        int windows = seriesCount * (length - defaults.Lookback - defaults.Horizon + 1);
        var config = Config(kind, windows, epochs: 1);
        using var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var warmCpu = process.TotalProcessorTime;
        do
        {
            new NeuralTrainer(config, data, kind.ModelName(), null).Train();
            process.Refresh();
        }
        while (clock.Elapsed.TotalSeconds < Commands.BenchCommand.WarmupSeconds || (process.TotalProcessorTime - warmCpu).TotalSeconds < Commands.BenchCommand.WarmupSeconds);

        TimeSpan cpuEnd = default;
        double usEnd = 0, loss = 0;
        var trainer = new NeuralTrainer(config, data, kind.ModelName(), p =>
        {
            usEnd = clock.Elapsed.TotalMicroseconds;
            process.Refresh();
            cpuEnd = process.TotalProcessorTime;
            loss = p.TrainLoss;
        });
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        clock.Restart();
        var member = trainer.Train();
        int batches = member.Summary!.Steps;
        string description = $"{kind.ModelName()} {config.Layers} x {config.Hidden} + Linear({config.Hidden}, {config.Horizon}), L={config.Lookback} B={config.BatchSize}, MASE, clip 1, Adam {config.LearningRate:G3}, StepLR";
        return new Result(kind, description, member.Summary.TrainWindows, batches, usEnd, (cpuEnd - cpu0).TotalMicroseconds, member.Net.ParameterCount, loss);
    }
}
