using Spectre.Console;

namespace Hindsight.Cli;

/// <summary>The Spectre console every command writes its tables and progress bars to.</summary>
internal static class CliConsole
{
    /// <summary>
    /// A console on <paramref name="stdout"/>: interactive (progress bars, colours) on a terminal; plain text without
    /// ANSI codes and a 140-column width when the output is redirected, so a summary is not wrapped at 80 columns.
    /// </summary>
    public static IAnsiConsole Create(TextWriter stdout, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive) console.Profile.Width = 140;
        return console;
    }
}
