using Hindsight.Cli;

namespace Hindsight.Tests.Cli;

/// <summary>Bad input on the command line: one line on stderr naming the problem, exit code 2, never a stack trace.</summary>
[Collection("Console")]
public class CliExitCodeTests
{
    private static (int Code, string StdErr) Run(params string[] args)
    {
        var err = new StringWriter();
        var oldErr = Console.Error; var oldOut = Console.Out;
        Console.SetError(err); Console.SetOut(new StringWriter());
        try { return (CliApp.Run(args), err.ToString()); }
        finally { Console.SetError(oldErr); Console.SetOut(oldOut); }
    }

    [Fact]
    public void BadCsvValueIsExitTwoNamingFileLineAndColumn()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "1,2,3\n4,x,5\n");
        var (code, err) = Run("digits", "--data", path, "--epochs", "1");
        File.Delete(path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:2: column 2", err);
        Assert.DoesNotContain("   at ", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("digits", "--data", "/nonexistent/digits.csv")]
    [InlineData("digits", "--epochs", "0")]
    [InlineData("digits", "--lr", "nan")]
    [InlineData("digits", "--batch-size", "-1")]
    [InlineData("digits", "--no-such-option")]
    public void BadArgumentsAreExitTwo(params string[] args)
    {
        var (code, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void ImplausibleLabelIsRejectedBeforeAnyAllocation()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "1,2,3\n4,5,10000000\n");
        var (code, err) = Run("digits", "--data", path);
        File.Delete(path);
        Assert.Equal(2, code);
        Assert.Contains(":2: column 3", err);
    }
}
