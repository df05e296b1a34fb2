using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;
using Hindsight.Plots;
using Hindsight.Settings;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>
/// <c>hindsight evaluate</c>: holds out the last --horizon values of every series, fits each model on the rest and reports
/// MAE, RMSE, MAPE, sMAPE and MASE per model (seasonal naive always included as the reference).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var o = new ForecastCli.Options();
        var models = new Option<string>("--models") { Description = "Models, comma-separated: " + string.Join(",", ForecastSettings.ModelNames) + " (snaive is always added)", DefaultValueFactory = _ => "naive,drift,ar,mlp,gru" };
        o.Out.Description = "Folder for the holdout chart (holdout.png or .svg)";
        var cmd = new Command("evaluate", "Holdout evaluation: the last --horizon values of each series held out; metrics per model, seasonal naive as the reference.");
        foreach (var option in o.All()) cmd.Options.Add(option);
        cmd.Options.Add(models);
        cmd.SetAction(r => Run(o.Read(r) with { Models = r.GetValue(models)! }, Console.Out, Console.Error, !Console.IsOutputRedirected, backtest: false));
        return cmd;
    }

    /// <summary>Runs a holdout (or, with <paramref name="backtest"/>, a rolling-origin backtest) and prints the report.</summary>
    public static int Run(ForecastArgs a, TextWriter stdout, TextWriter stderr, bool interactive, bool backtest)
    {
        MissingValuePolicy fill; ChartFormat format; IReadOnlyList<string> names;
        try
        {
            (fill, format) = ForecastCli.CheckOptions(a);
            names = ForecastCli.ModelList(a.Models);
            if (backtest) SettingTable.Check(ForecastCli.Backtest(a));
        }
        catch (ArgumentException ex) { return ForecastCli.Fail(stderr, ex); }
        try
        {
            var data = ForecastCli.Load(a, fill);
            var settings = ForecastCli.Settings(a, data);
            int plotted = ForecastCli.PlotIndex(a, data);
            var console = CliConsole.Create(stdout, interactive);
            var result = ForecastCli.WithProgress(console, interactive && !a.Quiet && !a.Json, configure => backtest
                ? Evaluation.Backtest(data, names, settings, ForecastCli.Backtest(a), configure, ForecastCli.Intervals(a))
                : Evaluation.Holdout(data, names, settings, configure, ForecastCli.Intervals(a)));
            var files = new List<string>();
            if (a.Out is not null)
            {
                Serialization.AtomicFile.EnsureFolder(a.Out);
                var path = Path.Combine(a.Out, result.Kind + ChartFile.Extension(format));
                ChartFile.Save(ForecastCharts.Holdout(data, plotted, result), path, 1000, 500, format);
                files.Add(path);
            }
            if (a.Json) stdout.WriteLine(JsonSerializer.Serialize(Summary(a, data, settings, result, files), JsonOut.Options));
            else Print(console, a, data, settings, result, files);
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex))
        {
            return ForecastCli.Fail(stderr, ex);
        }
    }

    private static string Best(EvaluationResult result) => result.Models.MinBy(m => m.Score.Mae)!.Score.Model;

    private static EvaluateJson Summary(ForecastArgs a, TimeSeries data, ForecastSettings settings, EvaluationResult result, List<string> files) => new(
        Kind: result.Kind,
        Data: a.Data,
        Series: data.Count,
        MinLength: data.MinLength,
        Frequency: data.Frequency.Name,
        FilledValues: data.FilledValues,
        Horizon: result.Horizon,
        SeasonalPeriod: result.SeasonalPeriod,
        Origins: result.Origins,
        Stride: result.Stride,
        Refit: result.Refit,
        Level: a.Level,
        Settings: new EvaluateSettingsJson(settings.Lookback, settings.Hidden, settings.Layers, settings.Epochs, settings.BatchSize, settings.LearningRate,
            settings.Patience, settings.Seed, settings.Recursive ? "recursive" : "direct", settings.MinHistory),
        Models: result.Models.Select(m => new EvaluateModelJson(
            Name: m.Score.Model,
            Mae: m.Score.Mae,
            Rmse: m.Score.Rmse,
            Mape: m.Score.Mape,
            Smape: m.Score.Smape,
            Mase: m.Score.Mase,
            Coverage: m.Score.Coverage,
            IntervalWidth: m.Score.IntervalWidth,
            FitSeconds: m.Score.FitSeconds,
            PredictSeconds: m.Score.PredictSeconds,
            Forecasts: m.Forecasts.Count,
            Chosen: (m.Model as AutoForecaster)?.Chosen?.Name,
            EpochsRun: (m.Model as NeuralForecaster)?.Summary?.EpochsRun,
            BestEpoch: (m.Model as NeuralForecaster)?.Summary?.BestEpoch,
            PerSeries: Evaluation.PerSeries(m, data, result.SeasonalPeriod).Select(p => new SeriesScoreJson(
                p.Id, p.Score.Mae, p.Score.Rmse, p.Score.Mape, p.Score.Smape, p.Score.Mase, p.Score.Coverage)).ToArray())).ToArray(),
        Best: Best(result),
        Files: files);

    private static void Print(IAnsiConsole console, ForecastArgs a, TimeSeries data, ForecastSettings settings, EvaluationResult result, List<string> files)
    {
        console.WriteLine($"data: {a.Data}: {data.Count} series ({data.Frequency.Name}, shortest {data.MinLength}){(data.FilledValues > 0 ? $", {data.FilledValues} missing values filled ({SettingTable.Of<SeriesCsvOptions>(nameof(SeriesCsvOptions.Fill)).ChoiceName(a.Fill)})" : "")}");
        console.WriteLine(result.Kind == "holdout"
            ? $"holdout: last {result.Horizon} values of each series; m = {result.SeasonalPeriod}; lookback {settings.Lookback}"
            : $"backtest: {result.Origins} origins {result.Stride} apart, horizon {result.Horizon}, {(result.Refit ? "refit at every origin" : "fitted once before the first origin")}; m = {result.SeasonalPeriod}; lookback {settings.Lookback}");
        var table = new Table().AddColumn("model");
        bool intervals = a.Level is not null;
        var columns = new List<string> { "MAE", "RMSE", "MAPE %", "sMAPE %", "MASE" };
        if (intervals) columns.AddRange([$"{a.Level:G4}% coverage", "width"]);
        columns.AddRange(["fit s", "predict s"]);
        foreach (var c in columns) table.AddColumn(new TableColumn(c).RightAligned());
        table.AddColumn("notes");
        // Every metric column gets one number of decimals (4 significant digits in its largest value), so values compare at a glance.
        var scores = result.Models.Select(m => m.Score).ToList();
        var metricColumns = new List<Func<ModelScore, double?>> { s => s.Mae, s => s.Rmse, s => s.Mape, s => s.Smape, s => s.Mase };
        if (intervals) metricColumns.AddRange([s => s.Coverage * 100, s => s.IntervalWidth]);
        var text = metricColumns.Select(f => TableNumbers.Column(scores.Select(f).ToList(), 4)).ToList();
        foreach (var (m, row) in result.Models.Select((m, i) => (m, i)))
        {
            var s = m.Score;
            string notes = m.Model switch
            {
                NeuralForecaster { Summary: { } t } => $"{t.EpochsRun} epochs, best {t.BestEpoch}",
                AutoForecaster { Chosen: { } c } => $"chose {c.Name}",
                LinearArForecaster { Order: > 0 } ar => $"AR({ar.Order}) by AIC",
                _ => s.Model == "snaive" ? "reference" : "",
            };
            var cells = new List<string> { Markup.Escape(s.Model) };
            cells.AddRange(text.Select(column => column[row]));
            cells.AddRange([s.FitSeconds.ToString("F2", CultureInfo.InvariantCulture), s.PredictSeconds.ToString("F3", CultureInfo.InvariantCulture), Markup.Escape(notes)]);
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        console.WriteLine($"best by MAE: {Best(result)}");
        foreach (var f in files) console.WriteLine($"wrote {f}");
    }
}
