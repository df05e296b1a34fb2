namespace Hindsight.Text;

/// <summary>Words as padded one-hot batches for the fused recurrent layers (PyTorch's <c>pad_sequence</c> + lengths).</summary>
public static class WordBatch
{
    /// <summary>
    /// Encodes the letter codes of B words as a time-first one-hot tensor (T, B, A) with T the longest word; the
    /// steps after a word's end are zero padding, and <c>Lengths[b]</c> is word b's length, to pass as the layer's
    /// <c>lengths</c> so its final state is the state after the word's last letter. Words keep their order.
    /// </summary>
    public static (Tensor Input, int[] Lengths) Encode(IReadOnlyList<int[]> words, int alphabetSize)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0) throw new ArgumentException("WordBatch.Encode: no words.", nameof(words));
        if (alphabetSize <= 0) throw new ArgumentOutOfRangeException(nameof(alphabetSize), $"WordBatch.Encode: alphabet size must be positive, got {alphabetSize}.");
        int B = words.Count, T = 0;
        var lengths = new int[B];
        for (int b = 0; b < B; b++)
        {
            if (words[b].Length == 0) throw new ArgumentException($"WordBatch.Encode: word {b} is empty.", nameof(words));
            lengths[b] = words[b].Length;
            T = Math.Max(T, lengths[b]);
        }
        var x = new Tensor(T, B, alphabetSize);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < lengths[b]; t++)
            {
                int code = words[b][t];
                if ((uint)code >= (uint)alphabetSize) throw new ArgumentOutOfRangeException(nameof(words), $"WordBatch.Encode: word {b} letter {t} has code {code}, outside [0, {alphabetSize}).");
                x.Data[(t * B + b) * alphabetSize + code] = 1f;
            }
        return (x, lengths);
    }
}
