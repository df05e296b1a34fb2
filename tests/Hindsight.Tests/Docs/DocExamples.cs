using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hindsight.Tests.Docs;

/// <summary>How a marked example runs: in the test suite, only in tools/doc-examples.sh (slow), or never (skip).</summary>
public enum DocExampleKind { Test, Slow, Skip }

/// <summary>
/// A fenced block of a markdown file preceded by a marker comment:
/// <c>&lt;!-- doc-test --&gt;</c>, <c>&lt;!-- doc-slow: quick="--epochs 1" --&gt;</c> or <c>&lt;!-- doc-skip: reason --&gt;</c>,
/// optionally with <c>columns="MAE,RMSE"</c> (compare those columns of the table after the block with the output),
/// <c>keys="fc,rnn"</c> (the output row of each table row; default: the first word of its first cell) and
/// <c>expect="fc: 0.169 ± 0.142; rnn: 0.118"</c> (numbers stated in the text after the block, by output row).
/// </summary>
public sealed record DocExample(string File, int Line, DocExampleKind Kind, IReadOnlyDictionary<string, string> Options, string Reason,
    IReadOnlyList<DocCommand> Commands, DocTable? Table, string TextAfter)
{
    /// <summary>Where the block starts, for messages.</summary>
    public string Where => $"{File}:{Line}";
}

/// <summary>One command of a block (the arguments after <c>hindsight</c>) and the output lines the doc shows under it.</summary>
public sealed record DocCommand(int Line, string[] Args, IReadOnlyList<string> ExpectedOutput);

/// <summary>A markdown table: header cells and rows of cells.</summary>
public sealed record DocTable(int Line, string[] Header, IReadOnlyList<string[]> Rows);

/// <summary>Reads the marked examples of README.md and docs/*.md.</summary>
public static partial class DocExamples
{
    /// <summary>README.md and every docs/*.md, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Support.Repo.Path("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)).ToList();

    /// <summary>A command line of a fenced block: `hindsight ...`, `$ hindsight ...`, `... sub ...` (the hindsight of the line before), `dotnet run ...` or `dotnet ...Hindsight.Cli.dll ...`.</summary>
    public static bool IsCommandLine(string line)
    {
        var t = line.TrimStart();
        if (t.StartsWith("$ ", StringComparison.Ordinal)) t = t[2..];
        return t.StartsWith("hindsight ", StringComparison.Ordinal) || t.StartsWith("... ", StringComparison.Ordinal)
            || t.StartsWith("dotnet run ", StringComparison.Ordinal) || CliDll().IsMatch(t);
    }

