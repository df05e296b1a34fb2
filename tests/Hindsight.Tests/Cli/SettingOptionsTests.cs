using System.CommandLine;
using System.Text.RegularExpressions;
using Hindsight.Cli;
using Hindsight.Forecasting;
using Hindsight.Lesson;
using Hindsight.Settings;
using Hindsight.Text;

namespace Hindsight.Tests.Cli;

/// <summary>Each setting is defined once: the CLI's options carry the record's default and help, and library strings name no flag.</summary>
public class SettingOptionsTests
{
    private static IEnumerable<(string Path, Command Command)> Commands(Command c, string path)
    {
        yield return (path, c);
        foreach (var sub in c.Subcommands)
            foreach (var x in Commands(sub, path + " " + sub.Name)) yield return x;
    }

    private static readonly (string Path, Command Command)[] All = Commands(CliApp.CreateRoot(), "hindsight").ToArray();

    [Fact]
    public void EveryBoundOptionShowsTheRecordsDefaultAndHelp()
    {
        int bound = 0;
        foreach (var (path, command) in All)
            foreach (var option in command.Options)
            {
                if (SettingOptions.SettingOf(option) is not { } s) continue;
                bound++;
                Assert.True(option.Description == SettingOptions.Help(s), $"{path} {option.Name}: help '{option.Description}' is not the record's '{s.Help}'");
                if (s.Attribute.DefaultText is null)
                {
                    Assert.True(option.HasDefaultValue, $"{path} {option.Name}: no default");
                    Assert.Equal(SettingOptions.CliDefault(s), option.GetDefaultValue());
                }
                else
                {
                    Assert.False(option.HasDefaultValue, $"{path} {option.Name}: a run-time default must not show a value");
                    Assert.Contains(s.Attribute.DefaultText, option.Description);
                }
            }
        Assert.True(bound >= 40, $"only {bound} options are bound to settings");
    }

    [Fact]
    public void EverySettingFlagOfATrainingCommandIsBound()
    {
        string[] settingFlags = ["--hidden", "--layers", "--epochs", "--lr", "--batch-size", "--seq-length", "--batch-rows", "--seeds", "--seed",
            "--horizon", "--lookback", "--season", "--patience", "--min-history", "--models", "--length", "--temperature"];
        string[] commands = ["hindsight digits", "hindsight lesson", "hindsight evaluate", "hindsight backtest", "hindsight train", "hindsight forecast",
            "hindsight langid train", "hindsight generate train", "hindsight generate sample"];
        foreach (var (path, command) in All.Where(c => commands.Contains(c.Path)))
            foreach (var option in command.Options.Where(o => settingFlags.Contains(o.Name)))
            {
                // the forecasting commands' --models/--model list model names of the command, not a setting of ForecastSettings
                if (option.Name == "--models" && path != "hindsight lesson") continue;
                Assert.True(SettingOptions.SettingOf(option) is not null, $"{path} {option.Name} is declared by hand, not bound to its options record");
            }
    }

    [Fact]
    public void LibraryDefaultsAreTheDocumentedCliDefaults()
    {
        var lesson = new LessonOptions();
        Assert.Equal((30, 0.01f, 2, 10, 10, 1), (lesson.Epochs, lesson.LearningRate, lesson.Hidden.Single(), lesson.SeqLength, lesson.BatchRows, lesson.Seeds));
        var langid = new LanguageIdOptions();
        Assert.Equal((128, 64, 0.005f), (langid.Hidden, langid.BatchSize, langid.EffectiveLearningRate));
        Assert.Equal(20, (langid with { Architecture = LanguageIdArchitecture.Cell }).EffectiveEpochs);
        Assert.Equal(10, langid.EffectiveEpochs);
        var forecast = new ForecastSettings();
        Assert.Equal(forecast.Lookback, ForecastSettings.DefaultLookback(forecast.SeasonalPeriod, forecast.Horizon));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LibraryErrorNamesTheParameter(float lr)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ForecastSettings { LearningRate = lr }.Validate());
        Assert.Equal("learningRate", ex.ParamName);
        Assert.DoesNotContain("--", ex.Message);
        Assert.StartsWith("--lr must be greater than 0", CliErrors.Message(ex));
    }

    [Fact]
    public void LessonSweepRejectsANonPositiveSizeByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LessonOptions { Hidden = [2, 0] }.Validate());
        Assert.Equal("hidden", ex.ParamName);
        Assert.Equal("--hidden must be at least 1 each, got 2,0.", CliErrors.Message(ex));
    }

    private static readonly Regex StringLiteral = new("\"(?:[^\"\\\\\\n]|\\\\.)*\"", RegexOptions.Compiled);
    private static readonly Regex Flag = new(@"(?<![\w-])--[a-z][a-z-]*", RegexOptions.Compiled);

    /// <summary>The flags named by string literals on the lines of <paramref name="source"/> (comment lines skipped).</summary>
    internal static IEnumerable<string> FlagsInStrings(string source) =>
        source.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => StringLiteral.Matches(l)).SelectMany(m => Flag.Matches(m.Value)).Select(m => m.Value);

    [Fact]
    public void TheScannerFindsAFlag()
    {
        Assert.Equal(["--lr"], FlagsInStrings("throw new X($\"loss {v}; try a smaller --lr.\");\n/// see --hidden\n// --epochs"));
        Assert.Empty(FlagsInStrings("var s = \"a -- b\"; int x = y--; // --lr"));
    }

    [Fact]
    public void NoLibraryStringNamesACliFlag()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Hindsight.slnx"))) root = root.Parent;
        Assert.NotNull(root);
        string[] libraries = ["Hindsight", "Hindsight.Forecasting", "Hindsight.Text", "Hindsight.Lesson", "Hindsight.Plots"];
        var found = new List<string>();
        int files = 0;
        foreach (var lib in libraries)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root.FullName, "src", lib), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
            {
                files++;
                found.AddRange(FlagsInStrings(File.ReadAllText(file)).Select(f => $"{Path.GetRelativePath(root.FullName, file)}: {f}"));
            }
        Assert.True(files > 50, $"only {files} library files scanned");
        Assert.Empty(found);
    }

    [Fact]
    public void RangesAreCheckedOnTheRecord()
    {
        var hidden = SettingTable.Of<TextGenOptions>(nameof(TextGenOptions.Hidden));
        Assert.Equal("hidden", hidden.Name);
        Assert.Null(hidden.Problem(1));
        Assert.Equal("hidden must be at least 1, got 0.", hidden.Problem(0));
        var ex = Assert.Throws<ArgumentException>(() => new TextGenOptions { BatchSize = 0 }.Validate());
        Assert.Equal("batchSize", ex.ParamName);
    }
}
