namespace Hindsight.Lesson;

/// <summary>One batch as the seed plots it each epoch: the model's outputs, the labels and the inputs, each flattened row by row.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Outputs">Predictions (batch * seqLength).</param>
/// <param name="Labels">Targets, the inputs shifted one step.</param>
/// <param name="Inputs">The windows fed to the model.</param>
public sealed record BatchSnapshot(int Epoch, float[] Outputs, float[] Labels, float[] Inputs);

/// <summary>The race result of one model at one hidden size, over every seed.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Parameters">Number of trainable scalars.</param>
/// <param name="EpochMean">Per epoch: mean over seeds of the epoch's mean batch loss.</param>
/// <param name="EpochSd">Per epoch: sample standard deviation over seeds (0 with one seed).</param>
/// <param name="EpochLosses">[seed][epoch] mean batch loss of each run.</param>
/// <param name="Seconds">Wall time spent training this model (all seeds).</param>
/// <param name="Updates">SGD steps per run (the RNN skips short batches, so it can take fewer than the FC).</param>
/// <param name="FirstWeightName">Parameter name of <paramref name="InitialWeight"/>.</param>
/// <param name="InitialWeight">The first layer's weight before training (first seed), (rows, cols) row-major.</param>
/// <param name="InitialWeightShape">Its shape.</param>
/// <param name="Snapshots">The first batch of every epoch (first seed).</param>
public sealed record ModelRace(
    string Model, int Hidden, int Parameters, double[] EpochMean, double[] EpochSd, double[][] EpochLosses, double Seconds, int Updates,
    string FirstWeightName, float[] InitialWeight, int[] InitialWeightShape, IReadOnlyList<BatchSnapshot> Snapshots)
{
    /// <summary>Mean over seeds of the last epoch's loss.</summary>
    public double FinalMean => EpochMean[^1];
    /// <summary>Standard deviation over seeds of the last epoch's loss.</summary>
    public double FinalSd => EpochSd[^1];
    /// <summary>Each seed's last-epoch loss.</summary>
    public double[] FinalLosses => EpochLosses.Select(e => e[^1]).ToArray();

    /// <summary>
    /// First 1-based epoch at which this model's mean loss is below every other model's mean loss at the same
    /// epoch, or null if it never led. It may lose the lead again: see <see cref="LeadsFromEpoch"/>.
    /// </summary>
    public int? FirstLeadEpoch { get; init; }

    /// <summary>
    /// The 1-based epoch from which this model's mean loss stays below every other model's mean loss at every epoch
    /// up to and including the last (with two models: the epoch from which it beat the other for good), or null if
    /// it does not lead at the last epoch.
    /// </summary>
    public int? LeadsFromEpoch { get; init; }

    /// <summary>
    /// Number of seeds in which this model's final loss is below every other model's final loss with the same seed
    /// (the models of one seed share the loader's shuffles and windows, so this is a paired comparison).
    /// </summary>
    public int SeedWins { get; init; }
}

/// <summary>Everything the lesson measured.</summary>
/// <param name="Data">Path of the data file.</param>
/// <param name="Rows">Series in the file.</param>
/// <param name="Periods">Periods per series.</param>
/// <param name="Scaling">How rows were scaled.</param>
/// <param name="Options">The settings used.</param>
/// <param name="Races">One entry per (hidden size, model), hidden sizes in the order given.</param>
public sealed record LessonResult(string Data, int Rows, int Periods, SeriesScaling Scaling, LessonOptions Options, IReadOnlyList<ModelRace> Races);

/// <summary>Progress of one (model, hidden size): <paramref name="Done"/> of <paramref name="Total"/> epochs over all seeds.</summary>
public readonly record struct LessonProgress(string Model, int Hidden, int Done, int Total, double LastLoss);
