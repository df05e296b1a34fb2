using Hindsight.Settings;

namespace Hindsight.Text;

/// <summary>Which words a language identifier trains on and which are held out (help, range and default declared here once).</summary>
public sealed record LanguageSplitOptions
{
    /// <summary>Share of each language's words held out for testing.</summary>
    [Setting("Share of each language's words held out", Min = 0, MinExclusive = true, Max = 1, MaxExclusive = true)]
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Use only the first this-many words of each language (null: every word).</summary>
    [Setting("Use only the first N words of each language (a quick run)", Min = 2, Max = 10_000_000, DefaultText = "every word")]
    public int? PerLanguage { get; init; }

    /// <summary>
    /// The words of <paramref name="words"/> kept by <see cref="PerLanguage"/>, split by <see cref="LanguageWords.Split"/>
    /// with <see cref="TestFraction"/> and <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A setting out of range, named by its parameter name.</exception>
    public (LanguageWords Train, LanguageWords Test) Apply(LanguageWords words, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(words);
        SettingTable.Check(this);
        var kept = PerLanguage is int n ? words.Head(n) : words;
        return kept.Split(TestFraction, seed);
    }
}
