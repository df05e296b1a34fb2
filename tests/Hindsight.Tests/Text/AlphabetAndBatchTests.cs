using Hindsight.Text;

namespace Hindsight.Tests.Text;

public class AlphabetAndBatchTests
{
    [Fact]
    public void AlphabetIsSortedDistinctLettersOfTheTexts()
    {
        var a = Alphabet.FromTexts(["cab", "bad"]);
        Assert.Equal("abcd", a.Letters);
        Assert.Equal([2, 0, 1], a.Encode("cab"));
        Assert.Equal(-1, a.IndexOf('z'));
    }

    [Fact]
    public void UnknownLetterNamesTheLetterItsPositionAndTheWord()
    {
        var a = Alphabet.FromTexts(["strae"]);
        var ex = Assert.Throws<ArgumentException>(() => a.Encode("straße"));
        Assert.Contains("'ß' (U+00DF) at position 5 of \"straße\"", ex.Message);
        Assert.Contains("alphabet of 5 letters", ex.Message);
    }

    [Fact]
    public void RepeatedLetterIsRejected() =>
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new Alphabet("abca")).Message);

    [Fact]
    public void PaddedBatchIsTimeFirstOneHotWithZerosAfterEachWord()
    {
        var (x, lengths) = WordBatch.Encode([[0, 1, 2], [2], [1, 1]], 3);
        Assert.True(x.HasShape(3, 3, 3));
        Assert.Equal([3, 1, 2], lengths);
        float At(int t, int b, int k) => x.Data[(t * 3 + b) * 3 + k];
        Assert.Equal(1f, At(0, 0, 0)); Assert.Equal(1f, At(1, 0, 1)); Assert.Equal(1f, At(2, 0, 2));
        Assert.Equal(1f, At(0, 1, 2));
        Assert.Equal(1f, At(0, 2, 1)); Assert.Equal(1f, At(1, 2, 1));
        Assert.Equal(6f, x.Data.Sum()); // one 1 per letter, the padding is all zeros
        for (int k = 0; k < 3; k++) { Assert.Equal(0f, At(1, 1, k)); Assert.Equal(0f, At(2, 1, k)); Assert.Equal(0f, At(2, 2, k)); }
    }

    [Fact]
    public void EmptyWordOrBadCodeIsRejected()
    {
        Assert.Throws<ArgumentException>(() => WordBatch.Encode([[0], []], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WordBatch.Encode([[0, 2]], 2));
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Gru)]
    [InlineData(LanguageIdArchitecture.Lstm)]
    [InlineData(LanguageIdArchitecture.Cell)]
    public void PaddedBatchGivesEachWordTheResultItHasAlone(LanguageIdArchitecture architecture)
    {
        var alphabet = Alphabet.FromTexts(TextData.Words.Words);
        var model = new LanguageIdModel(architecture, alphabet, TextData.Words.Languages, 16, new Rng(4));
        var words = new[] { "de", "menschenrechte", "a", "universal", "dignité", "ja" };
        var together = model.LogProbabilities(words);
        int L = model.Languages.Count;
        for (int i = 0; i < words.Length; i++)
        {
            var alone = model.LogProbabilities([words[i]]);
            for (int k = 0; k < L; k++)
                Assert.True(Math.Abs(alone[k] - together[i * L + k]) <= 1e-5f, $"{architecture} word '{words[i]}' language {k}: alone {alone[k]}, in the batch {together[i * L + k]}");
        }
        // A word's result does not depend on which words share its batch.
        var reordered = model.LogProbabilities([words[1], words[0]]);
        for (int k = 0; k < L; k++) Assert.True(Math.Abs(reordered[k] - together[L + k]) <= 1e-5f);
    }
}
