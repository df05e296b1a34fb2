namespace Hindsight.Cli.Json;

/// <summary><c>hindsight bench forecast-epoch --json</c> (fields in docs/json.md; <c>tools/reference/torch_forecast_epoch.py --json</c> writes the same layout).</summary>
/// <param name="Engine">Always <c>hindsight</c>.</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="Results">One entry per network kind.</param>
internal sealed record BenchEpochJson(string Engine, int Threads, IReadOnlyList<EpochResultJson> Results);

/// <summary>One timed training epoch of a recurrent forecaster.</summary>
/// <param name="Workload">Always <c>forecast-epoch</c>.</param>
/// <param name="Kind"><c>rnn</c>, <c>gru</c> or <c>lstm</c>.</param>
/// <param name="Description">The network and training, in one line.</param>
/// <param name="Windows">Training windows of the epoch.</param>
/// <param name="Batches">Optimiser steps of the epoch.</param>
/// <param name="UsPerEpoch">Wall microseconds of the epoch.</param>
/// <param name="CpuUsPerEpoch">Process CPU microseconds of the epoch.</param>
/// <param name="Parameters">Trainable values of the network.</param>
/// <param name="FinalLoss">The epoch's mean training loss.</param>
internal sealed record EpochResultJson(string Workload, string Kind, string Description, int Windows, int Batches, double UsPerEpoch, double CpuUsPerEpoch, long Parameters, double FinalLoss);
