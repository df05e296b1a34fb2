using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hindsight.Cli;
using Hindsight.Cli.Commands;
using Hindsight.Cli.Json;
using Hindsight.Lesson.Digits;
using Hindsight.Tests.Lesson;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Cli;

/// <summary>docs/json.md is the contract of every <c>--json</c> output: each record there has exactly the fields listed.</summary>
public partial class JsonContractTests
{
    /// <summary>The record each command prints with <c>--json</c>.</summary>
    public static TheoryData<string, Type> Commands => new()
    {
        { "forecast", typeof(ForecastJson) },
        { "train", typeof(TrainJson) },
        { "evaluate", typeof(EvaluateJson) },
        { "backtest", typeof(EvaluateJson) },
        { "lesson", typeof(LessonJson) },
        { "langid train", typeof(LangIdTrainJson) },
        { "langid predict", typeof(LangIdPredictJson) },
        { "generate train", typeof(GenerateTrainJson) },
        { "generate sample", typeof(GenerateSampleJson) },
        { "export", typeof(ExportJson) },
        { "digits", typeof(DigitsJson) },
        { "images train", typeof(ImagesTrainJson) },
        { "images predict", typeof(ImagesPredictJson) },
        { "bench", typeof(BenchJson) },
        { "bench forecast-epoch", typeof(BenchEpochJson) },
    };

    // Records printed inside the command records that live outside Hindsight.Cli.Json.
    private static readonly Type[] Nested = [typeof(VectorModelResult), typeof(BenchCommand.Result)];

    [GeneratedRegex(@"^#{3,4} (?<title>.*) \((?<type>\w+)\)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `(?<field>\w+)` \|")]
    private static partial Regex FieldRow();

    /// <summary>Heading title and listed fields (in order) per record name, read from docs/json.md.</summary>
    private static Dictionary<string, (string Title, List<string> Fields)> Documented()
    {
        var tables = new Dictionary<string, (string Title, List<string> Fields)>();
        (string Title, List<string> Fields)? current = null;
        foreach (var line in File.ReadLines(Repo.Path("docs", "json.md")))
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                current = (heading.Groups["title"].Value, []);
                Assert.True(tables.TryAdd(heading.Groups["type"].Value, current.Value), $"docs/json.md documents {heading.Groups["type"].Value} twice");
                continue;
            }
            if (line.StartsWith('#')) current = null;
            var row = FieldRow().Match(line);
            if (row.Success)
            {
                Assert.True(current is not null, $"docs/json.md: field row outside a record's table: {line}");
                current!.Value.Fields.Add(row.Groups["field"].Value);
            }
        }
        return tables;
    }

    private static Type[] Records() =>
        [.. typeof(JsonOut).Assembly.GetTypes().Where(t => t.Namespace == "Hindsight.Cli.Json" && t.IsClass && !t.IsAbstract && !t.IsDefined(typeof(CompilerGeneratedAttribute), false)), .. Nested];

    /// <summary>The top-level field names the serializer writes for <paramref name="type"/> (every field is always written).</summary>
    private static List<string> Serialized(Type type)
    {
        string json = JsonSerializer.Serialize(RuntimeHelpers.GetUninitializedObject(type), type, JsonOut.Options);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }

    [Fact]
    public void EveryRecordIsDocumentedWithExactlyItsFieldsInOrder()
    {
        var documented = Documented();
        var records = Records();
        Assert.True(records.Length >= 20, $"only {records.Length} records found: is the namespace right?");
        foreach (var type in records)
        {
            Assert.True(documented.TryGetValue(type.Name, out var table), $"docs/json.md has no table for {type.Name}");
            Assert.Equal(table.Fields, Serialized(type));
        }
        Assert.Empty(documented.Keys.Except(records.Select(t => t.Name))); // no table for a record that is gone
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandsOutputHasADocumentedTable(string command, Type record)
    {
        var documented = Documented();
        Assert.True(documented.TryGetValue(record.Name, out var table), $"docs/json.md has no table for {record.Name}");
        Assert.Contains($"`hindsight {command} --json`", table.Title);
    }

    [Fact]
    public void LessonPrintsExactlyTheDocumentedFields()
    {
        using var files = new LessonFiles();
        var args = new LessonArgs { Data = files.WriteSeries("s.csv", 9, 16), Models = "fc", Epochs = 2, SeqLength = 5, BatchRows = 4, Json = true, Out = files.PathOf("out") };
        var stdout = new StringWriter();
        Assert.Equal(0, LessonCommand.Run(args, stdout, new StringWriter(), interactive: false));
        using var doc = JsonDocument.Parse(stdout.ToString());
        var documented = Documented();
        Assert.Equal(documented[nameof(LessonJson)].Fields, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(documented[nameof(LessonSettingsJson)].Fields, doc.RootElement.GetProperty("settings").EnumerateObject().Select(p => p.Name));
        Assert.Equal(documented[nameof(LessonModelJson)].Fields, doc.RootElement.GetProperty("models")[0].EnumerateObject().Select(p => p.Name));
    }
}
