using Hindsight.Cli;
using Hindsight.Data;

namespace Hindsight.Tests.Cli;

/// <summary>The one error path: usage and data errors exit 2, runtime failures exit 1, both one line; help names the tool.</summary>
[Collection("Console")]
public class CliErrorPathTests
{
    private static (int Code, string StdOut, string StdErr) Run(params string[] args)
    {
        var err = new StringWriter();
        var output = new StringWriter();
        var oldErr = Console.Error; var oldOut = Console.Out;
        Console.SetError(err); Console.SetOut(output);
        try { return (CliApp.Run(args), output.ToString(), err.ToString()); }
        finally { Console.SetError(oldErr); Console.SetOut(oldOut); }
    }

    [Theory]
    [InlineData("--horizon", "evaluate", "--data", "x.csv", "--horizon", "abc")]
    [InlineData("--lr", "evaluate", "--data", "x.csv", "--lr", "inf")]
    [InlineData("--lr", "evaluate", "--data", "x.csv", "--lr", "Infinity")]
    [InlineData("--hidden", "evaluate", "--data", "x.csv", "--hidden", "99999999999")]
    [InlineData("--epochs", "evaluate", "--data", "x.csv", "--epochs", "1.5")]
    [InlineData("--origins", "backtest", "--data", "x.csv", "--origins", "x")]
    [InlineData("--stride", "backtest", "--data", "x.csv", "--stride", "0")]
    [InlineData("--calibration-windows", "evaluate", "--data", "x.csv", "--calibration-windows", "-1")]
    [InlineData("--length", "generate", "sample", "--model-file", "x", "--length", "x")]
    [InlineData("--epochs", "digits", "--epochs", "x")]
    [InlineData("--lr", "lesson", "--lr", "0")]
    [InlineData("--hidden", "langid", "train", "--hidden", "-3")]
    [InlineData("--temperature", "generate", "sample", "--model-file", "x", "--temperature", "-1")]
    [InlineData("--seed", "lesson", "--seed", "-1")]
    public void AnOptionValueThatDoesNotParseIsOneLineNamingTheFlag(string flag, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        var line = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains(flag, StringComparison.Ordinal));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("   at ", err);
    }

    private const string ExistingFile = "<an existing file>";

    // Sizes past the documented limits (docs/architecture.md, "Limits") are refused before anything is allocated or run.
    [Theory]
    [InlineData("error: --seeds must be at least 1 and at most 1000, got 1000000.", "lesson", "--seeds", "1000000")]
    [InlineData("error: --length must be at least 1 and at most 1000000, got 2000000000.", "generate", "sample", "--model-file", ExistingFile, "--length", "2000000000")]
    [InlineData("error: --seq-length must be at least 1 and at most 100000, got 2147483647.", "lesson", "--seq-length", "2147483647")]
    [InlineData("error: --hidden must be at least 1 and at most 4096 each, got 1000000.", "lesson", "--hidden", "1000000")]
    [InlineData("error: --hidden must be at least 1 and at most 4096, got 100000.", "generate", "train", "--hidden", "100000")]
    [InlineData("error: --lookback must be at least 1 and at most 100000, got 2147483647.", "evaluate", "--data", "x.csv", "--lookback", "2147483647")]
    [InlineData("error: --layers must be at least 1 and at most 16, got 100000.", "generate", "train", "--layers", "100000")]
    [InlineData("error: --horizon must be at least 1 and at most 100000, got 50000000.", "forecast", "--data", "x.csv", "--horizon", "50000000")]
    [InlineData("error: --epochs must be at least 1 and at most 100000, got 1000000.", "digits", "--epochs", "1000000")]
    [InlineData("error: --batch-size must be at least 1 and at most 65536, got 1000000.", "langid", "train", "--batch-size", "1000000")]
    [InlineData("error: --origins must be at least 1 and at most 10000, got 1000000.", "backtest", "--data", "x.csv", "--origins", "1000000")]
    [InlineData("error: --fill: unknown 'zero'; expected error, ffill, linear.", "evaluate", "--data", "x.csv", "--fill", "zero")]
    [InlineData("error: --strategy: unknown 'sideways'; expected direct, recursive.", "evaluate", "--data", "x.csv", "--strategy", "sideways")]
    [InlineData("error: --model: unknown 'transformer'; expected cell, gru, lstm.", "langid", "train", "--model", "transformer")]
    [InlineData("error: --level must be greater than 0 and less than 100 and finite each, got 100.", "evaluate", "--data", "x.csv", "--level", "100")]
    [InlineData("error: --test-fraction must be greater than 0 and less than 1 and finite, got 1.5.", "langid", "train", "--test-fraction", "1.5")]
    [InlineData("error: --per-language must be at least 2 and at most 10000000, got 1.", "langid", "train", "--per-language", "1")]
    public void ASizePastItsLimitIsOneLineNamingTheFlagAndTheLimit(string expected, params string[] args)
    {
        // a file that exists, so the only problem is the size
        var (code, stdout, err) = Run(args.Select(a => a == ExistingFile ? typeof(CliErrorPathTests).Assembly.Location : a).ToArray());
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(expected, err.TrimEnd());
    }

    [Fact]
    public void LibraryParameterNamesArePrintedAsFlags()
    {
        var err = new StringWriter();
        int code = CliErrors.Report(err, new ArgumentException("learningRate must be greater than 0 and finite, got NaN.", "learningRate"));
        Assert.Equal(2, code);
        Assert.Equal("error: --lr must be greater than 0 and finite, got NaN.", err.ToString().TrimEnd());
        err = new StringWriter();
        CliErrors.Report(err, new DataFormatException("f.csv", 3, "x", "missing value; fill it or set fill to ffill or linear, or choose a valueColumn."));
        Assert.Contains("--value-column", err.ToString());
    }

    [Fact]
    public void RuntimeFailuresExitOneOnOneLine()
    {
        foreach (var ex in new Exception[] { new TrainingDivergedException("gru: the training loss became NaN in epoch 3 (lower the learningRate)."), new IOException("disk full"), new InvalidOperationException("a bug") })
        {
            var err = new StringWriter();
            Assert.Equal(1, CliErrors.Report(err, ex));
            Assert.Single(err.ToString().TrimEnd().Split('\n'));
            Assert.StartsWith("error: ", err.ToString());
            Assert.DoesNotContain("   at ", err.ToString());
        }
        var diverged = new StringWriter();
        CliErrors.Report(diverged, new TrainingDivergedException("loss NaN (lower the learningRate)."));
        Assert.Contains("lower the --lr", diverged.ToString());
    }

    [Fact]
    public void HelpNamesTheToolAndNoCommandPrintsIt()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("hindsight [command] [options]", output);
        Assert.DoesNotContain("Hindsight.Cli", output);
        var (none, noneOut, _) = Run();
        Assert.Equal(2, none);
        Assert.Contains("hindsight [command] [options]", noneOut);
        Assert.Contains("evaluate", noneOut);
    }

    [Fact]
    public void HelpTextTellsTheTruth()
    {
        var (_, train, _) = Run("train", "--help");
        Assert.Contains("training.png", train);
        Assert.DoesNotContain("Folder for a forecast chart", train);
        var calibration = train.Split('\n').Single(l => l.Contains("--calibration-windows", StringComparison.Ordinal) && l.Contains("Calibration", StringComparison.Ordinal));
        Assert.DoesNotContain("[default: 0]", calibration);
        Assert.Contains("default: the fewest", calibration);
        var (_, lesson, _) = Run("lesson", "--help");
        Assert.Contains("--live <[port]>", lesson);
        Assert.Contains("[default: 30]", lesson.Split('\n').Single(l => l.TrimStart().StartsWith("--epochs", StringComparison.Ordinal)));
    }

    [Fact]
    public void ForecastRefusesModelBesideModelFile()
    {
        var data = Path.GetTempFileName();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(data, "date,value\n2020-01,1\n2020-02,2\n");
            var (code, _, err) = Run("forecast", "--data", data, "--model-file", file, "--model", "gru");
            Assert.Equal(2, code);
            Assert.Contains("--model and --model-file", err);
            Assert.Single(err.TrimEnd().Split('\n'));
        }
        finally { File.Delete(data); File.Delete(file); }
    }

    [Fact]
    public void UnknownLessonScaleNamesTheFlag()
    {
        var (code, stdout, stderr) = Run("lesson", "--scale", "log");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("--scale", stderr);
        Assert.Contains("log", stderr);
    }
}
