using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;
using Hindsight.Settings;

namespace Hindsight.Cli;

/// <summary>
/// Command-line options made from the libraries' options records: the flag, help text, default and range of a setting come
/// from its <see cref="SettingAttribute"/> and its record's initial value, so the CLI cannot drift from the library.
/// The flag is <c>--</c> plus the property name in kebab-case unless a command names it (<c>--lr</c>, <c>--season</c>).
/// A value that does not parse or is out of range is a parse error (exit 2) naming the flag.
/// </summary>
internal static class SettingOptions
{
    private static readonly ConditionalWeakTable<Option, Setting> Bound = new();

    /// <summary>The setting an option was made from, or null for an option of the CLI's own.</summary>
    public static Setting? SettingOf(Option option) => Bound.TryGetValue(option, out var s) ? s : null;

    /// <summary>The default an option made from <paramref name="s"/> shows (a list as "2,4", a run-time default as none).</summary>
    public static object? CliDefault(Setting s) => s.Attribute.DefaultText is not null ? null
        : s.Default is System.Collections.IEnumerable list and not string ? string.Join(",", list.Cast<object>().Select(Invariant)) : s.Default;

    /// <summary>
    /// The help an option made from <paramref name="s"/> shows: the setting's help, its range (so the upper limit of a size is
    /// visible) and the run-time default rule.
    /// </summary>
    public static string Help(Setting s)
    {
        var parts = new List<string>();
        if (s.HasRange) parts.Add(RangeText(s));
        if (s.Attribute.DefaultText is { } d) parts.Add($"default: {d}");
        return parts.Count == 0 ? s.Help : $"{s.Help} ({string.Join("; ", parts)})";
    }

    /// <summary>The range of <paramref name="s"/> for a help listing: "1 to 4096" for whole inclusive bounds, else in words.</summary>
    public static string RangeText(Setting s)
    {
        var a = s.Attribute;
        bool whole = s.ValueType != typeof(float) && s.ValueType != typeof(double);
        if (whole && !double.IsNaN(a.Min) && !double.IsNaN(a.Max) && !a.MinExclusive && !a.MaxExclusive)
            return $"{Invariant(a.Min)} to {Invariant(a.Max)}";
        return s.Range;
    }

    /// <summary>
    /// An option for <typeparamref name="TRecord"/>.<paramref name="property"/>. <typeparamref name="T"/> is the property's
    /// type, or string for a list setting (comma-separated; the command splits it). Nullable settings with a run-time
    /// default (<see cref="SettingAttribute.DefaultText"/>) get no default value: null means "decide at run time".
    /// </summary>
    public static Option<T> For<TRecord, T>(string property, string? flag = null) where TRecord : new()
    {
        var s = SettingTable.Of<TRecord>(property);
        flag ??= "--" + Kebab(property);
        var option = new Option<T>(flag) { Description = Help(s) };
        if (CliDefault(s) is { } d) option.DefaultValueFactory = _ => (T)d;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (type.IsEnum)
        {
            option.HelpName = string.Join("|", s.Choices.Select(c => c.Name));
            option.CustomParser = r => ParseChoice<T>(r, s, flag);
        }
        else if (type != typeof(string) && type != typeof(bool))
            option.CustomParser = r => OptionRules.ParseToken<T>(r, flag, v => s.Problem(v) is { } p ? CliErrors.Flagged(p, s.Name, flag) : null);
        Bound.AddOrUpdate(option, s);
        CliErrors.AddFlag(s.Name, flag);
        return option;
    }

    private static T ParseChoice<T>(ArgumentResult r, Setting s, string flag)
    {
        if (r.Tokens.Count == 0) return default!;
        try { return (T)s.ParseChoice(r.Tokens[^1].Value); }
        catch (ArgumentException ex)
        {
            r.AddError(CliErrors.Flagged(CliErrors.Message(ex), s.Name, flag));
            return default!;
        }
    }

    /// <summary><c>LearningRate</c> to <c>learning-rate</c>.</summary>
    public static string Kebab(string property) =>
        string.Concat(property.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string Invariant(object o) => Convert.ToString(o, CultureInfo.InvariantCulture)!;
}
