using System.CommandLine;
using System.CommandLine.Help;

namespace Hindsight.Cli;

/// <summary>The <c>hindsight</c> command line: parses, runs one subcommand, and reports every failure through <see cref="CliErrors"/>.</summary>
internal static class CliApp
{
    /// <summary>The root command. It is named <c>hindsight</c> (the tool's name), not after the executable file (<c>Hindsight.Cli</c>).</summary>
    public static Command CreateRoot()
    {
        // A RootCommand takes the executable's file name; a plain command with the help and version options of a root
        // shows the name users type.
        var help = new HelpOption();
        var root = new Command("hindsight", "hindsight: neural networks on sequences, exact to PyTorch and fast.") { help, new VersionOption() };
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Runs the command line; returns the process exit code: 0 ok, 2 a usage or data error, 1 a runtime failure (see
    /// <see cref="CliErrors"/>). Without a command it prints the help and returns 2: nothing was done, and a script that
    /// forgot the command must not look successful.
    /// </summary>
    public static int Run(string[] args)
    {
        var root = CreateRoot();
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke();
            return CliErrors.BadInput;
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !IsHelpOrVersion(args))
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message.ReplaceLineEndings(" ")}");
            return CliErrors.BadInput;
        }
        // The default exception handler would print a stack trace; every failure must be one line (CliErrors).
        return CliErrors.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    private static bool IsHelpOrVersion(string[] args) => args.Any(a => a is "-h" or "--help" or "-?" or "--version");
}
