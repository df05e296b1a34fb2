namespace Hindsight.Cli.Json;

/// <summary><c>hindsight lesson --json</c>, also the live view's <c>summary</c> (fields in docs/json.md).</summary>
/// <param name="Data">The data file.</param>
/// <param name="Rows">Series (rows) read.</param>
/// <param name="Periods">Periods (columns) per series.</param>
/// <param name="Scale">Scaling: <c>mean</c>, <c>none</c>, ...</param>
/// <param name="Settings">The experiment's settings.</param>
/// <param name="Models">One entry per model and hidden size.</param>
/// <param name="Files">Files written.</param>
internal sealed record LessonJson(string Data, int Rows, int Periods, string Scale, LessonSettingsJson Settings,
    IReadOnlyList<LessonModelJson> Models, IReadOnlyList<string> Files);

/// <summary>The lesson's settings.</summary>
/// <param name="Models">Models raced.</param>
/// <param name="Hidden">Hidden sizes.</param>
/// <param name="Epochs">Epochs per run.</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="SeqLength">Sequence length.</param>
/// <param name="BatchRows">Series per batch.</param>
/// <param name="Seeds">Runs per model.</param>
/// <param name="Seed">Seed of the first run.</param>
internal sealed record LessonSettingsJson(IReadOnlyList<string> Models, IReadOnlyList<int> Hidden, int Epochs, float Lr, int SeqLength,
    int BatchRows, int Seeds, ulong Seed);

/// <summary>One model (and hidden size) over its seeds.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="UpdatesPerRun">SGD updates per run.</param>
/// <param name="EpochMean">Mean loss over seeds per epoch.</param>
/// <param name="EpochSd">Standard deviation over seeds per epoch.</param>
/// <param name="FinalMean">Mean of the last epoch's loss.</param>
/// <param name="FinalSd">Its standard deviation.</param>
/// <param name="FinalLosses">Last epoch's loss per seed.</param>
/// <param name="FirstLeadEpoch">First epoch at which this model's mean loss was the lowest, or null.</param>
/// <param name="LeadsFromEpoch">Epoch from which this model's mean loss stays the lowest to the last epoch, or null.</param>
/// <param name="SeedWins">Seeds on which this model ends lowest.</param>
/// <param name="Seconds">Training time over all seeds.</param>
internal sealed record LessonModelJson(string Name, int Hidden, int Parameters, int UpdatesPerRun, double[] EpochMean, double[] EpochSd,
    double FinalMean, double FinalSd, double[] FinalLosses, int? FirstLeadEpoch, int? LeadsFromEpoch, int SeedWins, double Seconds);
