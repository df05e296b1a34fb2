using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Hindsight.Data;

namespace Hindsight.Cli;

/// <summary>
/// The one error path of the command line: every failure is one line on stderr (<c>error: ...</c>), never a stack trace.
/// Usage and data errors (a bad option value, a missing or malformed input file) exit <see cref="BadInput"/> (2);
/// runtime failures (I/O while writing, a model that diverged, anything unexpected) exit <see cref="Failure"/> (1).
/// Library exceptions name parameters (<c>learningRate</c>); the message printed names the command-line flag (<c>--lr</c>).
/// Set <c>HINDSIGHT_TRACE=1</c> to get the stack trace of an unexpected exception on stderr as well.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>Exit code of a usage or data error.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of a runtime failure.</summary>
    public const int Failure = 1;

    // Parameter name -> flag: filled by every option made from a setting (SettingOptions.For), plus the library parameters
    // that are not settings of an options record.
    private static readonly ConcurrentDictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["origins"] = "--origins", ["stride"] = "--stride", ["models"] = "--models", ["idColumn"] = "--id-column",
        ["timeColumn"] = "--time-column", ["valueColumn"] = "--value-column", ["fill"] = "--fill",
        ["calibrationWindows"] = "--calibration-windows", ["windows"] = "--calibration-windows", ["minHistory"] = "--min-history",
        ["validationLength"] = "--validation", ["scaling"] = "--scale", ["learningRate"] = "--lr", ["batchSize"] = "--batch-size",
        ["seqLength"] = "--seq-length", ["batchRows"] = "--batch-rows", ["seasonalPeriod"] = "--season",
    };

    private static readonly Lazy<bool> CatalogRead = new(() => { _ = CliApp.CreateRoot(); return true; });

    /// <summary>Records that the library parameter <paramref name="parameter"/> is set with <paramref name="flag"/>.</summary>
    public static void AddFlag(string parameter, string flag) => Flags.TryAdd(parameter, flag);

    /// <summary>The flag of <paramref name="parameter"/>, or null.</summary>
    public static string? FlagOf(string parameter)
    {
        _ = CatalogRead.Value;
        return Flags.TryGetValue(parameter, out var f) ? f : null;
    }

    /// <summary>Runs <paramref name="action"/>; any exception becomes one line on stderr and its exit code.</summary>
    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception ex) { return Report(Console.Error, ex); }
    }

    /// <summary>Prints <paramref name="ex"/> as one line on <paramref name="stderr"/>, naming flags, and returns its exit code.</summary>
    public static int Report(TextWriter stderr, Exception ex)
    {
        int code = ExitCode(ex);
        string prefix = code == Failure && !IsExpected(ex) ? $"internal error ({ex.GetType().Name}): " : "";
        stderr.WriteLine($"error: {prefix}{Message(ex)}");
        if (prefix.Length > 0 && Environment.GetEnvironmentVariable("HINDSIGHT_TRACE") == "1") stderr.WriteLine(ex.ToString());
        return code;
    }

    /// <summary>2 for a usage or data error, 1 for a runtime failure.</summary>
    public static int ExitCode(Exception ex) => ex switch
    {
        ArgumentException or DataFormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException => BadInput,
        _ => Failure,
    };

    /// <summary>Whether <paramref name="ex"/> is a failure the commands expect (bad input, I/O, divergence), not a bug.</summary>
    public static bool IsExpected(Exception ex) => ex is ArgumentException or DataFormatException or InvalidDataException or IOException or TrainingDivergedException or UnauthorizedAccessException;

    /// <summary>The exception's message on one line, with parameter names replaced by their flags.</summary>
    public static string Message(Exception ex)
    {
        string message = ex.Message;
        string? param = (ex as ArgumentException)?.ParamName;
        if (param is not null) message = message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal);
        message = message.ReplaceLineEndings(" ");
        if (param is not null && FlagOf(param) is { } flag) message = Flagged(message, param, flag);
        // camelCase parameter names read as words elsewhere in a message ("lower the learningRate")
        return CamelWord().Replace(message, m => FlagOf(m.Value) ?? m.Value);
    }

    /// <summary><paramref name="message"/> with a leading <paramref name="parameter"/> replaced by <paramref name="flag"/>.</summary>
    public static string Flagged(string message, string parameter, string flag) =>
        message.StartsWith(parameter, StringComparison.Ordinal) && (message.Length == parameter.Length || message[parameter.Length] is ' ' or ':')
            ? flag + message[parameter.Length..]
            : message;

    [GeneratedRegex(@"\b[a-z]+[A-Z][A-Za-z]*\b")]
    private static partial Regex CamelWord();
}
