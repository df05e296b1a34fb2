namespace Hindsight.Cli.Json;

/// <summary><c>hindsight images train --json</c> (fields in docs/json.md).</summary>
/// <param name="Data">The folder read.</param>
/// <param name="Model">Description of the network.</param>
/// <param name="Hidden">Hidden layer sizes (empty: Linear + softmax).</param>
/// <param name="Width">Width images were resized to.</param>
/// <param name="Height">Height images were resized to.</param>
/// <param name="Channels"><c>gray</c> or <c>rgb</c>.</param>
/// <param name="Features">Values per image.</param>
/// <param name="Classes">Class names in label order.</param>
/// <param name="Epochs">Epochs.</param>
/// <param name="Lr">SGD learning rate.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="TestFraction">Share of each class held out.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="TrainImages">Training images.</param>
/// <param name="TestImages">Held-out images.</param>
/// <param name="Notes">What reading changed, each said once.</param>
/// <param name="Skipped">Files left out as unreadable.</param>
/// <param name="EpochLog">One entry per epoch.</param>
/// <param name="TrainSeconds">Training time.</param>
/// <param name="TestAccuracy">Held-out accuracy.</param>
/// <param name="TestLoss">Held-out cross-entropy.</param>
/// <param name="PerClass">Held-out accuracy per class.</param>
/// <param name="Confusion">Held-out confusion matrix [true][predicted].</param>
/// <param name="ModelFile">The model file written.</param>
/// <param name="Files">Files written.</param>
internal sealed record ImagesTrainJson(string Data, string Model, IReadOnlyList<int> Hidden, int Width, int Height, string Channels, int Features,
    IReadOnlyList<string> Classes, int Epochs, float Lr, int BatchSize, double TestFraction, ulong Seed, int Parameters, int TrainImages, int TestImages,
    IReadOnlyList<string> Notes, IReadOnlyList<SkippedFileJson> Skipped, IReadOnlyList<ImagesEpochJson> EpochLog, double TrainSeconds, double TestAccuracy,
    double TestLoss, IReadOnlyList<ClassScoreJson> PerClass, int[][] Confusion, string ModelFile, IReadOnlyList<string> Files);

/// <summary>A file left out because it is not a readable image.</summary>
/// <param name="File">The file.</param>
/// <param name="Reason">Why.</param>
internal sealed record SkippedFileJson(string File, string Reason);

/// <summary>One epoch of image training.</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="Loss">Mean training cross-entropy.</param>
/// <param name="TrainAccuracy">Training accuracy during the epoch.</param>
/// <param name="Seconds">Time since training began.</param>
internal sealed record ImagesEpochJson(int Epoch, double Loss, double TrainAccuracy, double Seconds);

/// <summary>Held-out accuracy of one class.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Images">Held-out images.</param>
/// <param name="Correct">Classified correctly.</param>
/// <param name="Accuracy">Correct / images.</param>
internal sealed record ClassScoreJson(string Class, int Images, int Correct, double Accuracy);

/// <summary><c>hindsight images predict --json</c> (fields in docs/json.md).</summary>
/// <param name="ModelFile">The model file.</param>
/// <param name="Model">Description of the network.</param>
/// <param name="Width">Width images are resized to.</param>
/// <param name="Height">Height images are resized to.</param>
/// <param name="Channels"><c>gray</c> or <c>rgb</c>.</param>
/// <param name="Classes">Class names in label order.</param>
/// <param name="Predictions">One entry per image.</param>
internal sealed record ImagesPredictJson(string ModelFile, string Model, int Width, int Height, string Channels, IReadOnlyList<string> Classes,
    IReadOnlyList<ImagePredictionJson> Predictions);

/// <summary>The most likely classes of one image.</summary>
/// <param name="File">The image file.</param>
/// <param name="Top">Classes, most likely first.</param>
internal sealed record ImagePredictionJson(string File, IReadOnlyList<ClassProbabilityJson> Top);

/// <summary>A class and its probability.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Probability">Softmax probability.</param>
internal sealed record ClassProbabilityJson(string Class, double Probability);
