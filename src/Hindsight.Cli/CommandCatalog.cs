using System.CommandLine;
using Hindsight.Cli.Commands;

namespace Hindsight.Cli;

/// <summary>Every subcommand of <c>hindsight</c>, one file each under Commands/.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DigitsCommand.Create();
        yield return ImagesCommand.Create();
        yield return LessonCommand.Create();
        yield return EvaluateCommand.Create();
        yield return BacktestCommand.Create();
        yield return TrainCommand.Create();
        yield return ForecastCommand.Create();
        yield return LangIdCommand.Create();
        yield return GenerateCommand.Create();
        yield return ExportCommand.Create();
        yield return BenchCommand.Create();
    }
}
