using Hindsight.Data;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Text;
using Xunit.Abstractions;

namespace Hindsight.Tests.Text;

public class LanguageIdTests(ITestOutputHelper output)
{
    private const double Chance = 1.0 / 18;

    [Fact]
    public void SeedCellLearnsWellAboveChance()
    {
        var evaluation = LanguageIdTrainer.Evaluate(TextData.Cell, TextData.SmallTest);
        output.WriteLine($"cell: held-out accuracy {evaluation.Accuracy:P1} on {evaluation.Words} words (chance {Chance:P1})");
        Assert.Equal(TextData.SmallTest.Count, evaluation.Words);
        Assert.True(evaluation.Accuracy > 4 * Chance, $"cell held-out accuracy {evaluation.Accuracy:P1}, expected > {4 * Chance:P1}");
        Assert.IsType<RnnCell>(TextData.Cell.Network);
        Assert.Equal(["i2h.weight", "i2h.bias", "i2o.weight", "i2o.bias"], TextData.Cell.Network.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void BatchedGruLearnsWellAboveChance()
    {
        var evaluation = LanguageIdTrainer.Evaluate(TextData.Gru, TextData.SmallTest);
        output.WriteLine($"gru: held-out accuracy {evaluation.Accuracy:P1} on {evaluation.Words} words");
        Assert.True(evaluation.Accuracy > 4 * Chance, $"gru held-out accuracy {evaluation.Accuracy:P1}, expected > {4 * Chance:P1}");
        Assert.Contains("rnn.weight_ih_l0", TextData.Gru.Network.NamedParameters().Select(p => p.Name));
        Assert.Contains("out.weight", TextData.Gru.Network.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void EvaluationAddsUp()
    {
        var e = LanguageIdTrainer.Evaluate(TextData.Gru, TextData.SmallTest);
        Assert.Equal(18, e.Confusion.Length);
        Assert.Equal(e.Words - e.Unreadable, e.Confusion.Sum(r => r.Sum()));
        Assert.Equal(e.Correct, Enumerable.Range(0, 18).Sum(l => e.Confusion[l][l]));
        Assert.Equal(e.Correct, e.PerLanguage.Sum(p => p.Correct));
        Assert.Equal(TextData.SmallTest.CountPerLanguage(), e.PerLanguage.Select(p => p.Words));
        // Predict agrees with the evaluation: as many right as the diagonal counts
        var readable = Enumerable.Range(0, TextData.SmallTest.Count).Where(i => TextData.SmallTest.Words[i].All(TextData.Gru.Alphabet.Contains)).ToArray();
        Assert.Equal(e.Words - e.Unreadable, readable.Length);
        var predicted = TextData.Gru.Predict(readable.Select(i => TextData.SmallTest.Words[i]).ToArray());
        Assert.Equal(e.Correct, readable.Where((i, j) => predicted[j] == TextData.SmallTest.Labels[i]).Count());
    }

    [Fact]
    public void WordWithALetterNeverSeenIsUnreadableAndCountsWrong()
    {
        var test = new LanguageWords("t", TextData.Words.Languages, ["the", "the\u4e00"], [3, 3]);
        var e = LanguageIdTrainer.Evaluate(TextData.Cell, test);
        Assert.Equal(1, e.Unreadable);
        Assert.Equal(2, e.PerLanguage[3].Words);
        Assert.Equal(1, e.Confusion.Sum(r => r.Sum()));
    }

    [Fact]
    public void SameSeedSameModel()
    {
        var small = TextData.Words.Head(12);
        var options = new LanguageIdOptions { Architecture = LanguageIdArchitecture.Lstm, Hidden = 8, Epochs = 2, BatchSize = 16, Seed = 9 };
        var (a, ea) = LanguageIdTrainer.Train(small, options);
        var (b, eb) = LanguageIdTrainer.Train(small, options);
        Assert.Equal(ea.Select(e => e.Loss), eb.Select(e => e.Loss));
        Assert.Equal(a.LogProbabilities(small.Words), b.LogProbabilities(small.Words));
        var (c, _) = LanguageIdTrainer.Train(small, options with { Seed = 10 });
        Assert.NotEqual(a.LogProbabilities(small.Words), c.LogProbabilities(small.Words));
    }

    [Fact]
    public void TopIsSortedProbabilitiesOfNormalisedWord()
    {
        var top = TextData.Gru.Top("  THE ", 3);
        Assert.Equal(3, top.Count);
        Assert.True(top[0].Probability >= top[1].Probability && top[1].Probability >= top[2].Probability);
        Assert.True(top.Sum(t => t.Probability) <= 1.0 + 1e-6);
        var all = TextData.Gru.Top("the", 18);
        Assert.Equal(1.0, all.Sum(t => t.Probability), 1e-4);
        Assert.Equal(top[0], all[0]);
    }

    [Fact]
    public void UnknownLetterAtPredictTimeIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => TextData.Cell.Top("abc\u4e00"));
        Assert.Contains("U+4E00", ex.Message);
        Assert.Contains("not in the model's alphabet", ex.Message);
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Cell)]
    [InlineData(LanguageIdArchitecture.Gru)]
    [InlineData(LanguageIdArchitecture.Lstm)]
    public void ModelFileRoundTripGivesIdenticalPredictions(LanguageIdArchitecture architecture)
    {
        using var tmp = new TempFolder();
        var model = architecture switch
        {
            LanguageIdArchitecture.Cell => TextData.Cell,
            LanguageIdArchitecture.Gru => TextData.Gru,
            _ => LanguageIdTrainer.Train(TextData.Words.Head(10), new LanguageIdOptions { Architecture = architecture, Hidden = 8, Epochs = 1, Seed = 2 }).Model,
        };
        var path = tmp.PathOf("m.safetensors");
        model.Save(path, new Dictionary<string, string> { ["epochs"] = "8" });
        var (loaded, metadata) = LanguageIdModel.Load(path);
        Assert.Equal(architecture, loaded.Architecture);
        Assert.Equal(model.Alphabet.Letters, loaded.Alphabet.Letters);
        Assert.Equal(model.Languages, loaded.Languages);
        Assert.Equal(model.HiddenSize, loaded.HiddenSize);
        Assert.Equal("8", metadata["epochs"]);
        Assert.Equal("langid", metadata["hindsight.kind"]);
        var words = TextData.SmallTest.Words.Where(w => w.All(model.Alphabet.Contains)).ToArray();
        Assert.Equal(model.LogProbabilities(words), loaded.LogProbabilities(words)); // bit for bit
    }

    [Fact]
    public void LoadRejectsOtherFilesNamingTheProblem()
    {
        using var tmp = new TempFolder();
        var gen = tmp.PathOf("gen.safetensors");
        new CharLanguageModel(false, new Alphabet("ab\n"), 4, 1, new Rng(0)).Save(gen);
        var ex = Assert.Throws<InvalidDataException>(() => LanguageIdModel.Load(gen));
        Assert.Contains("not a 'langid' model file", ex.Message);

        var noMeta = tmp.PathOf("bare.safetensors");
        TextData.Cell.Network.SaveSafeTensors(noMeta, new Dictionary<string, string> { ["hindsight.kind"] = "langid", ["architecture"] = "cell" });
        ex = Assert.Throws<InvalidDataException>(() => LanguageIdModel.Load(noMeta));
        Assert.Contains("bare.safetensors: metadata entry", ex.Message);
        Assert.Contains("is missing", ex.Message);

        var wrongShape = tmp.PathOf("shape.safetensors");
        var small = new LanguageIdModel(LanguageIdArchitecture.Cell, TextData.Cell.Alphabet, TextData.Cell.Languages, 8, new Rng(0));
        small.Network.SaveSafeTensors(wrongShape, new Dictionary<string, string>
        {
            ["hindsight.kind"] = "langid", ["architecture"] = "cell", ["hidden_size"] = "9",
            ["alphabet"] = TextData.Cell.Alphabet.Letters, ["languages"] = System.Text.Json.JsonSerializer.Serialize(TextData.Cell.Languages),
        });
        ex = Assert.Throws<InvalidDataException>(() => LanguageIdModel.Load(wrongShape));
        Assert.Contains("i2h.weight", ex.Message);
    }

    [Fact]
    public void DivergingCellIsReported()
    {
        var small = TextData.Words.Head(5);
        var ex = Assert.Throws<TrainingDivergedException>(() => LanguageIdTrainer.Train(small,
            new LanguageIdOptions { Architecture = LanguageIdArchitecture.Cell, Hidden = 32, Epochs = 3, LearningRate = 1e6f }));
        Assert.Contains("language id (cell)", ex.Message);
    }
}
