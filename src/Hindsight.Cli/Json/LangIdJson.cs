namespace Hindsight.Cli.Json;

/// <summary><c>hindsight langid train --json</c> (fields in docs/json.md).</summary>
/// <param name="Data">The words file.</param>
/// <param name="Model">Architecture: <c>cell</c>, <c>gru</c> or <c>lstm</c>.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Epochs">Epochs.</param>
/// <param name="Lr">Learning rate used.</param>
/// <param name="BatchSize">Words per batch (1 for <c>cell</c>).</param>
/// <param name="Seed">Seed.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="AlphabetSize">Letters known to the model.</param>
/// <param name="Languages">Language names, in label order.</param>
/// <param name="TrainWords">Training words.</param>
/// <param name="TestWords">Held-out words.</param>
/// <param name="EpochLog">One entry per epoch.</param>
/// <param name="TrainSeconds">Training time.</param>
/// <param name="TestAccuracy">Held-out accuracy.</param>
/// <param name="Unreadable">Held-out words with a letter unknown to the model.</param>
/// <param name="PerLanguage">Held-out accuracy per language.</param>
/// <param name="Confusion">Held-out confusion matrix [true][predicted].</param>
/// <param name="Predictions">Top-3 languages of sample words.</param>
/// <param name="ModelFile">The model file written.</param>
/// <param name="Files">Files written.</param>
internal sealed record LangIdTrainJson(string Data, string Model, int Hidden, int Epochs, float Lr, int BatchSize, ulong Seed, int Parameters,
    int AlphabetSize, IReadOnlyList<string> Languages, int TrainWords, int TestWords, IReadOnlyList<LangIdEpochJson> EpochLog, double TrainSeconds,
    double TestAccuracy, int Unreadable, IReadOnlyList<LanguageScoreJson> PerLanguage, int[][] Confusion, IReadOnlyList<WordPredictionJson> Predictions,
    string ModelFile, IReadOnlyList<string> Files);

/// <summary>One epoch of language-identification training.</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="Loss">Mean training loss.</param>
/// <param name="TrainAccuracy">Training accuracy.</param>
/// <param name="Seconds">Time since training began.</param>
internal sealed record LangIdEpochJson(int Epoch, double Loss, double TrainAccuracy, double Seconds);

/// <summary>Held-out accuracy of one language.</summary>
/// <param name="Language">Language name.</param>
/// <param name="Words">Held-out words.</param>
/// <param name="Correct">Correctly identified.</param>
/// <param name="Accuracy">Correct / words.</param>
/// <param name="Unreadable">Words with an unknown letter.</param>
internal sealed record LanguageScoreJson(string Language, int Words, int Correct, double Accuracy, int Unreadable);

/// <summary>The most likely languages of a word.</summary>
/// <param name="Word">The word.</param>
/// <param name="Top">Languages, most likely first.</param>
internal sealed record WordPredictionJson(string Word, IReadOnlyList<LanguageProbabilityJson> Top);

/// <summary>A language and its probability.</summary>
/// <param name="Language">Language name.</param>
/// <param name="Probability">Softmax probability.</param>
internal sealed record LanguageProbabilityJson(string Language, double Probability);

/// <summary><c>hindsight langid predict --json</c> (fields in docs/json.md).</summary>
/// <param name="ModelFile">The model file.</param>
/// <param name="Model">Architecture.</param>
/// <param name="Predictions">One entry per word.</param>
internal sealed record LangIdPredictJson(string ModelFile, string Model, IReadOnlyList<WordPredictionJson> Predictions);