    /// <summary>Every fenced block in <paramref name="file"/>: its first line number, its lines, and the marker comment before it (or null).</summary>
    public static IEnumerable<(int Line, List<string> Body, string? Marker)> Blocks(string file)
    {
        var lines = System.IO.File.ReadAllLines(Support.Repo.Path(file));
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            int start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) body.Add(lines[i]);
            int m = start - 1;
            while (m >= 0 && lines[m].Trim().Length == 0) m--;
            string? marker = m >= 0 && Marker().Match(lines[m].Trim()) is { Success: true } match ? match.Value : null;
            yield return (start + 1, body, marker);
        }
    }

    /// <summary>Every marked example of <paramref name="file"/>, in document order.</summary>
    public static List<DocExample> Load(string file)
    {
        var lines = System.IO.File.ReadAllLines(Support.Repo.Path(file));
        var result = new List<DocExample>();
        foreach (var (line, body, marker) in Blocks(file))
        {
            if (marker is null) continue;
            var m = Marker().Match(marker);
            var kind = m.Groups[1].Value switch { "test" => DocExampleKind.Test, "slow" => DocExampleKind.Slow, _ => DocExampleKind.Skip };
            string rest = m.Groups[2].Value.Trim();
            var options = Attributes().Matches(rest).ToDictionary(a => a.Groups[1].Value, a => a.Groups[2].Value, StringComparer.Ordinal);
            // What follows the block up to the next heading or fenced block: its table and its text.
            int end = line + body.Count; // 0-based index of the closing fence
            var after = new List<(int Line, string Text)>();
            for (int i = end + 1; i < lines.Length && !lines[i].StartsWith('#') && !lines[i].StartsWith("```", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("<!-- doc-", StringComparison.Ordinal); i++)
                after.Add((i + 1, lines[i]));
            result.Add(new DocExample(file, line, kind, options, kind == DocExampleKind.Skip ? rest : "", ParseCommands(line, body), ParseTable(after),
                string.Join("\n", after.Select(a => a.Text))));
        }
        result.AddRange(Hidden(file, lines));
        return result.OrderBy(e => e.Line).ToList();
    }

    /// <summary>
    /// Markers that stand before prose rather than a fenced block: <c>&lt;!-- doc-test: run="evaluate ..." expect="ar: 0.47" --&gt;</c>
    /// runs the commands of <c>run</c> (separated by <c> &amp;&amp; </c>, arguments after <c>hindsight</c>) and checks
    /// the <c>expect</c> numbers against the text after the marker (up to the next heading, fence or marker; a table
    /// there is checked with <c>columns</c>); <c>&lt;!-- doc-skip: reason --&gt;</c> marks numbers that are not program
    /// outputs (timings of one machine).
    /// </summary>
    private static IEnumerable<DocExample> Hidden(string file, string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Marker().Match(lines[i].Trim());
            if (!m.Success) continue;
            int next = i + 1;
            while (next < lines.Length && lines[next].Trim().Length == 0) next++;
            if (next < lines.Length && lines[next].StartsWith("```", StringComparison.Ordinal)) continue; // a fenced example: Load reads it
            var kind = m.Groups[1].Value switch { "test" => DocExampleKind.Test, "slow" => DocExampleKind.Slow, _ => DocExampleKind.Skip };
            string rest = m.Groups[2].Value.Trim();
            var options = Attributes().Matches(rest).ToDictionary(a => a.Groups[1].Value, a => a.Groups[2].Value, StringComparer.Ordinal);
            if (kind != DocExampleKind.Skip && !options.ContainsKey("run"))
                throw new InvalidDataException($"{file}:{i + 1}: a doc-{m.Groups[1].Value} marker before prose needs run=\"...\".");
            var commands = kind == DocExampleKind.Skip ? [] : options["run"].Split(" && ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => new DocCommand(i + 1, Tokenize(c).ToArray(), [])).ToList();
            var after = new List<(int Line, string Text)>();
            for (int j = i + 1; j < lines.Length && !lines[j].StartsWith('#') && !lines[j].StartsWith("```", StringComparison.Ordinal) && !lines[j].TrimStart().StartsWith("<!-- doc-", StringComparison.Ordinal); j++)
                after.Add((j + 1, lines[j]));
            yield return new DocExample(file, i + 1, kind, options, kind == DocExampleKind.Skip ? rest : "", commands, ParseTable(after),
                string.Join("\n", after.Select(a => a.Text)));
        }
    }

    private static List<DocCommand> ParseCommands(int fenceLine, List<string> body)
    {
        var commands = new List<DocCommand>();
        List<string>? output = null; // the output lines of the last `$ ` command; lines elsewhere are comments
        for (int i = 0; i < body.Count; i++)
        {
            if (!IsCommandLine(body[i]))
            {
                if (output is not null && body[i].Trim().Length > 0) output.Add(body[i].Trim());
                continue;
            }
            int lineNo = fenceLine + 1 + i;
            bool prompt = body[i].TrimStart().StartsWith("$ ", StringComparison.Ordinal);
            var text = body[i].Trim();
            while (text.EndsWith('\\') && i + 1 < body.Count) text = text[..^1].TrimEnd() + " " + body[++i].Trim();
            var args = Tokenize(StripComment(text));
            if (args[0] == "$") args.RemoveAt(0);
            int skip = args[0] switch
            {
                "hindsight" or "..." => 1,
                "dotnet" when args.Count > 1 && args[1] == "run" => args.IndexOf("--") + 1,
                _ => 2, // dotnet path/to/Hindsight.Cli.dll
            };
            if (skip <= 0) throw new InvalidDataException($"fenced command at line {lineNo}: `dotnet run` without `--`.");
            output = prompt ? [] : null;
            commands.Add(new DocCommand(lineNo, args.Skip(skip).ToArray(), output ?? []));
        }
        return commands;
    }

    private static string StripComment(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            if (!quoted && line[i] == '#' && i > 0 && char.IsWhiteSpace(line[i - 1])) return line[..i].TrimEnd();
        }
        return line.TrimEnd();
    }

    private static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (char.IsWhiteSpace(c) && !quoted) { if (any) tokens.Add(current.ToString()); current.Clear(); any = false; continue; }
            current.Append(c); any = true;
        }
        if (any) tokens.Add(current.ToString());
        return tokens;
    }

    private static DocTable? ParseTable(List<(int Line, string Text)> after)
    {
        int first = after.FindIndex(a => a.Text.StartsWith('|'));
        if (first < 0) return null;
        var rows = after.Skip(first).TakeWhile(a => a.Text.StartsWith('|')).ToList();
        string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        return new DocTable(rows[0].Line, Cells(rows[0].Text), rows.Skip(2).Select(r => Cells(r.Text)).ToList());
    }

    /// <summary>The numbers in <paramref name="text"/> (thousands separators removed), as written.</summary>
    public static List<string> Numbers(string text) =>
        Number().Matches(text).Select(m => m.Value.Replace(",", "", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Whether <paramref name="doc"/> (a number as the doc writes it) is one of <paramref name="output"/> rounded to the doc's
    /// decimals: 0.856 matches 0.8560 and 0.85604, not 0.8575.
    /// </summary>
    public static bool Matches(string doc, IEnumerable<string> output)
    {
        double d = double.Parse(doc, CultureInfo.InvariantCulture);
        int dot = doc.IndexOf('.', StringComparison.Ordinal);
        int decimals = dot < 0 ? 0 : doc.Length - dot - 1;
        double half = 0.5 * Math.Pow(10, -decimals) + 1e-9 * Math.Max(1, Math.Abs(d));
        return output.Any(o => Math.Abs(double.Parse(o, CultureInfo.InvariantCulture) - d) <= half);
    }

    /// <summary>The row key of a table's first cell: its first word, lower case, without markdown emphasis or code marks.</summary>
    public static string Key(string cell) =>
        cell.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim().Split(' ', 2)[0].ToLowerInvariant();

    /// <summary>The output line of row <paramref name="key"/>: a table row whose first cell is the key, or a line starting with "key " or "key:".</summary>
    public static string? OutputRow(IEnumerable<string> output, string key) =>
        output.FirstOrDefault(l => l.Split('│', '|').Select(c => c.Trim()).FirstOrDefault(c => c.Length > 0) is { } first && first.Equals(key, StringComparison.OrdinalIgnoreCase))
        ?? output.FirstOrDefault(l => l.TrimStart().StartsWith(key + " ", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^<!--\s*doc-(test|slow|skip)\b:?(.*?)-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex Attributes();

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"^dotnet \S*Hindsight\.Cli\.dll ")]
    private static partial Regex CliDll();
}
