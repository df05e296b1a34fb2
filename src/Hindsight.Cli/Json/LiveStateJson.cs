namespace Hindsight.Cli.Json;

/// <summary>The live view's <c>/state.json</c> (<c>hindsight lesson --live</c>; fields in docs/json.md and docs/live.md).</summary>
/// <param name="Version">Changes with every update; <c>/state.json?since=VERSION</c> answers 204 while it holds.</param>
/// <param name="Status"><c>training</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Error">The failure's message, or null.</param>
/// <param name="Data">The data file.</param>
/// <param name="Rows">Series (rows) read.</param>
/// <param name="Periods">Periods per series.</param>
/// <param name="Scale">Scaling of the series.</param>
/// <param name="Settings">The experiment's settings (as in <c>lesson --json</c>).</param>
/// <param name="Races">One entry per model and hidden size.</param>
/// <param name="Summary">Once done, the object <c>lesson --json</c> prints; null before.</param>
internal sealed record LiveStateJson(long Version, string Status, string? Error, string Data, int Rows, int Periods, string Scale,
    LessonSettingsJson Settings, IReadOnlyList<LiveRaceJson> Races, object? Summary);

/// <summary>One model and hidden size, as training goes.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Losses">Loss per seed and epoch so far, <c>[seed][epoch]</c>.</param>
/// <param name="Latest">The latest finished epoch, or null before the first.</param>
internal sealed record LiveRaceJson(string Name, int Hidden, IReadOnlyList<IReadOnlyList<double>> Losses, LiveEpochJson? Latest);

/// <summary>The latest epoch of one model: its first batch and first-layer weight.</summary>
/// <param name="Run">Run (seed index), from 0.</param>
/// <param name="Seed">That run's seed.</param>
/// <param name="Epoch">Epoch, from 1.</param>
/// <param name="Loss">The epoch's loss.</param>
/// <param name="Rows">Rows of the batch.</param>
/// <param name="Outputs">The model's outputs on the epoch's first batch (before its update), (rows, seqLength) row-major.</param>
/// <param name="Labels">The batch's labels, same layout.</param>
/// <param name="Inputs">The batch's inputs, same layout.</param>
/// <param name="WeightName">Name of the weight shown.</param>
/// <param name="Weight">The first layer's weight after the epoch, row-major.</param>
/// <param name="WeightShape">Its shape (rows, cols).</param>
internal sealed record LiveEpochJson(int Run, ulong Seed, int Epoch, double Loss, int Rows, float[] Outputs, float[] Labels, float[] Inputs,
    string WeightName, float[] Weight, int[] WeightShape);
