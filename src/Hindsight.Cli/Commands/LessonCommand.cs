using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hindsight.Cli.Live;
using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;
using Hindsight.Plots;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>Everything <c>hindsight lesson</c> was asked to do, parsed from the command line.</summary>
internal sealed record LessonArgs
{
    public string? Data { get; init; }
    public SeriesScaling Scale { get; init; } = new LessonOptions().Scale;
    public string Models { get; init; } = string.Join(",", Defaults.Models);
    public string Hidden { get; init; } = string.Join(",", Defaults.Hidden);
    public int Epochs { get; init; } = Defaults.Epochs;
    public float LearningRate { get; init; } = Defaults.LearningRate;
    public int SeqLength { get; init; } = Defaults.SeqLength;
    public int BatchRows { get; init; } = Defaults.BatchRows;
    public int Seeds { get; init; } = Defaults.Seeds;
    private static readonly LessonOptions Defaults = new();
    public ulong Seed { get; init; }
    public string Out { get; init; } = "hindsight-out";
    public string Format { get; init; } = "png";
    public bool Quiet { get; init; }
    public bool Json { get; init; }
    public bool Live { get; init; }
    /// <summary>The port given as <c>--live PORT</c> or <c>--port PORT</c> (null or 0: a free one).</summary>
    public int? LivePort { get; init; }
    public int? Port { get; init; }
    public bool LiveExit { get; init; }
}

