using System.Text.Json;
using Hindsight.Cli.Commands;

namespace Hindsight.Tests.Lesson;

// Invokes the CLI parser, which writes to the process console: not beside the tests that capture it.
[Collection("Console")]
public class LessonCommandTests
{
    private static (int Code, string Out, string Err) Run(LessonArgs args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = LessonCommand.Run(args, stdout, stderr, interactive: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static LessonArgs Small(LessonFiles files, string data, string out_ = "out") => new()
    {
        Data = data, Models = "fc", Epochs = 3, Seeds = 2, Seed = 7, SeqLength = 5, BatchRows = 4, Out = files.PathOf(out_), Json = true,
    };

    [Fact]
    public void JsonSummaryAndChartsAreWritten()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        var (code, stdout, stderr) = Run(Small(files, data));
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout); // stdout is one JSON object and nothing else
        var root = doc.RootElement;
        Assert.Equal(9, root.GetProperty("rows").GetInt32());
        Assert.Equal(16, root.GetProperty("periods").GetInt32());
        Assert.Equal("mean", root.GetProperty("scale").GetString());
        var model = root.GetProperty("models")[0];
        Assert.Equal("fc", model.GetProperty("name").GetString());
        // FC: Linear(5,2) + Linear(2,2) + Linear(2,5) = 12 + 6 + 15.
        Assert.Equal(33, model.GetProperty("parameters").GetInt32());
        // 9 rows in batches of 4: 4, 4, 1 -> the FC trains on the short batch too (3 steps per epoch).
        Assert.Equal(9, model.GetProperty("updatesPerRun").GetInt32());
        var mean = model.GetProperty("epochMean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var sd = model.GetProperty("epochSd").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var finals = model.GetProperty("finalLosses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, mean.Length);
        Assert.Equal(2, finals.Length);
        Assert.Equal(finals.Average(), mean[^1], 12);
        Assert.Equal(Math.Abs(finals[0] - finals[1]) / Math.Sqrt(2), sd[^1], 12);
        Assert.Equal(mean[^1], model.GetProperty("finalMean").GetDouble());
        var written = root.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["loss.png", "snapshots-fc.png", "weights-fc.png", "losses.csv"], written.Select(Path.GetFileName));
        foreach (var f in written)
        {
            Assert.True(File.Exists(f), f);
            Assert.True(new FileInfo(f).Length > 100, f);
        }
        foreach (var png in written.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        Assert.Empty(Directory.GetFiles(files.PathOf("out"), "*.tmp")); // no temporary files left behind
    }

