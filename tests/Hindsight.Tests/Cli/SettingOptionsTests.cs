using System.CommandLine;
using System.CommandLine.Help;
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

    /// <summary>
    /// Options that are not settings of a library record: what to read and write, how to print, and (for the forecasting
    /// commands) which models by name from <see cref="ForecastSettings.ModelNames"/>. Every other option of every command must
    /// be bound to a record's [Setting], so a hand-written setting with its own default and range cannot come back.
    /// </summary>
    private static readonly HashSet<string> NotSettings =
    [
        "--data", "--out", "--model-file", "--json", "--quiet", "--format", "--plot-series", // inputs, outputs, printing
        "--spec", "--season-column", "--horizon-column", "--output", // per-series seasons and horizons (files and columns to read); the forecasts CSV
        "--live", "--port", "--live-exit", // the live view's server
        "hindsight evaluate --models", "hindsight backtest --models", "hindsight forecast --model", "hindsight train --model",
        "hindsight generate train --language", "hindsight generate sample --prompt", // the input text
        "hindsight langid predict --top", "hindsight export --initial-state", // what is printed / the exported graph's inputs
    ];

    [Fact]
    public void EveryOptionIsBoundToARecordSettingOrOnTheShortAllowList()
    {
        var handWritten = new List<string>();
        int options = 0;
        foreach (var (path, command) in All)
            foreach (var option in command.Options)
            {
                options++;
                if (SettingOptions.SettingOf(option) is not null || option is HelpOption or VersionOption) continue;
                if (NotSettings.Contains(option.Name) || NotSettings.Contains($"{path} {option.Name}")) continue;
                handWritten.Add($"{path} {option.Name}");
            }
        Assert.True(options > 100, $"only {options} options found");
        Assert.Empty(handWritten);
    }

    [Fact]
    public void TheAllowListHasNoStaleEntry()
    {
        var present = All.SelectMany(c => c.Command.Options.SelectMany(o => new[] { o.Name, $"{c.Path} {o.Name}" })).ToHashSet();
        Assert.All(NotSettings, entry => Assert.Contains(entry, present));
    }

    [Theory]
    [InlineData("hindsight backtest", "--origins", "--stride", "--refit")]
    [InlineData("hindsight evaluate", "--level", "--calibration-windows", "--strategy", "--fill", "--id-column", "--time-column", "--value-column")]
    [InlineData("hindsight langid train", "--test-fraction", "--per-language", "--model")]
    [InlineData("hindsight bench", "--steps", "--threads")]
    [InlineData("hindsight generate train", "--model")]
    public void TheFormerlyHandWrittenOptionsAreBound(string path, params string[] flags)
    {
        var command = All.Single(c => c.Path == path).Command;
        foreach (var flag in flags)
            Assert.True(SettingOptions.SettingOf(command.Options.Single(o => o.Name == flag)) is not null, $"{path} {flag} is not bound");
    }

    [Fact]
    public void EverySizeSettingHasADocumentedMaximumShownInHelp()
    {
        string[] sizes = ["hidden", "layers", "epochs", "batchSize", "batchRows", "seqLength", "seeds", "lookback", "horizon", "length",
            "seasonalPeriod", "minHistory", "origins", "stride", "calibrationWindows", "steps", "threads", "perLanguage", "patience"];
        int seen = 0;
        foreach (var (path, command) in All)
            foreach (var option in command.Options)
            {
                if (SettingOptions.SettingOf(option) is not { } s || !sizes.Contains(s.Name)) continue;
                seen++;
                Assert.False(double.IsNaN(s.Attribute.Max), $"{path} {option.Name}: no upper limit");
                Assert.Contains(((int)s.Attribute.Max).ToString(System.Globalization.CultureInfo.InvariantCulture), option.Description);
            }
        Assert.True(seen >= 30, $"only {seen} size options found");
    }

    [Fact]
    public void EnumSettingsParseTheirNames()
    {
        var fill = SettingTable.Of<Hindsight.Forecasting.Data.SeriesCsvOptions>(nameof(Hindsight.Forecasting.Data.SeriesCsvOptions.Fill));
        Assert.Equal(["error", "ffill", "linear"], fill.Choices.Select(c => c.Name));
        Assert.Equal(MissingValuePolicy.ForwardFill, fill.ParseChoice("FFill"));
        var ex = Assert.Throws<ArgumentException>(() => fill.ParseChoice("zero"));
        Assert.Equal("fill", ex.ParamName);
        Assert.Equal("--fill: unknown 'zero'; expected error, ffill, linear.", CliErrors.Message(ex));
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
        Assert.Equal("--hidden must be at least 1 and at most 4096 each, got 2,0.", CliErrors.Message(ex));
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
        Assert.Equal("hidden must be at least 1 and at most 4096, got 0.", hidden.Problem(0));
        var ex = Assert.Throws<ArgumentException>(() => new TextGenOptions { BatchSize = 0 }.Validate());
        Assert.Equal("batchSize", ex.ParamName);
    }
}
