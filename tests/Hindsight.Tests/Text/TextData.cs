using Hindsight.Tests.Support;
using Hindsight.Text;

namespace Hindsight.Tests.Text;

/// <summary>The bundled UDHR data, read once, and small trained models shared by the Text tests.</summary>
internal static class TextData
{
    public static string WordsPath { get; } = Repo.Path("data", "udhr_words.tsv");
    public static string EnglishPath { get; } = Repo.Path("data", "udhr_text", "English.txt");

    private static readonly Lazy<LanguageWords> AllWords = new(() => LanguageWords.Load(WordsPath));
    public static LanguageWords Words => AllWords.Value;

    /// <summary>60 words per language (1,080), split 75/25 with seed 3.</summary>
    private static readonly Lazy<(LanguageWords Train, LanguageWords Test)> SmallSplit = new(() => Words.Head(60).Split(0.25, 3));
    public static LanguageWords SmallTrain => SmallSplit.Value.Train;
    public static LanguageWords SmallTest => SmallSplit.Value.Test;

    private static readonly Lazy<LanguageIdModel> CellModel = new(() => LanguageIdTrainer.Train(SmallTrain,
        new LanguageIdOptions { Architecture = LanguageIdArchitecture.Cell, Hidden = 64, Epochs = 25, LearningRate = 0.01f, Seed = 1 }).Model);
    private static readonly Lazy<LanguageIdModel> GruModel = new(() => LanguageIdTrainer.Train(SmallTrain,
        new LanguageIdOptions { Architecture = LanguageIdArchitecture.Gru, Hidden = 64, Epochs = 12, BatchSize = 32, Seed = 1 }).Model);

    /// <summary>The seed's RnnCell trained on the small split (shared; do not train further).</summary>
    public static LanguageIdModel Cell => CellModel.Value;
    /// <summary>A GRU classifier trained on the small split (shared; do not train further).</summary>
    public static LanguageIdModel Gru => GruModel.Value;

    /// <summary>The first 3,000 letters of the English declaration.</summary>
    public static TextCorpus EnglishHead { get; } = new("English.txt (head)", File.ReadAllText(EnglishPath)[..3000]);

    private static readonly Lazy<(CharLanguageModel Model, IReadOnlyList<TextGenEpoch> Epochs)> Generator = new(() =>
        TextGenTrainer.Train(EnglishHead, new TextGenOptions { Hidden = 48, Epochs = 8, SeqLength = 32, BatchSize = 8, LearningRate = 0.01f, Seed = 2 }));
    /// <summary>A small LSTM character model trained on <see cref="EnglishHead"/> (shared).</summary>
    public static CharLanguageModel LanguageModel => Generator.Value.Model;
    public static IReadOnlyList<TextGenEpoch> GeneratorEpochs => Generator.Value.Epochs;
}

/// <summary>A temporary folder for one test, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("hindsight-text-").FullName;
    public string PathOf(string name) => Path.Combine(Folder, name);
    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }
    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
