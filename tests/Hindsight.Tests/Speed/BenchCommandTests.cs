using System.Text.Json;
using Hindsight.Cli;

namespace Hindsight.Tests.Speed;

/// <summary><c>hindsight bench</c>: argument errors are exit 2; <c>--json</c> prints one object per the documented shape (no timing asserted).</summary>
[Collection("Console")]
public class BenchCommandTests
{
    private static (int Code, string StdOut, string StdErr) Run(params string[] args)
    {
        var err = new StringWriter(); var output = new StringWriter();
        var oldErr = Console.Error; var oldOut = Console.Out;
        Console.SetError(err); Console.SetOut(output);
        try { return (CliApp.Run(args), output.ToString(), err.ToString()); }
        finally { Console.SetError(oldErr); Console.SetOut(oldOut); }
    }

    [Theory]
    [InlineData("error: bench: unknown workload 'W9'; expected W1, W2, W3, W4, W5, nbeats or all.", "W9")]
    [InlineData("error: --steps must be at least 1", "W2", "--steps", "0")]
    [InlineData("error: --threads must be at least 1", "W2", "--threads", "0")]
    [InlineData("error: --threads must be at least 1 and at most 1024", "W2", "--threads", "100000")]
    [InlineData("error: --steps must be at least 1 and at most 10000000", "W2", "--steps", "2000000000")]
    [InlineData("error: --rounds must be at least 1", "nbeats", "--compare", "--rounds", "0")]
    [InlineData("error: --rounds", "nbeats", "--compare", "--rounds", "many")]
    [InlineData("error: bench: --compare prints a table; it cannot be combined with --json.", "nbeats", "--compare", "--json")]
    public void BadArgumentsAreExitTwoWithOneLine(string start, params string[] args)
    {
        var (code, _, err) = Run(["bench", .. args]);
        Assert.Equal(2, code);
        Assert.StartsWith(start, err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void JsonIsOneObjectWithOneResultPerWorkload()
    {
        var (code, stdout, _) = Run("bench", "W2", "--steps", "3", "--threads", "1", "--json");
        Assert.Equal(0, code);
        // Tests outside the Console collection may print while stdout is redirected: take the bench's own line.
        var lines = stdout.Split('\n').Where(l => l.StartsWith("{\"engine\":\"hindsight\"", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(1, results.GetArrayLength());
        var w2 = results[0];
        Assert.Equal("W2", w2.GetProperty("workload").GetString());
        Assert.Equal(3, w2.GetProperty("steps").GetInt32());
        Assert.True(w2.GetProperty("usPerStep").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, w2.GetProperty("gflopPerSecond").ValueKind);
        Assert.True(float.IsFinite(w2.GetProperty("finalLoss").GetSingle()));
        Assert.Equal(1, doc.RootElement.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void NBeatsIsAWorkloadWithItsMatrixProductRate()
    {
        var (code, stdout, _) = Run("bench", "NBEATS", "--steps", "2", "--threads", "1", "--json");
        Assert.Equal(0, code);
        var line = stdout.Split('\n').Single(l => l.StartsWith("{\"engine\":\"hindsight\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.Equal("nbeats", result.GetProperty("workload").GetString());
        Assert.Equal(2, result.GetProperty("steps").GetInt32());
        Assert.True(result.GetProperty("gflopPerSecond").GetDouble() > 0);
        Assert.True(float.IsFinite(result.GetProperty("finalLoss").GetSingle()));
    }
}