/// <summary>
/// <c>hindsight lesson</c>: the seed tutorial's experiment, fully connected network vs RNN on a table of series, run
/// over several seeds, with the seed's charts written to a folder and a summary table (or one JSON object).
/// </summary>
internal static class LessonCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { HelpName = "file", Description = "Wide CSV: first column an index (dropped), one row per series, one column per period (default: the bundled US unemployment by industry)" };
        var scale = SettingOptions.For<LessonOptions, SeriesScaling>(nameof(LessonOptions.Scale));
        // The lesson's settings: help, default and range from LessonOptions (declared there once).
        var models = SettingOptions.For<LessonOptions, string>(nameof(LessonOptions.Models));
        var hidden = SettingOptions.For<LessonOptions, string>(nameof(LessonOptions.Hidden));
        var epochs = SettingOptions.For<LessonOptions, int>(nameof(LessonOptions.Epochs));
        var lr = SettingOptions.For<LessonOptions, float>(nameof(LessonOptions.LearningRate), "--lr");
        var seqLength = SettingOptions.For<LessonOptions, int>(nameof(LessonOptions.SeqLength));
        var batchRows = SettingOptions.For<LessonOptions, int>(nameof(LessonOptions.BatchRows));
        var seeds = SettingOptions.For<LessonOptions, int>(nameof(LessonOptions.Seeds));
        var seed = SettingOptions.For<LessonOptions, ulong>(nameof(LessonOptions.Seed));
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Folder for the charts and losses.csv", DefaultValueFactory = _ => "hindsight-out" };
        var format = new Option<string>("--format") { Description = "Chart format: png or svg", DefaultValueFactory = _ => "png", HelpName = "png|svg" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bars" };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object and nothing else" };
        var live = new Option<int?>("--live") { HelpName = "[port]", Arity = ArgumentArity.ZeroOrOne, Description = "Watch training in the browser on http://127.0.0.1:PORT/ (the port may be left out: a free one is used; the address is printed on stderr); keeps serving after training until Ctrl+C" };
        var port = new Option<int?>("--port") { HelpName = "port", Description = "Port of the live view (same as --live PORT)" };
        var liveExit = new Option<bool>("--live-exit") { Description = "With --live: stop serving as soon as training ends (for scripts)" };
        var cmd = new Command("lesson", "The seed tutorial's experiment: a fully connected net vs an RNN predicting each series one step ahead; loss curves, snapshots and weight charts, a summary table.")
        {
            data, scale, models, hidden, epochs, lr, seqLength, batchRows, seeds, seed, output, format, quiet, json, live, port, liveExit,
        };
        cmd.SetAction(r => Run(new LessonArgs
        {
            Data = r.GetValue(data), Scale = r.GetValue(scale), Models = r.GetValue(models)!, Hidden = r.GetValue(hidden)!,
            Epochs = r.GetValue(epochs), LearningRate = r.GetValue(lr), SeqLength = r.GetValue(seqLength), BatchRows = r.GetValue(batchRows),
            Seeds = r.GetValue(seeds), Seed = r.GetValue(seed), Out = r.GetValue(output)!, Format = r.GetValue(format)!,
            Quiet = r.GetValue(quiet), Json = r.GetValue(json),
            Live = r.GetResult(live) is not null, LivePort = r.GetValue(live), Port = r.GetValue(port), LiveExit = r.GetValue(liveExit),
        }, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected));
        return cmd;
    }

    /// <summary>Runs the lesson; bad input prints one line on <paramref name="stderr"/> and returns 2, and no file is written.</summary>
    public static int Run(LessonArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        SeriesScaling scaling;
        ChartFormat chartFormat;
        LessonOptions options;
        LiveView? view = null;
        try
        {
            scaling = a.Scale;
            chartFormat = ChartFile.Parse(a.Format);
            options = new LessonOptions
            {
                Models = a.Models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).ToArray(),
                Hidden = ParseSizes(a.Hidden),
                Epochs = a.Epochs, LearningRate = a.LearningRate, SeqLength = a.SeqLength, BatchRows = a.BatchRows,
                Seeds = a.Seeds, Seed = a.Seed, Scale = a.Scale,
            };
            options.Validate();
            if (File.Exists(a.Out)) throw new ArgumentException($"--out {a.Out} is a file; expected a folder (created if missing).");
            view = a.Live || a.Port is not null || a.LiveExit ? LiveView.Start(a.Live, a.LivePort, a.Port, a.LiveExit, stderr) : null;
        }
        catch (ArgumentException ex) { return CliErrors.Report(stderr, ex); } // a bad option value
        using var _ = view;
        try
        {
            string path = a.Data ?? BundledData.Path("unemployment_wide.csv");
            var table = WideSeries.Load(path);
            var console = CliConsole.Create(stdout, interactive);
            view?.Show(new LiveState(table.Source, table.Rows, table.PeriodCount, scaling, options));
            LessonResult result;
            try
            {
                result = interactive && !a.Quiet && !a.Json
                    ? WithProgress(console, table, scaling, options, view is null ? null : view.Add)
                    : LessonExperiment.Run(table, scaling, options, null, view is null ? null : view.Add);
            }
            catch (Exception ex) when (view is not null && CliErrors.IsExpected(ex))
            {
                view.Fail(ex.Message);
                throw;
            }
            var files = LessonReport.Write(result, a.Out, chartFormat);
            view?.Finish(Summary(result, files));
            if (a.Json) stdout.WriteLine(JsonSerializer.Serialize(Summary(result, files), JsonOut.Options));
            else PrintTable(console, result, files, a.Out);
            if (view is not null && !a.LiveExit)
            {
                stderr.WriteLine($"training done; serving {view.Address} until Ctrl+C");
                LiveView.WaitForStop();
            }
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
                throw new ArgumentException($"--hidden: '{parts[i]}' is not a positive integer (expected e.g. 2 or 2,4,8,16).");
        if (sizes.Length == 0) throw new ArgumentException("--hidden: no sizes given.");
        if (sizes.Distinct().Count() != sizes.Length) throw new ArgumentException($"--hidden: '{text}' lists a size twice.");
        return sizes;
    }

    private static LessonResult WithProgress(IAnsiConsole console, WideSeries table, SeriesScaling scaling, LessonOptions options, Action<LessonEpoch>? epochEnd)
    {
        LessonResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<(string, int), ProgressTask>();
                foreach (int h in options.Hidden)
                    foreach (var m in options.Models)
                        tasks[(m, h)] = ctx.AddTask(options.Hidden.Count > 1 ? $"{m} (hidden {h})" : m, maxValue: options.Seeds * options.Epochs);
                result = LessonExperiment.Run(table, scaling, options, p =>
                {
                    var task = tasks[(p.Model, p.Hidden)];
                    task.Value = p.Done;
                    task.Description = $"{(options.Hidden.Count > 1 ? $"{p.Model} (hidden {p.Hidden})" : p.Model)}  loss {p.LastLoss:F4}";
                }, epochEnd);
            });
        return result!;
    }

    private static void PrintTable(IAnsiConsole console, LessonResult result, IReadOnlyList<string> files, string folder)
    {
        var o = result.Options;
        console.WriteLine($"data: {result.Data}");
        console.WriteLine($"{result.Rows} series x {result.Periods} periods, scale {result.Scaling.ToString().ToLowerInvariant()}; " +
            $"windows of {o.SeqLength}, {o.BatchRows} rows per batch, SGD lr {o.LearningRate.ToString(CultureInfo.InvariantCulture)}, {o.Epochs} epochs, {o.Seeds} seed{(o.Seeds > 1 ? "s" : "")}");
        bool several = o.Models.Count > 1;
        var table = new Table().AddColumn("model").AddColumn("hidden").AddColumn(new TableColumn("parameters").RightAligned())
            .AddColumn(new TableColumn(o.Seeds > 1 ? "final loss (mean ± sd)" : "final loss").RightAligned());
        if (several)
        {
            table.AddColumn(new TableColumn(o.Models.Count == 2 ? "beat the other from epoch" : "best from epoch").RightAligned());
            table.AddColumn(new TableColumn("best final loss in").RightAligned());
        }
        table.AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var race in result.Races)
        {
            var cells = new List<string> { race.Model, race.Hidden.ToString(CultureInfo.InvariantCulture), race.Parameters.ToString(CultureInfo.InvariantCulture),
                o.Seeds > 1 ? $"{race.FinalMean:F4} ± {race.FinalSd:F4}" : $"{race.FinalMean:F4}" };
            if (several)
            {
                cells.Add(race.LeadsFromEpoch?.ToString(CultureInfo.InvariantCulture) ?? "never");
                cells.Add($"{race.SeedWins}/{o.Seeds} seeds");
            }
            cells.Add(race.Seconds.ToString("F2", CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        var names = files.Select(Path.GetFileName).ToList();
        var shown = names.Count <= 8 ? names : names.Where(n => n!.StartsWith("loss.", StringComparison.Ordinal) || n.StartsWith("loss-h", StringComparison.Ordinal) || n.StartsWith("hidden-sweep", StringComparison.Ordinal)).Append("...").ToList();
        console.WriteLine($"wrote {files.Count} files to {folder}: {string.Join(", ", shown)}");
    }

    internal static LessonJson Summary(LessonResult result, IReadOnlyList<string> files) => new(
        Data: result.Data,
        Rows: result.Rows,
        Periods: result.Periods,
        Scale: result.Scaling.ToString().ToLowerInvariant(),
        Settings: new LessonSettingsJson(
            Models: result.Options.Models,
            Hidden: result.Options.Hidden,
            Epochs: result.Options.Epochs,
            Lr: result.Options.LearningRate,
            SeqLength: result.Options.SeqLength,
            BatchRows: result.Options.BatchRows,
            Seeds: result.Options.Seeds,
            Seed: result.Options.Seed),
        Models: result.Races.Select(r => new LessonModelJson(
            Name: r.Model,
            Hidden: r.Hidden,
            Parameters: r.Parameters,
            UpdatesPerRun: r.Updates,
            EpochMean: r.EpochMean,
            EpochSd: r.EpochSd,
            FinalMean: r.FinalMean,
            FinalSd: r.FinalSd,
            FinalLosses: r.FinalLosses,
            FirstLeadEpoch: r.FirstLeadEpoch,
            LeadsFromEpoch: r.LeadsFromEpoch,
            SeedWins: r.SeedWins,
            Seconds: r.Seconds)).ToArray(),
        Files: files);
}
