using Hindsight.Data;
using nietras.SeparatedValues;

namespace Hindsight.Text;

/// <summary>
/// Words labelled with their language, read from a tab-separated file with the header <c>language&lt;TAB&gt;word</c>
/// (the bundled <c>udhr_words.tsv</c>). Languages are numbered in sorted order; words are
/// kept as written (no Unicode normalisation) (the bundled words are lower case).
/// </summary>
public sealed class LanguageWords
{
    /// <summary>Where the words came from (a path, or a name given by the caller).</summary>
    public string Source { get; }
    /// <summary>Language names; label k is <c>Languages[k]</c>.</summary>
    public IReadOnlyList<string> Languages { get; }
    /// <summary>The words.</summary>
    public IReadOnlyList<string> Words { get; }
    /// <summary>The language index of each word.</summary>
    public IReadOnlyList<int> Labels { get; }
    /// <summary>Number of words.</summary>
    public int Count => Words.Count;

    /// <summary>Creates the set; every label must index <paramref name="languages"/>.</summary>
    public LanguageWords(string source, IReadOnlyList<string> languages, IReadOnlyList<string> words, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(languages);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(labels);
        if (words.Count != labels.Count) throw new ArgumentException($"LanguageWords: {words.Count} words but {labels.Count} labels.");
        foreach (int l in labels)
            if ((uint)l >= (uint)languages.Count) throw new ArgumentException($"LanguageWords: label {l} outside [0, {languages.Count}).");
        Source = source; Languages = languages; Words = words; Labels = labels;
    }

    /// <summary>Reads a <c>language&lt;TAB&gt;word</c> file; bad input is a <see cref="DataFormatException"/> naming file, line and column.</summary>
    public static LanguageWords Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var reader = new StringReader(DataFile.ReadText(path)); // strict UTF-8 (a BOM is allowed): a bad byte names line and column
        return Parse(reader, path);
    }

    /// <summary>Parses the file's text; <paramref name="source"/> names it in errors.</summary>
    public static LanguageWords Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // Tab-separated, quotes taken literally (a word may hold any letter but tab, space or control).
        using var sep = Sep.New('\t').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, DisableQuotesParsing = true }).From(reader);
        bool header = true;
        var rows = new List<(string Language, string Word)>();
        foreach (var row in sep)
        {
            int line = row.LineNumberFrom;
            if (header)
            {
                header = false;
                if (row.ColCount != 2 || !row[0].Span.Trim().SequenceEqual("language") || !row[1].Span.Trim().SequenceEqual("word"))
                    throw new DataFormatException(source, 1, null, $"expected the header 'language<TAB>word', found '{row.Span}'.");
                continue;
            }
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue; // a blank line (e.g. a trailing one) carries no word
            if (row.ColCount != 2)
                throw new DataFormatException(source, line, null, $"expected 2 tab-separated columns (language, word), found {row.ColCount}.");
            var language = row[0].Span.Trim().ToString();
            var word = row[1].Span.Trim().ToString();
            if (language.Length == 0) throw new DataFormatException(source, line, "1 (language)", "empty language name.");
            if (word.Length == 0) throw new DataFormatException(source, line, "2 (word)", "empty word.");
            for (int i = 0; i < word.Length; i++)
                if (char.IsWhiteSpace(word[i]) || char.IsControl(word[i]))
                    throw new DataFormatException(source, line, "2 (word)", $"word '{word}' contains {Alphabet.Describe(word[i])} at position {i + 1}; a word is letters without spaces.");
            rows.Add((language, word));
        }
        if (header) throw new DataFormatException(source, null, null, "empty file; expected the header 'language<TAB>word' and one word per line.");
        if (rows.Count == 0) throw new DataFormatException(source, null, null, "no words after the header.");
        var languages = rows.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (languages.Length < 2) throw new DataFormatException(source, null, "1 (language)", $"only one language ('{languages[0]}'); language identification needs at least 2.");
        var index = languages.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new LanguageWords(source, languages, rows.Select(r => r.Word).ToArray(), rows.Select(r => index[r.Language]).ToArray());
    }

    /// <summary>
    /// A seeded stratified split: within each language the words are shuffled and <paramref name="testFraction"/> of
    /// them (rounded, at least one, never all) are held out, so every language needs at least 2 words.
    /// </summary>
    /// <exception cref="DataFormatException">A language with fewer than 2 words (one for each split), named with its count.</exception>
    public (LanguageWords Train, LanguageWords Test) Split(double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), $"LanguageWords.Split: test fraction must be in (0, 1), got {testFraction}.");
        var counts = CountPerLanguage();
        var few = Enumerable.Range(0, Languages.Count).Where(l => counts[l] < 2).ToArray();
        if (few.Length > 0)
            throw new DataFormatException(Source, null, "1 (language)",
                $"{string.Join(", ", few.Take(5).Select(l => $"'{Languages[l]}' has {counts[l]} word{(counts[l] == 1 ? "" : "s")}"))}{(few.Length > 5 ? $" (and {few.Length - 5} more)" : "")}; " +
                "the training and the test split each need at least 1 word of every language, so give each language at least 2 words.");
        var rng = new Rng(seed);
        var train = new List<int>(); var test = new List<int>();
        for (int l = 0; l < Languages.Count; l++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == l).ToArray();
            rng.Shuffle(members.AsSpan());
            int nTest = Math.Clamp((int)Math.Round(members.Length * testFraction), 1, members.Length - 1);
            test.AddRange(members.Take(nTest));
            train.AddRange(members.Skip(nTest));
        }
        train.Sort(); test.Sort();
        return (Take(train), Take(test));
    }

    /// <summary>The first <paramref name="perLanguage"/> words of each language (file order), e.g. for a quick run.</summary>
    public LanguageWords Head(int perLanguage)
    {
        if (perLanguage <= 0) throw new ArgumentOutOfRangeException(nameof(perLanguage), $"LanguageWords.Head: need a positive count, got {perLanguage}.");
        var seen = new int[Languages.Count];
        var keep = new List<int>();
        for (int i = 0; i < Count; i++)
            if (seen[Labels[i]]++ < perLanguage) keep.Add(i);
        return Take(keep);
    }

    /// <summary>Words per language.</summary>
    public int[] CountPerLanguage()
    {
        var n = new int[Languages.Count];
        foreach (int l in Labels) n[l]++;
        return n;
    }

    private LanguageWords Take(List<int> rows) =>
        new(Source, Languages, rows.Select(i => Words[i]).ToArray(), rows.Select(i => Labels[i]).ToArray());
}
