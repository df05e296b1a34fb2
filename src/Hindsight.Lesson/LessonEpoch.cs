namespace Hindsight.Lesson;

/// <summary>
/// What one finished epoch of one run looked like, for watching training as it happens (the seed's live plot):
/// the epoch's mean loss, its first batch as the model saw it, and the first layer's weight after the epoch.
/// Every array is a copy the receiver may keep.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Run">0-based run (seed index).</param>
/// <param name="Seed">That run's seed.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs per run.</param>
/// <param name="Loss">Mean batch loss of the epoch (the value that ends up in <see cref="ModelRace.EpochLosses"/>).</param>
/// <param name="Snapshot">The epoch's first batch: outputs (before that batch's update), labels and inputs, (rows, seqLength).</param>
/// <param name="Rows">Rows of <paramref name="Snapshot"/>'s batch.</param>
/// <param name="WeightName">Parameter name of <paramref name="Weight"/> (see <see cref="ISequenceModel.FirstWeight"/>).</param>
/// <param name="Weight">The first layer's weight at the end of the epoch, row-major.</param>
/// <param name="WeightShape">Its shape (rows, cols).</param>
public sealed record LessonEpoch(
    string Model, int Hidden, int Run, ulong Seed, int Epoch, int Epochs, double Loss,
    BatchSnapshot Snapshot, int Rows, string WeightName, float[] Weight, int[] WeightShape);
