using Hindsight.Data;

namespace Hindsight.Text;

/// <summary>
/// A plain UTF-8 text for character-level models (e.g. <c>udhr_text/English.txt</c>): line ends
/// as '\n', ending with '\n'. Every model alphabet built from it contains '\n', which also starts a sample without a prompt.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>Where the text came from.</summary>
    public string Source { get; }
    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>Wraps <paramref name="text"/> (normalised as described on the class); fewer than 2 letters is an error.</summary>
    public TextCorpus(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.ReplaceLineEndings("\n").TrimStart('\uFEFF');
        if (!t.EndsWith('\n')) t += "\n";
        if (t.Trim().Length < 2) throw new DataFormatException(source, null, null, "the text is empty; expected at least a few letters of plain UTF-8 text.");
        for (int i = 0, line = 1; i < t.Length; i++)
        {
            if (t[i] == '\n') { line++; continue; }
            if (char.IsControl(t[i]) && t[i] != '\t')
                throw new DataFormatException(source, line, null, $"control character {Alphabet.Describe(t[i])}; expected plain text.");
        }
        Source = source; Text = t;
    }

    /// <summary>Reads a UTF-8 file (a BOM is allowed); an invalid byte is a <see cref="DataFormatException"/> naming the line and byte column.</summary>
    public static TextCorpus Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new TextCorpus(path, DataFile.ReadText(path));
    }
}
