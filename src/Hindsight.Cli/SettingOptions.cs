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

    /// <summary>The help an option made from <paramref name="s"/> shows: the setting's help, plus the run-time default rule.</summary>
    public static string Help(Setting s) => s.Attribute.DefaultText is { } d ? $"{s.Help} (default: {d})" : s.Help;

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
        if (typeof(T) != typeof(string) && typeof(T) != typeof(bool))
            option.CustomParser = r => OptionRules.ParseToken<T>(r, flag, v => s.Problem(v) is { } p ? CliErrors.Flagged(p, s.Name, flag) : null);
        Bound.AddOrUpdate(option, s);
        CliErrors.AddFlag(s.Name, flag);
        return option;
    }

    /// <summary><c>LearningRate</c> to <c>learning-rate</c>.</summary>
    public static string Kebab(string property) =>
        string.Concat(property.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string Invariant(object o) => Convert.ToString(o, CultureInfo.InvariantCulture)!;
}