    [Fact]
    public void SameSeedSameNumbersOtherSeedOtherNumbers()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        double[] Means(LessonArgs a)
        {
            var (code, stdout, _) = Run(a);
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(stdout);
            return doc.RootElement.GetProperty("models")[0].GetProperty("epochMean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        }
        var args = Small(files, data);
        var first = Means(args);
        Assert.Equal(first, Means(args with { Out = files.PathOf("again") }));
        Assert.NotEqual(first, Means(args with { Seed = 8, Out = files.PathOf("other") }));
    }

    [Fact]
    public void SvgFormatAndHiddenSweepWriteSvgFiles()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        var (code, stdout, _) = Run(Small(files, data) with { Format = "svg", Hidden = "2,3", Seeds = 1, Epochs = 2 });
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var written = doc.RootElement.GetProperty("files").EnumerateArray().Select(e => Path.GetFileName(e.GetString()!)).ToArray();
        Assert.Equal(["loss-h2.svg", "snapshots-fc-h2.svg", "weights-fc-h2.svg", "loss-h3.svg", "snapshots-fc-h3.svg", "weights-fc-h3.svg", "hidden-sweep.svg", "losses.csv"], written);
        Assert.Contains("<svg", File.ReadAllText(files.PathOf(Path.Combine("out", "hidden-sweep.svg"))));
        Assert.Equal([2, 3], doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("hidden").GetInt32()));
    }

    [Fact]
    public void DefaultsRaceFcAgainstRnnOnTheBundledData()
    {
        using var files = new LessonFiles();
        var (code, stdout, stderr) = Run(new LessonArgs { Epochs = 2, Out = files.PathOf("out"), Json = true });
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.EndsWith("unemployment_wide.csv", root.GetProperty("data").GetString());
        Assert.Equal(14, root.GetProperty("rows").GetInt32());
        var models = root.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["fc", "rnn"], models.Select(m => m.GetProperty("name").GetString()));
        // The seed's sizes at hidden 2: FC 10*2+2 + 2*2+2 + 2*10+10 = 58; RNN 2 + 4 + 2 + 2 + 2 + 1 = 13.
        Assert.Equal([58, 13], models.Select(m => m.GetProperty("parameters").GetInt32()));
        // 14 rows in batches of 10: FC 2 steps per epoch, the RNN skips the 4-row batch (1 step).
        Assert.Equal([4, 2], models.Select(m => m.GetProperty("updatesPerRun").GetInt32()));
        Assert.All(models, m => Assert.True(m.GetProperty("firstLeadEpoch").ValueKind is JsonValueKind.Number or JsonValueKind.Null));
    }

    [Fact]
    public void TableSummaryWhenNotJson()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        var (code, stdout, _) = Run(Small(files, data) with { Json = false });
        Assert.Equal(0, code);
        Assert.Contains("final loss (mean ± sd)", stdout);
        Assert.Contains("fc", stdout);
        Assert.Contains("wrote 4 files", stdout);
    }

    public static TheoryData<string, string, int?, string?> BadFiles => new()
    {
        { "missing", "", null, null },
        { "empty", "", 1, null },
        { "text", ",a,b,c,d,e,f,g\n0,1,2,3,4,5,6,7\n1,1,2,x,4,5,6,7\n", 3, "c" },
        { "gap", ",a,b,c,d,e,f,g\n0,1,2,3,4,5,6,7\n1,1,2,3,4,5,,7\n", 3, "f" },
        { "short", ",a,b,c,d,e\n0,1,2,3,4,5\n1,1,2,3,4,5\n", 1, "e" }, // 5 periods < seq_length 5 + 1
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadInputExitsTwoNamingFileRowColumnAndWritesNothing(string name, string text, int? row, string? column)
    {
        using var files = new LessonFiles();
        var path = name == "missing" ? files.PathOf("missing.csv") : files.WriteText(name + ".csv", text);
        var (code, stdout, stderr) = Run(Small(files, path));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: {path}", stderr);
        if (row is not null) Assert.StartsWith($"error: {path}:{row}", stderr);
        if (column is not null) Assert.Contains($"column {column}:", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(files.PathOf("out")), "nothing may be written on bad input");
    }

    [Theory]
    [InlineData("--models", "fc,nope")]
    [InlineData("--hidden", "2,x")]
    [InlineData("--format", "jpg")]
    public void BadOptionExitsTwo(string option, string value)
    {
        using var files = new LessonFiles();
        var args = Small(files, files.WriteSeries("s.csv", 9, 16));
        args = option switch
        {
            "--models" => args with { Models = value },
            "--hidden" => args with { Hidden = value },
            "--format" => args with { Format = value },
            _ => throw new ArgumentOutOfRangeException(nameof(option)),
        };
        var (code, _, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(value.Split(',')[^1], stderr);
        Assert.False(Directory.Exists(files.PathOf("out")));
    }

    [Fact]
    public void OutThatIsAFileExitsTwoBeforeTraining()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        var (code, _, stderr) = Run(Small(files, data) with { Out = data });
        Assert.Equal(2, code);
        Assert.Contains("is a file", stderr);
    }

    [Fact]
    public void RegisteredCommandReturnsTwoForAMissingFile()
    {
        using var files = new LessonFiles();
        var root = new System.CommandLine.RootCommand();
        foreach (var command in Hindsight.Cli.CommandCatalog.All()) root.Subcommands.Add(command);
        var outDir = files.PathOf("out");
        int code = root.Parse(["lesson", "--data", files.PathOf("missing.csv"), "--out", outDir, "--quiet"]).Invoke();
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(outDir));
    }
}
