using System.Globalization;

namespace Hindsight.Text;

/// <summary>
/// The ordered set of letters a text model reads and writes: letter k is one-hot position k. Built from the training
/// text (sorted by code point, so the same text always gives the same alphabet) and saved with the model.
/// A letter outside the alphabet is an error naming it: the model has no weights for a letter it never saw
/// (there is no unknown-letter slot). Letters are UTF-16 code units compared exactly: no Unicode normalisation is
/// applied (Hindsight runs with invariant globalization), so a decomposed 'e' + U+0301 is two letters, not 'é'.
/// </summary>
public sealed class Alphabet
{
    private readonly Dictionary<char, int> _index;

    /// <summary>The letters in one-hot order.</summary>
    public string Letters { get; }

    /// <summary>Number of letters A (the one-hot width).</summary>
    public int Count => Letters.Length;

    /// <summary>Creates the alphabet from its letters in one-hot order; a repeated or empty alphabet is an error.</summary>
    public Alphabet(string letters)
    {
        ArgumentException.ThrowIfNullOrEmpty(letters);
        _index = new Dictionary<char, int>(letters.Length);
        for (int i = 0; i < letters.Length; i++)
            if (!_index.TryAdd(letters[i], i))
                throw new ArgumentException($"Alphabet: letter {Describe(letters[i])} appears twice (positions {_index[letters[i]]} and {i}).", nameof(letters));
        Letters = letters;
    }

    /// <summary>Every distinct letter of <paramref name="texts"/>, sorted by code point.</summary>
    public static Alphabet FromTexts(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var set = new SortedSet<char>();
        foreach (var t in texts) foreach (char c in t) set.Add(c);
        if (set.Count == 0) throw new ArgumentException("Alphabet: the texts contain no letters.", nameof(texts));
        return new Alphabet(new string([.. set]));
    }

    /// <summary>Whether <paramref name="letter"/> is in the alphabet.</summary>
    public bool Contains(char letter) => _index.ContainsKey(letter);

    /// <summary>The one-hot position of <paramref name="letter"/>, or -1.</summary>
    public int IndexOf(char letter) => _index.TryGetValue(letter, out int k) ? k : -1;

    /// <summary>
    /// The one-hot positions of the letters of <paramref name="text"/>. A letter outside the alphabet is an
    /// <see cref="ArgumentException"/> naming the letter (and its code point), its position and the text.
    /// </summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var codes = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_index.TryGetValue(text[i], out codes[i]))
                throw new ArgumentException($"letter {Describe(text[i])} at position {i + 1} of \"{Shorten(text)}\" is not in the model's alphabet of {Count} letters (the letters seen in training).");
        }
        return codes;
    }

    /// <summary>The letter at one-hot position <paramref name="index"/>.</summary>
    public char this[int index] => Letters[index];

    /// <summary>A letter for messages: <c>'ß' (U+00DF)</c>; control characters by code point only.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";


    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Alphabet({Count} letters)");
}
