namespace Hindsight.Data;

/// <summary>One-hot encodings of text for recurrent models (the seed's <c>letter_to_tensor</c> / <c>line_to_tensor</c>).</summary>
public static class OneHot
{
    /// <summary>The seed's alphabet: <c>string.ascii_letters + " .,;'"</c>, 57 letters.</summary>
    public const string SeedAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'";

    /// <summary>
    /// The word as a (T, 1, A) tensor: row t is the one-hot vector of letter t over <paramref name="alphabet"/>
    /// (A = alphabet length), as the seed's <c>line_to_tensor</c>; <c>Ops.Select(x, 0, t)</c> is the (1, A) input of step t.
    /// A letter missing from the alphabet is an error naming it and its position.
    /// </summary>
    public static Tensor Word(string word, string alphabet)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentException.ThrowIfNullOrEmpty(alphabet);
        var t = new Tensor(word.Length, 1, alphabet.Length);
        for (int i = 0; i < word.Length; i++)
            t.Data[i * alphabet.Length + Index(word[i], alphabet, word, i)] = 1f;
        return t;
    }

    /// <summary>One letter as a (1, A) one-hot tensor (the seed's <c>letter_to_tensor</c>).</summary>
    public static Tensor Letter(char letter, string alphabet)
    {
        ArgumentException.ThrowIfNullOrEmpty(alphabet);
        var t = new Tensor(1, alphabet.Length);
        t.Data[Index(letter, alphabet, letter.ToString(), 0)] = 1f;
        return t;
    }

    private static int Index(char c, string alphabet, string word, int position)
    {
        int k = alphabet.IndexOf(c, StringComparison.Ordinal);
        if (k < 0) throw new ArgumentException($"OneHot: letter '{c}' at position {position} of \"{word}\" is not in the alphabet of {alphabet.Length} letters.");
        return k;
    }
}
