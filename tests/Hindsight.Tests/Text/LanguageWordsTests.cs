using Hindsight.Data;
using Hindsight.Text;

namespace Hindsight.Tests.Text;

public class LanguageWordsTests
{
    private static LanguageWords Parse(string text) => LanguageWords.Parse(new StringReader(text), "words.tsv");

    [Fact]
    public void BundledWordsHave18LanguagesInSortedOrder()
    {
        var words = TextData.Words;
        Assert.Equal(10752, words.Count);
        Assert.Equal(18, words.Languages.Count);
        Assert.Equal(words.Languages.Order(StringComparer.Ordinal), words.Languages);
        Assert.Equal("Czech", words.Languages[0]);
        Assert.Equal(503, words.CountPerLanguage()[words.Languages.ToList().IndexOf("English")]);
    }

    [Fact]
    public void ParsesLanguagesAndLabels()
    {
        var w = Parse("language\tword\nb\tzz\na\txy\nb\tq\n\n");
        Assert.Equal(["a", "b"], w.Languages);
        Assert.Equal(["zz", "xy", "q"], w.Words);
        Assert.Equal([1, 0, 1], w.Labels);
    }

    [Fact]
    public void QuotesAreLettersAndCrLfEndsLines()
    {
        var w = Parse("language\tword\r\nb\t\"zz\r\na\tx'y\"\r\n");
        Assert.Equal(["\"zz", "x'y\""], w.Words);
        Assert.Equal([1, 0], w.Labels);
    }

    [Theory]
    [InlineData("", "words.tsv: empty file")]
    [InlineData("lang\tword\nen\tx\n", "words.tsv:1: expected the header")]
    [InlineData("language\tword\nen\tab\nfr\tab\tcd\n", "words.tsv:3: expected 2 tab-separated columns (language, word), found 3")]
    [InlineData("language\tword\nen\tab\nfr\n", "words.tsv:3: expected 2 tab-separated columns")]
    [InlineData("language\tword\nen\t\nfr\tab\n", "words.tsv:2: column 2 (word): empty word")]
    [InlineData("language\tword\n\tab\nfr\tab\n", "words.tsv:2: column 1 (language): empty language name")]
    [InlineData("language\tword\nen\ta b\nfr\tab\n", "words.tsv:2: column 2 (word): word 'a b' contains U+0020 at position 2")]
    [InlineData("language\tword\nen\tab\nen\tcd\n", "only one language ('en')")]
    [InlineData("language\tword\n", "no words after the header")]
    public void BadInputNamesFileLineAndColumn(string text, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => LanguageWords.Load(Path.Combine(Path.GetTempPath(), "no-such-words-file.tsv")));

    [Fact]
    public void BundledWordsAndTextsAreComposedUnicode()
    {
        // Hindsight does not normalise Unicode, so the bundled data must already be NFC (composed): no combining marks.
        static bool Combining(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark;
        Assert.DoesNotContain(TextData.Words.Words, w => w.Any(Combining));
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(TextData.EnglishPath)!, "*.txt"))
            Assert.False(File.ReadAllText(file).Any(Combining), file);
    }

    [Fact]
    public void SplitIsStratifiedDisjointAndSeeded()
    {
        var all = TextData.Words;
        var (train, test) = all.Split(0.2, 5);
        Assert.Equal(all.Count, train.Count + test.Count);
        var perLanguage = all.CountPerLanguage();
        var testCounts = test.CountPerLanguage();
        for (int l = 0; l < perLanguage.Length; l++)
            Assert.Equal((int)Math.Round(perLanguage[l] * 0.2), testCounts[l]);
        var trainPairs = train.Words.Zip(train.Labels).ToHashSet();
        var testPairs = test.Words.Zip(test.Labels).ToList();
        Assert.Equal(all.Words.Zip(all.Labels).Order().ToList(), trainPairs.Concat(testPairs).Order().ToList());
        var (_, again) = all.Split(0.2, 5);
        Assert.Equal(test.Words, again.Words);
        var (_, other) = all.Split(0.2, 6);
        Assert.NotEqual(test.Words, other.Words);
    }

    [Fact]
    public void SplitKeepsAtLeastOneWordOnEachSide()
    {
        var w = Parse("language\tword\nen\taa\nen\tbb\nfr\tcc\nfr\tdd\nfr\tee\n");
        var (train, test) = w.Split(0.01, 0);
        Assert.Equal([1, 1], test.CountPerLanguage());
        Assert.Equal([1, 2], train.CountPerLanguage());
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Split(1.0, 0));
    }
}
