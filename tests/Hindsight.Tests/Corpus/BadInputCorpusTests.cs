using System.Text.Json;
using Hindsight.Cli;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Corpus;

/// <summary>
/// The bad-input corpus of issue 9 (tests/corpus, written by tools/corpus/generate.py): every case runs one command
/// in-process on one malformed input or option and must end with its exit code (2 usage/data, 1 runtime/I-O), exactly
/// one non-empty stderr line <c>error: ...</c> that names the problem (every substring of the case's <c>expect</c>), no
/// stack trace nor "internal error", and nothing written: the case's folder holds exactly the inputs copied into it,
/// byte for byte (no output, no partial file, no temp file).
/// </summary>
[Collection("Console")]
public class BadInputCorpusTests
{
    /// <summary>One line of tests/corpus/cases.json.</summary>
    public sealed record CorpusCase(string Id, string Kind, string[] Args, string[] Inputs, int Exit, string[] Expect, string Pending, string Note)
    {
        /// <inheritdoc/>
        public override string ToString() => Id;
    }

    private static readonly string CorpusDir = Repo.Path("tests", "corpus");

    private static readonly Lazy<IReadOnlyList<CorpusCase>> All = new(() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(File.ReadAllText(Path.Combine(CorpusDir, "cases.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    /// <summary>The corpus cases not waiting for a fix on another branch.</summary>
    public static TheoryData<string> Ready() => Ids(c => c.Pending.Length == 0);

    /// <summary>
    /// The cases that fail today because of a known bug: pending is the branch holding the fix (data, models, settings),
    /// "unassigned" (a bug of issue 9 no branch fixes yet) or "new" (a bug the corpus found). Clear it once fixed.
    /// </summary>
    public static TheoryData<string> Pending() => Ids(c => c.Pending.Length > 0);

    private static TheoryData<string> Ids(Func<CorpusCase, bool> which)
    {
        var data = new TheoryData<string>();
        foreach (var c in All.Value.Where(which)) data.Add(c.Id);
        if (data.Count == 0) data.Add("(none)");
        return data;
    }

    /// <summary>Runs one case.</summary>
    [Theory]
    [MemberData(nameof(Ready))]
    public void Case(string id) => Check(id);

    /// <summary>A case waiting for a fix on another branch: reported as skipped until the pending column is cleared.</summary>
    [SkippableTheory]
    [MemberData(nameof(Pending))]
    public void PendingCase(string id)
    {
        if (id == "(none)") return;
        var c = All.Value.Single(x => x.Id == id);
        // HINDSIGHT_CORPUS_PENDING=1 runs the pending cases, to see which a fix has made pass.
        if (Environment.GetEnvironmentVariable("HINDSIGHT_CORPUS_PENDING") == "1") { Check(id); return; }
        Skip.If(true, c.Pending switch
        {
            "unassigned" => "bug listed in issue 9, no fix branch yet",
            "new" => "bug found by the corpus (not in issue 9), no fix yet",
            _ => $"pending fix on branch {c.Pending}",
        });
    }

    [Fact]
    public void TheCorpusCoversEveryCommandAndFileKind()
    {
        var cases = All.Value;
        Assert.True(cases.Count >= 300, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        string[] commands = ["lesson", "digits", "evaluate", "backtest", "train", "forecast", "langid train", "langid predict", "generate train", "generate sample", "export", "bench"];
        foreach (var command in commands)
            Assert.Contains(cases, c => string.Join(' ', c.Args).StartsWith(command + " ", StringComparison.Ordinal) || string.Join(' ', c.Args) == command);
        string[] kinds = ["csv-long", "csv-wide", "csv-single", "json", "text", "tsv", "digits-csv", "gzip", "safetensors-forecaster", "safetensors-langid", "safetensors-generate", "option"];
        foreach (var kind in kinds) Assert.Contains(cases, c => c.Kind == kind);
        foreach (var c in cases)
        {
            Assert.True(c.Exit is 1 or 2, c.Id);
            Assert.NotEmpty(c.Expect);
            foreach (var input in c.Inputs) Assert.True(File.Exists(Path.Combine(CorpusDir, input)), $"{c.Id}: {input} missing");
        }
    }

    private static void Check(string id)
    {
        if (id == "(none)") return;
        var c = All.Value.Single(x => x.Id == id);
        var (work, args) = Prepare(c);
        try
        {
            var before = Snapshot(work);
            if (Environment.GetEnvironmentVariable("HINDSIGHT_CORPUS_DUMP") is { Length: > 0 } started)
                File.AppendAllText(started, $"START {c.Id}\n");
            var (code, stdout, stderr) = Run(args);
            var after = Snapshot(work);
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string summary = $"{c.Id} ({c.Note}): exit {code}, stderr: {stderr.Trim()}";
            // HINDSIGHT_CORPUS_DUMP=FILE appends each outcome (id, exit, stderr) to FILE, for calibrating the manifest.
            if (Environment.GetEnvironmentVariable("HINDSIGHT_CORPUS_DUMP") is { Length: > 0 } dump)
                File.AppendAllText(dump, $"{c.Id}\t{code}\t{(before.SetEquals(after) ? "clean" : "WROTE")}\t{stderr.ReplaceLineEndings(" | ").Trim()}\n");
            Assert.True(code == c.Exit, $"expected exit {c.Exit}; {summary}");
            Assert.True(lines.Length == 1, $"expected one stderr line; {summary}");
            Assert.StartsWith("error: ", lines[0]);
            Assert.DoesNotContain("internal error", lines[0]);
            Assert.DoesNotContain("   at ", stderr);
            foreach (var s in c.Expect) Assert.True(lines[0].Contains(s, StringComparison.Ordinal), $"message lacks '{s}'; {summary}");
            Assert.True(before.SetEquals(after), $"{c.Id}: the folder changed: now {string.Join(", ", after.Except(before))}; missing {string.Join(", ", before.Except(after))}");
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    private static (string Work, string[] Args) Prepare(CorpusCase c)
    {
        string work = Path.Combine(Path.GetTempPath(), "hindsight-corpus-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        var copied = new List<string>();
        foreach (var input in c.Inputs)
        {
            string target = Path.Combine(work, Path.GetFileName(input));
            File.Copy(Path.Combine(CorpusDir, input), target);
            copied.Add(target);
        }
        string Fill(string arg) => arg
            .Replace("{in2}", copied.Count > 1 ? copied[1] : "{in2}", StringComparison.Ordinal)
            .Replace("{in}", copied.Count > 0 ? copied[0] : "{in}", StringComparison.Ordinal)
            .Replace("{out}", Path.Combine(work, "out"), StringComparison.Ordinal)
            .Replace("{missing}", Path.Combine(work, "missing.file"), StringComparison.Ordinal);
        return (work, c.Args.Select(Fill).ToArray());
    }

    // Every file and folder under the case's folder with its length and content hash.
    private static HashSet<string> Snapshot(string work) =>
        Directory.EnumerateFileSystemEntries(work, "*", SearchOption.AllDirectories)
            .Select(p => File.Exists(p) ? $"{Path.GetRelativePath(work, p)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}" : Path.GetRelativePath(work, p) + "/")
            .ToHashSet(StringComparer.Ordinal);

    // A case gets this long; one that hangs fails (its thread is left behind: the run is already failing).
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static (int Code, string StdOut, string StdErr) Run(string[] args)
    {
        var err = new StringWriter();
        var output = new StringWriter();
        var oldErr = Console.Error; var oldOut = Console.Out;
        Console.SetError(err); Console.SetOut(output);
        try
        {
            var run = Task.Factory.StartNew(() => CliApp.Run(args), TaskCreationOptions.LongRunning);
            if (!run.Wait(Limit)) Assert.Fail($"still running after {Limit.TotalSeconds} s: hindsight {string.Join(' ', args)}");
            return (run.Result, output.ToString(), err.ToString());
        }
        finally { Console.SetError(oldErr); Console.SetOut(oldOut); }
    }
}
