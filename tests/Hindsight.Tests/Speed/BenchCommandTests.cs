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
    [InlineData("error: bench: unknown workload 'W9'; expected W1, W2, W3, W4, W5, nbeats, all or forecast-epoch.", "W9")]
    [InlineData("error: --kind", "forecast-epoch", "--kind", "mlp")]
    [InlineData("error: --length must be at least 36", "forecast-epoch", "--length", "35")]
    [InlineData("error: --series must be at least 1", "forecast-epoch", "--series", "0")]
    [InlineData("error: bench: --compare prints a table; it cannot be combined with --json.", "forecast-epoch", "--compare", "--json")]
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

    [Fact]
    public void ForecastEpochJsonHasOneTimedEpochPerKind()
    {
        // Two series of 40 values: 5 windows each at lookback 24 and horizon 12, one batch of 10.
        var (code, stdout, _) = Run("bench", "forecast-epoch", "--kind", "gru", "--series", "2", "--length", "40", "--threads", "1", "--json");
        Assert.Equal(0, code);
        var line = stdout.Split('\n').Single(l => l.StartsWith("{\"engine\":\"hindsight\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(1, doc.RootElement.GetProperty("threads").GetInt32());
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(1, results.GetArrayLength());
        var gru = results[0];
        Assert.Equal("forecast-epoch", gru.GetProperty("workload").GetString());
        Assert.Equal("gru", gru.GetProperty("kind").GetString());
        Assert.Equal(10, gru.GetProperty("windows").GetInt32());
        Assert.Equal(1, gru.GetProperty("batches").GetInt32());
        // nn.GRU(1, 32): 3 x 32 x (1 + 32) weights and 2 x 3 x 32 biases; Linear(32, 12).
        Assert.Equal(3 * 32 * 33 + 2 * 3 * 32 + 32 * 12 + 12, gru.GetProperty("parameters").GetInt32());
        Assert.True(gru.GetProperty("usPerEpoch").GetDouble() > 0);
        Assert.True(gru.GetProperty("cpuUsPerEpoch").GetDouble() >= 0);
        Assert.True(double.IsFinite(gru.GetProperty("finalLoss").GetDouble()));
        Assert.Contains("MASE", gru.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForecastEpochPrintsOneLinePerKind()
    {
        var (code, stdout, _) = Run("bench", "forecast-epoch", "--kind", "rnn", "--series", "1", "--length", "68", "--threads", "1");
        Assert.Equal(0, code);
        // 68 - 24 - 12 + 1 = 33 windows: a batch of 32 and one of 1.
        var line = stdout.Split('\n').Single(l => l.StartsWith("forecast-epoch rnn ", StringComparison.Ordinal));
        Assert.Contains(" ms/epoch ", line, StringComparison.Ordinal);
        Assert.Contains("(33 windows in 2 batches, loss ", line, StringComparison.Ordinal);
        Assert.Contains(", 1516 parameters)", line, StringComparison.Ordinal);
    }
}
