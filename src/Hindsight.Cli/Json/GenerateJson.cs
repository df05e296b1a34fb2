namespace Hindsight.Cli.Json;

/// <summary><c>hindsight generate train --json</c> (fields in docs/json.md).</summary>
/// <param name="Data">The text file.</param>
/// <param name="Model">Architecture: <c>lstm</c> or <c>gru</c>.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Layers">Layers.</param>
/// <param name="Epochs">Epochs.</param>
/// <param name="SeqLength">Letters per truncated-BPTT window.</param>
/// <param name="BatchSize">Streams per batch.</param>
/// <param name="Lr">Learning rate.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Letters">Letters in the text.</param>
/// <param name="AlphabetSize">Distinct letters.</param>
/// <param name="EpochLog">One entry per epoch.</param>
/// <param name="TrainSeconds">Training time.</param>
/// <param name="Sample">A sample drawn after training.</param>
/// <param name="ModelFile">The model file written.</param>
/// <param name="Files">Files written.</param>
internal sealed record GenerateTrainJson(string Data, string Model, int Hidden, int Layers, int Epochs, int SeqLength, int BatchSize, float Lr,
    ulong Seed, int Parameters, int Letters, int AlphabetSize, IReadOnlyList<GenerateEpochJson> EpochLog, double TrainSeconds,
    GeneratedTextJson Sample, string ModelFile, IReadOnlyList<string> Files);

/// <summary>One epoch of text-generation training.</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="TrainLoss">Training loss per letter.</param>
/// <param name="TrainPerplexity">exp(trainLoss).</param>
/// <param name="ValidationLoss">Held-out loss per letter.</param>
/// <param name="ValidationPerplexity">exp(validationLoss).</param>
/// <param name="Seconds">Time since training began.</param>
internal sealed record GenerateEpochJson(int Epoch, double TrainLoss, double TrainPerplexity, double ValidationLoss, double ValidationPerplexity, double Seconds);

/// <summary>A sample and how it was drawn.</summary>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="Seed">Sampling seed.</param>
/// <param name="Text">The text.</param>
internal sealed record GeneratedTextJson(double Temperature, ulong Seed, string Text);

/// <summary><c>hindsight generate sample --json</c> (fields in docs/json.md).</summary>
/// <param name="ModelFile">The model file.</param>
/// <param name="Model">Architecture.</param>
/// <param name="Data">The text the model was trained on (from its metadata), or null.</param>
/// <param name="Prompt">The prompt ("" without one).</param>
/// <param name="Length">Letters generated.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="Seed">Sampling seed.</param>
/// <param name="Text">The generated text (without the prompt).</param>
internal sealed record GenerateSampleJson(string ModelFile, string Model, string? Data, string Prompt, int Length, float Temperature, ulong Seed, string Text);
