using System.CommandLine;

namespace Hindsight.Cli;

/// <summary>The <c>hindsight</c> command line: parses, runs one subcommand, and maps bad input to exit code 2.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("hindsight: neural networks on sequences, exact to PyTorch and fast.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code (0 ok, 2 bad input or arguments).</summary>
    public static int Run(string[] args)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0 && !IsHelpOrVersion(args))
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            return CliErrors.BadInput;
        }
        // The default exception handler would print a stack trace and exit 1; bad input must be one line and exit 2.
        return CliErrors.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    private static bool IsHelpOrVersion(string[] args) => args.Any(a => a is "-h" or "--help" or "-?" or "--version");
}
