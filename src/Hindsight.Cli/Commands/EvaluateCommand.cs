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
/// MASE, sMAPE, MAE, RMSE and MAPE per model (seasonal naive always included as the reference). A model that fails on a
/// series is reported as failed there; the other models' results still come out.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Most failure and warning lines printed per model under the table (all are in --json).</summary>
    private const int NoteLines = 10;

    public static Command Create()
    {
        var o = new ForecastCli.Options();
        var models = new Option<string>("--models") { Description = "Models, comma-separated: " + string.Join(",", ForecastSettings.ModelNames) + " (snaive is always added)", DefaultValueFactory = _ => "naive,drift,ar,mlp,gru" };
        o.Out.Description = "Folder for the holdout chart (holdout.png or .svg)";
        var cmd = new Command("evaluate", "Holdout evaluation: the last --horizon values of each series held out; metrics per model, seasonal naive as the reference.");
        foreach (var option in o.All().Concat(o.PerSeries()).Append(o.Output)) cmd.Options.Add(option);
        cmd.Options.Add(models);
        cmd.SetAction(r => Run(o.ReadExtras(r, o.Read(r), perSeries: true) with { Models = r.GetValue(models)! }, Console.Out, Console.Error, !Console.IsOutputRedirected, backtest: false));
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
            var plan = ForecastCli.Plan(a, data, settings);
            int plotted = ForecastCli.PlotIndex(a, data);
            var console = CliConsole.Create(stdout, interactive);
            var result = ForecastCli.WithProgress(console, interactive && !a.Quiet && !a.Json, configure => backtest
                ? Evaluation.Backtest(data, names, settings, ForecastCli.Backtest(a), configure, ForecastCli.Intervals(a), plan)
                : Evaluation.Holdout(data, names, settings, configure, ForecastCli.Intervals(a), plan));
            var files = new List<string>();
            if (a.Out is not null)
            {
                // The chart draws the models that forecast the plotted series.
                var drawn = result with { Models = result.Models.Where(m => m.Forecasts.Any(f => f.Series == plotted)).ToList() };
                if (drawn.Models.Count > 0)
                {
                    Serialization.AtomicFile.EnsureFolder(a.Out);
                    var path = Path.Combine(a.Out, result.Kind + ChartFile.Extension(format));
                    ChartFile.Save(ForecastCharts.Holdout(data, plotted, drawn), path, 1000, 500, format);
                    files.Add(path);
                }
            }
            if (a.Output is not null) files.Add(ForecastCli.WriteOutput(a.Output, ForecastCsv.Evaluation(data, result, a.Level, a.Probabilistic.Quantiles is { } asked ? Hindsight.Forecasting.Probabilistic.ProbabilisticOptions.ParseQuantiles(asked).Select(q => Math.Round((double)q, 6)).ToArray() : null)));
            if (a.Json) stdout.WriteLine(JsonSerializer.Serialize(Summary(a, data, settings, result, files) with { Covariates = data.Covariates?.Describe().ToArray() ?? [] }, JsonOut.Options));
            else Print(console, a, data, settings, result, files);
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex))
        {
            return ForecastCli.Fail(stderr, ex);
        }
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Id(TimeSeries data, int series) => series >= 0 ? data.Items[series].Id : "*";

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
        Level: a.Level?[0],
        Spec: a.Spec,
        Settings: new EvaluateSettingsJson(settings.Lookback, settings.Hidden, settings.Layers, settings.Epochs, settings.Steps, settings.LrDecays, settings.Validation, settings.BatchSize, settings.LearningRate,
            settings.Patience, settings.Seed, settings.Recursive ? "recursive" : "direct", settings.MinHistory),
        Models: result.Models.Select(m => new EvaluateModelJson(
            Name: m.Score.Model,
            Mae: Finite(m.Score.Mae),
            Rmse: Finite(m.Score.Rmse),
            Mape: m.Score.Mape,
            Smape: Finite(m.Score.Smape),
            MedianSmape: Finite(m.Score.MedianSmape),
            Mase: m.Score.Mase,
            MedianMase: m.Score.MedianMase,
            Coverage: m.Score.Coverage,
            IntervalWidth: m.Score.IntervalWidth,
            FitSeconds: m.Score.FitSeconds,
            PredictSeconds: m.Score.PredictSeconds,
            ForecastCount: m.Forecasts.Count,
            Chosen: Autos(m).Select(x => x.Auto.Description).FirstOrDefault(),
            Auto: m.Score.Model == "auto" ? Autos(m).Select(x => ForecastCli.AutoSummary(x.Auto, settings with { SeasonalPeriod = x.Season, Horizon = x.Horizon })).ToArray() : null,
            EpochsRun: (m.Model as NeuralForecaster)?.Summary?.EpochsRun,
            BestEpoch: (m.Model as NeuralForecaster)?.Summary?.BestEpoch,
            Failed: m.Failures.Select(f => new SeriesFailureJson(Id(data, f.Series), f.Reason)).ToArray(),
            Warnings: m.Warnings.Select(w => new SeriesWarningJson(Id(data, w.Series), w.Message)).ToArray(),
            PerSeries: Evaluation.PerSeries(m, data, result.SeasonOf).Select(p =>
            {
                var spec = result.Specs[IndexOf(data, p.Id)];
                return new SeriesScoreJson(p.Id, spec.Season, spec.Horizon, p.Score.Mae, p.Score.Rmse, p.Score.Mape, p.Score.Smape, p.Score.Mase, p.Score.Coverage, Probabilistic(p.Score.Probabilistic));
            }).ToArray(),
            Forecasts: m.Forecasts.Select(f =>
            {
                var s = data.Items[f.Series];
                return new EvaluateForecastJson(s.Id, data.Label(s, f.Origin - 1), Enumerable.Range(f.Origin, f.Forecast.Length).Select(k => data.Label(s, k)).ToArray(),
                    f.Forecast, f.Actual, f.Lower, f.Upper,
                    f.Quantiles is null || m.Layout is null ? null : m.Layout.IntervalLevels.Select(l => { var (lo, hi) = m.Layout.Bounds(f.Quantiles, l); return new IntervalBoundsJson(l, lo, hi); }).ToArray());
            }).ToArray(),
            Probabilistic: Probabilistic(m.Score.Probabilistic))).ToArray(),
        Best: result.Best?.Score.Model,
        RankedBy: "mase",
        Files: files,
        Levels: a.Level,
        Quantiles: a.Probabilistic.Quantiles is { } q ? Hindsight.Forecasting.Probabilistic.ProbabilisticOptions.ParseQuantiles(q) : null);

    private static ProbabilisticJson? Probabilistic(Hindsight.Forecasting.Probabilistic.ProbabilisticScore? p) => p is null ? null
        : new ProbabilisticJson(p.Method, p.Pinball, p.Crps, p.Intervals.Select(i => new IntervalScoreJson(i.Level, i.Coverage, i.Width)).ToArray(), p.Forecasts);

    private static int IndexOf(TimeSeries data, string id)
    {
        for (int i = 0; i < data.Count; i++) if (data.Items[i].Id == id) return i;
        return -1;
    }

    // The auto models of an evaluation, one per (season, horizon) group, with the group's season and horizon.
    private static IEnumerable<(AutoForecaster Auto, int Season, int Horizon)> Autos(ModelEvaluation m) =>
        m.Fitted.OfType<AutoForecaster>().Select(x => (x, x.SeasonalPeriod, x.Horizon));

    private static void Print(IAnsiConsole console, ForecastArgs a, TimeSeries data, ForecastSettings settings, EvaluationResult result, List<string> files)
    {
        console.WriteLine($"data: {a.Data}: {data.Count} series ({(data.IsMixedFrequency ? "mixed frequencies" : data.Frequency.Name)}, shortest {data.MinLength}){(data.FilledValues > 0 ? $", {data.FilledValues} missing values filled ({SettingTable.Of<SeriesCsvOptions>(nameof(SeriesCsvOptions.Fill)).ChoiceName(a.Fill)})" : "")}");
        string seasons = result.Mixed
            ? $"per series ({string.Join(", ", result.Specs.GroupBy(s => s).OrderBy(g => g.Key.Season).ThenBy(g => g.Key.Horizon).Select(g => $"{g.Count()} with m = {g.Key.Season}, h = {g.Key.Horizon}"))})"
            : $"m = {result.SeasonalPeriod}";
        string lookback = a.Lookback is null && result.Mixed ? "lookback 2 x max(m, h) per group" : $"lookback {settings.Lookback}";
        int horizon = result.Specs.Count > 0 ? result.Specs[0].Horizon : result.Horizon;
        console.WriteLine(result.Kind == "holdout"
            ? $"holdout: last {(result.Mixed ? "horizon" : horizon.ToString(CultureInfo.InvariantCulture))} values of each series; {seasons}; {lookback}"
            : $"backtest: {result.Origins} origins {(a.Stride is int st ? st.ToString(CultureInfo.InvariantCulture) : "a horizon")} apart, horizon {(result.Mixed ? "per series" : horizon.ToString(CultureInfo.InvariantCulture))}, {(result.Refit ? "refit at every origin" : "fitted once before the first origin")}; {seasons}; {lookback}");
        var table = new Table().AddColumn("model");
        var levels = a.Level ?? [];
        bool probabilistic = result.Models.Any(m => m.Score.Probabilistic is not null);
        var columns = new List<string> { "MASE", "MASE median", "sMAPE %", "sMAPE median", "MAE", "RMSE", "MAPE %" };
        if (probabilistic)
        {
            foreach (var l in levels) columns.AddRange([$"{l:G4}% cover %", $"{l:G4}% width"]);
            columns.AddRange(["pinball", "CRPS"]);
        }
        columns.AddRange(["fit s", "predict s"]);
        foreach (var c in columns) table.AddColumn(new TableColumn(c).RightAligned());
        table.AddColumn("notes");
        // Every metric column gets one number of decimals (4 significant digits in its largest value), so values compare at a glance.
        var scores = result.Models.Select(m => m.Score).ToList();
        var metricColumns = new List<Func<ModelScore, double?>>
        {
            s => s.Mase, s => s.MedianMase, s => Finite(s.Smape), s => Finite(s.MedianSmape), s => Finite(s.Mae), s => Finite(s.Rmse), s => s.Mape,
        };
        if (probabilistic)
        {
            for (int i = 0; i < levels.Count; i++)
            {
                double level = levels[i];
                metricColumns.AddRange([s => s.Probabilistic?.Intervals.FirstOrDefault(x => x.Level == level)?.Coverage * 100, s => s.Probabilistic?.Intervals.FirstOrDefault(x => x.Level == level)?.Width]);
            }
            metricColumns.AddRange([s => s.Probabilistic?.Pinball, s => s.Probabilistic?.Crps]);
        }
        var text = metricColumns.Select(f => TableNumbers.Column(scores.Select(f).ToList(), 4)).ToList();
        foreach (var (m, row) in result.Models.Select((m, i) => (m, i)))
        {
            var s = m.Score;
            string notes = m.Forecasts.Count == 0
                ? $"failed: {m.Failures.FirstOrDefault()?.Reason}"
                : m.Model switch
                {
                    NeuralForecaster { Summary: { } t } n => (n.Members.Count > 1 ? $"median of {n.Members.Count} nets; 1st: " : "") + (t.ValidationWindows > 0 ? $"{t.EpochsRun} epochs, best {t.BestEpoch}" : $"{t.EpochsRun} epochs, {t.Steps} steps"),
                    AutoForecaster => "chose " + string.Join("; ", Autos(m).Select(x => x.Auto.Description).Distinct()),
                    LinearArForecaster { Order: > 0 } ar => $"AR({ar.Order}) by AIC",
                    _ => s.Model == "snaive" ? "reference" : "",
                };
            if (m.Forecasts.Count > 0 && !m.Complete) notes = $"failed on {m.Failures.Count} of {data.Count} series (below); " + notes;
            if (s.Probabilistic is { } p) notes = $"intervals: {p.Method}{(p.Forecasts < m.Forecasts.Count ? $" ({p.Forecasts} of {m.Forecasts.Count} forecasts)" : "")}; " + notes;
            var cells = new List<string> { Markup.Escape(s.Model) };
            cells.AddRange(text.Select(column => column[row]));
            cells.AddRange([s.FitSeconds.ToString("F2", CultureInfo.InvariantCulture), s.PredictSeconds.ToString("F3", CultureInfo.InvariantCulture), Markup.Escape(notes.TrimEnd(' ', ';'))]);
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        var best = result.Best;
        console.WriteLine(best is null ? "best by mean MASE: none (every model failed on some series)" : $"best by mean MASE: {best.Score.Model}");
        foreach (var m in result.Models)
        {
            foreach (var auto in Autos(m).Select(x => x.Auto)) console.WriteLine(Markup.Escape(ForecastCli.AutoLine(auto)));
            if (m.Forecasts.Count > 0)
                foreach (var f in m.Failures.Take(NoteLines)) console.WriteLine(Markup.Escape($"failed: {m.Score.Model} on '{Id(data, f.Series)}': {f.Reason}"));
            if (m.Failures.Count > NoteLines) console.WriteLine($"... and {m.Failures.Count - NoteLines} more failures of {m.Score.Model} (all in --json)");
            foreach (var w in m.Warnings.Take(NoteLines)) console.WriteLine(Markup.Escape($"warning: {m.Score.Model} on '{Id(data, w.Series)}': {w.Message}"));
            if (m.Warnings.Count > NoteLines) console.WriteLine($"... and {m.Warnings.Count - NoteLines} more warnings of {m.Score.Model} (all in --json)");
        }
        foreach (var f in files) console.WriteLine($"wrote {f}");
    }
}
