using Hindsight.Cli;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Docs;

/// <summary>
/// Documentation that tests itself: every marked command of README.md and docs/*.md runs through the CLI's entry point,
/// and every number the doc prints next to it (the chosen columns of the table after it, the numbers of its
/// <c>expect</c> list, the output lines under a <c>$ </c> prompt) is compared with the output. Slow examples run with
/// their <c>quick</c> arguments here (exit code only) and in full from tools/doc-examples.sh
/// (<c>HINDSIGHT_DOC_EXAMPLES=all</c>). Commands run in document order in a scratch folder, so a later command reads
/// the files an earlier one wrote; <c>data/...</c> arguments point into the repository.
/// </summary>
[Collection("Console")]
public class DocExampleTests
{
    private static bool All => Environment.GetEnvironmentVariable("HINDSIGHT_DOC_EXAMPLES") == "all";

    public static TheoryData<string> DocFiles() => new(DocExamples.Files());

    [Theory]
    [MemberData(nameof(DocFiles))]
    public void ExamplesRunAndPrintTheDocumentedNumbers(string file)
    {
        var scratch = Directory.CreateTempSubdirectory("hindsight-doc-");
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = scratch.FullName;
        try
        {
            foreach (var example in DocExamples.Load(file))
            {
                bool full = example.Kind == DocExampleKind.Test || (example.Kind == DocExampleKind.Slow && All);
                bool quick = !full && example.Kind == DocExampleKind.Slow && example.Options.ContainsKey("quick");
                if (!full && !quick) continue;
                var outputs = new List<List<string>>();
                foreach (var command in example.Commands)
                {
                    var args = command.Args.Select(a => a.StartsWith("data/", StringComparison.Ordinal) ? Repo.Path(a) : a).ToList();
                    if (quick && IsTraining(args)) args.AddRange(example.Options["quick"].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    var (code, stdout, stderr) = Run(args.ToArray());
                    var lines = (stdout + "\n" + stderr).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
                    bool expectsError = command.ExpectedOutput.Any(l => l.StartsWith("error:", StringComparison.Ordinal));
                    Assert.True(code == (expectsError ? 2 : 0), $"{file}:{command.Line}: `hindsight {string.Join(' ', args)}` exited {code}: {stderr}");
                    if (full)
                        foreach (var expected in command.ExpectedOutput)
                            Assert.True(lines.Any(l => l.Trim() == expected), $"{file}:{command.Line}: the doc shows `{expected}`; the output was:\n{stdout}{stderr}");
                    outputs.Add(lines);
                }
                if (full) CompareNumbers(example, outputs);
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Commands that train: a slow example's <c>quick</c> arguments (fewer epochs) go to these.</summary>
    private static bool IsTraining(List<string> args) =>
        args.Count > 0 && (args[0] is "lesson" or "evaluate" or "backtest" or "train" || (args.Count > 1 && args[0] is "langid" or "generate" && args[1] == "train"));

    /// <summary>
    /// The output row of <paramref name="key"/>: "#N" is the whole output of the block's N-th command; otherwise the
    /// table row (or line) of that name in the output of any command of the block.
    /// </summary>
    private static string? Row(List<List<string>> outputs, string key) =>
        key.StartsWith('#') && int.TryParse(key[1..], out int n) && n >= 1 && n <= outputs.Count
            ? string.Join("\n", outputs[n - 1])
            : DocExamples.OutputRow(outputs.SelectMany(o => o).ToList(), key);

    private static void CompareNumbers(DocExample example, List<List<string>> output)
    {
        if (example.Options.TryGetValue("columns", out var columnList))
        {
            var table = example.Table ?? throw new InvalidDataException($"{example.Where}: columns= given but no table follows the block.");
            var columns = columnList.Split(',').Select(c => c.Trim()).ToList();
            var index = columns.Select(c => Array.FindIndex(table.Header, h => h.StartsWith(c, StringComparison.OrdinalIgnoreCase))).ToList();
            Assert.True(index.All(i => i >= 0), $"{example.Where}: the table at line {table.Line} has no column among {columnList} (it has {string.Join(", ", table.Header)}).");
            var keys = example.Options.TryGetValue("keys", out var k) ? k.Split(',').Select(x => x.Trim()).ToList() : table.Rows.Select(r => DocExamples.Key(r[0])).ToList();
            Assert.Equal(table.Rows.Count, keys.Count);
            for (int r = 0; r < table.Rows.Count; r++)
            {
                var row = Row(output, keys[r]);
                Assert.True(row is not null, $"{example.Where}: no output row for '{keys[r]}' (table line {table.Line + 2 + r}).");
                var printed = DocExamples.Numbers(row!);
                foreach (int c in index)
                    foreach (var number in DocExamples.Numbers(table.Rows[r][c]))
                        Assert.True(DocExamples.Matches(number, printed),
                            $"{example.Where}: the table says {table.Header[c]} = {table.Rows[r][c]} for '{keys[r]}', the output row is: {row!.Trim()}");
            }
        }
        if (example.Options.TryGetValue("expect", out var expect))
        {
            var textNumbers = DocExamples.Numbers(example.TextAfter);
            foreach (var item in expect.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = item.Split(':', 2, StringSplitOptions.TrimEntries);
                var row = Row(output, parts[0]);
                Assert.True(row is not null, $"{example.Where}: no output row for '{parts[0]}'.");
                foreach (var number in DocExamples.Numbers(parts[1]))
                {
                    Assert.True(textNumbers.Contains(number), $"{example.Where}: expect= lists {number} for '{parts[0]}' but the text after the block does not say it.");
                    Assert.True(DocExamples.Matches(number, DocExamples.Numbers(row!)), $"{example.Where}: the doc says {number} for '{parts[0]}', the output row is: {row!.Trim()}");
                }
            }
        }
    }

    private static (int Code, string StdOut, string StdErr) Run(string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var oldOut = Console.Out; var oldErr = Console.Error;
        Console.SetOut(o); Console.SetError(e);
        try { return (CliApp.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Fact]
    public void EveryFencedCommandIsTestedOrMarkedSlowOrSkippedWithAReason()
    {
        var loose = new List<string>();
        foreach (var file in DocExamples.Files())
            foreach (var (line, body, marker) in DocExamples.Blocks(file))
                if (body.Any(DocExamples.IsCommandLine) && marker is null)
                    loose.Add($"{file}:{line}: {body.First(DocExamples.IsCommandLine).Trim()}");
        Assert.True(loose.Count == 0, "fenced commands without a <!-- doc-test/doc-slow/doc-skip --> marker:\n" + string.Join("\n", loose));
        foreach (var file in DocExamples.Files())
            foreach (var example in DocExamples.Load(file))
            {
                if (example.Kind == DocExampleKind.Skip) Assert.False(string.IsNullOrWhiteSpace(example.Reason), $"{example.Where}: doc-skip needs a reason.");
                else Assert.NotEmpty(example.Commands);
            }
    }

    [Fact]
    public void NumbersMatchAtTheDocsPrecision()
    {
        Assert.True(DocExamples.Matches("0.856", ["0.8560"]));
        Assert.True(DocExamples.Matches("0.861", ["0.8605"]));
        Assert.False(DocExamples.Matches("0.861", ["0.8616"]));
        Assert.False(DocExamples.Matches("2.80", ["2.673"]));
        Assert.True(DocExamples.Matches("10", ["10"]));
        Assert.Equal(["30660", "45.5", "0", "10"], DocExamples.Numbers("30,660 params, 45.5% in 0/10 seeds"));
        Assert.Equal("fc", DocExamples.Key("FC `Linear(10,2)`"));
        Assert.Equal("ar", DocExamples.Key("**ar** (AR(24))"));
        Assert.Equal("│ ar     │ 0.467 │", DocExamples.OutputRow(["│ snaive │ 2.7 │", "│ ar     │ 0.467 │"], "ar"));
    }
}
