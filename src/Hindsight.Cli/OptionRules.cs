using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Hindsight.Cli;

/// <summary>
/// Parsers for option values: the text is parsed first, then checked, so a value that is not a number, overflows or is
/// out of range is a one-line parse error (exit 2) naming the option, never an exception from a validator.
/// </summary>
internal static class OptionRules
{
    /// <summary>Only values above 0.</summary>
    public static Option<int> Positive(this Option<int> option) => option.Check(v => v > 0 ? null : $"{option.Name} must be a positive integer, got {v}.");

    /// <summary>Only values above 0 (null allowed).</summary>
    public static Option<int?> Positive(this Option<int?> option) => option.Check(v => v is null or > 0 ? null : $"{option.Name} must be a positive integer, got {v}.");

    /// <summary>Only finite values above 0.</summary>
    public static Option<float> PositiveFinite(this Option<float> option) =>
        option.Check(v => v > 0 && float.IsFinite(v) ? null : $"{option.Name} must be a positive finite number, got {v.ToString(CultureInfo.InvariantCulture)}.");

    /// <summary>Parses the value (a number, or a nullable number) and rejects it with the message <paramref name="problem"/> returns.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.CustomParser = r => ParseToken(r, option.Name, problem);
        return option;
    }

    public static Option<FileInfo> MustExist(this Option<FileInfo> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Errors.Any()) return;
            var f = r.GetValueOrDefault<FileInfo>();
            if (f is not null && !f.Exists) r.AddError($"{f.FullName}: file not found ({option.Name}).");
        });
        return option;
    }

    /// <summary>Parses the last token of <paramref name="r"/> as <typeparamref name="T"/> (int, long, ulong, float, double or their nullables), then checks it.</summary>
    public static T ParseToken<T>(ArgumentResult r, string flag, Func<T, string?> problem)
    {
        if (r.Tokens.Count == 0) return default!;
        string text = r.Tokens[^1].Value;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        var inv = CultureInfo.InvariantCulture;
        object? value = null;
        string kind;
        if (type == typeof(int)) { kind = $"a whole number (at most {int.MaxValue})"; if (int.TryParse(text, NumberStyles.Integer, inv, out var v)) value = v; }
        else if (type == typeof(long)) { kind = "a whole number"; if (long.TryParse(text, NumberStyles.Integer, inv, out var v)) value = v; }
        else if (type == typeof(ulong)) { kind = $"a whole number from 0 to {ulong.MaxValue}"; if (ulong.TryParse(text, NumberStyles.Integer, inv, out var v)) value = v; }
        else if (type == typeof(float)) { kind = "a number"; if (float.TryParse(text, NumberStyles.Float, inv, out var v)) value = v; }
        else if (type == typeof(double)) { kind = "a number"; if (double.TryParse(text, NumberStyles.Float, inv, out var v)) value = v; }
        else throw new NotSupportedException($"{flag}: no parser for {type.Name}.");
        if (value is null)
        {
            r.AddError($"{flag}: '{text}' is not {kind}.");
            return default!;
        }
        var typed = (T)value;
        if (problem(typed) is { } message)
        {
            r.AddError(message);
            return default!;
        }
        return typed;
    }
}
