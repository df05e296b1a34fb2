using Hindsight.Data;

namespace Hindsight.Cli;

/// <summary>Maps bad input to a one-line message on stderr and exit code 2; anything else is a bug and keeps its stack trace.</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"error: {OneLine(ex.Message)}");
            return BadInput;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    public static bool IsUserError(Exception ex) =>
        ex is DataFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
            or TrainingDivergedException or UnauthorizedAccessException;
}
