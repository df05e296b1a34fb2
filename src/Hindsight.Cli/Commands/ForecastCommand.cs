using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;
using Hindsight.Plots;
using Hindsight.Settings;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>Everything the forecasting commands (<c>evaluate</c>, <c>backtest</c>, <c>train</c>, <c>forecast</c>) were asked to do.</summary>
internal sealed record ForecastArgs
{
    // Defaults are the library records' own (one place per setting).
    private static readonly ForecastSettings Defaults = new();
    private static readonly SeriesCsvOptions Csv = new();

    public string? Data { get; init; }
    public string? IdColumn { get; init; }
    public string? TimeColumn { get; init; }
    public string? ValueColumn { get; init; }
    public MissingValuePolicy Fill { get; init; } = Csv.Fill;
    public int Horizon { get; init; } = Defaults.Horizon;
    /// <summary>Whether --horizon was on the command line (a model file's own horizon is used otherwise).</summary>
    public bool HorizonGiven { get; init; }
    public string Models { get; init; } = "naive,drift,ar,mlp,gru";
    public int? Lookback { get; init; }
    public int? Season { get; init; }
    public int Hidden { get; init; } = Defaults.Hidden;
    public int Layers { get; init; } = Defaults.Layers;
    public int Epochs { get; init; } = Defaults.Epochs;
    public int Steps { get; init; } = Defaults.Steps;
    public int LrDecays { get; init; } = Defaults.LrDecays;
    public int Validation { get; init; } = Defaults.Validation;
    public int BatchSize { get; init; } = Defaults.BatchSize;
    public float LearningRate { get; init; } = Defaults.LearningRate;
    public int Patience { get; init; } = Defaults.Patience;
    public ulong Seed { get; init; }
    public ForecastStrategy Strategy { get; init; } = Defaults.Strategy;
    public int? MinHistory { get; init; }
    public string EtsModel { get; init; } = "ZZZ";
    public string ArimaOrder { get; init; } = "auto";
    public string Loss { get; init; } = Defaults.Loss;
    public int Ensemble { get; init; } = Defaults.Ensemble;
    public int LookbackHorizons { get; init; } = Defaults.LookbackHorizons;
    public int BlockWidth { get; init; } = Defaults.BlockWidth;
    public int BlockLayers { get; init; } = Defaults.BlockLayers;
    public int Stacks { get; init; } = Defaults.Stacks;
    public int StackBlocks { get; init; } = Defaults.StackBlocks;
    /// <summary>Interval levels in percent (--level 80,95), or null for none.</summary>
    public IReadOnlyList<double>? Level { get; init; }
    /// <summary>Probabilistic outputs of the neural models (--quantiles, --distribution, --samples).</summary>
    public Hindsight.Forecasting.Probabilistic.ProbabilisticOptions Probabilistic { get; init; } = new();
    /// <summary>Calibration windows per series (null: automatic).</summary>
    public int? CalibrationWindows { get; init; }
    /// <summary>Calibration of the intervals of models with their own quantiles (--calibrate).</summary>
    public Hindsight.Forecasting.Probabilistic.IntervalCalibration Calibration { get; init; }
    public int Origins { get; init; } = new BacktestOptions().Origins;
    public int? Stride { get; init; }
    public bool Refit { get; init; }
    public string? ModelFile { get; init; }
    /// <summary>Whether --model was on the command line (forecast refuses it beside --model-file).</summary>
    public bool ModelGiven { get; init; }
    public string? Out { get; init; }
    public string? PlotSeries { get; init; }
    public string Format { get; init; } = "png";
    public bool Quiet { get; init; }
    public bool Json { get; init; }
    /// <summary>How auto chooses (--auto-mode, --auto-k, --auto-combine, --candidates, --cv-origins).</summary>
    public AutoOptions Auto { get; init; } = new();
    /// <summary>Settings of esrnn (--esrnn-quantile, --level-penalty, --esrnn-cell).</summary>
    public Hindsight.Forecasting.EsRnn.EsRnnOptions EsRnn { get; init; } = new();
    /// <summary>Spec file of per-series seasons and horizons (evaluate, backtest).</summary>
    public string? Spec { get; init; }
    /// <summary>Columns of the long data holding each series' season and horizon (evaluate, backtest).</summary>
    public string? SeasonColumn { get; init; }
    public string? HorizonColumn { get; init; }
    /// <summary>CSV file of the forecasts in the long layout (unique_id,ds,...).</summary>
    public string? Output { get; init; }
    /// <summary>Covariate columns, calendar encoders and holidays (--past, --future, --static, --calendar, ...).</summary>
    public Hindsight.Forecasting.Covariates.CovariateOptions Covariates { get; init; } = new();
}

/// <summary>Options and steps shared by the forecasting commands.</summary>
internal static class ForecastCli
{
    internal sealed class Options
    {
        public readonly Option<string> Data = new("--data") { HelpName = "file", Description = "CSV: long (series,date,value), one series with a date column, or the wide table (one row per series); or a .json array of records", Required = true };
        // How the data file is read: from SeriesCsvOptions.
        public readonly Option<string?> IdColumn = SettingOptions.For<SeriesCsvOptions, string?>(nameof(SeriesCsvOptions.IdColumn));
        public readonly Option<string?> TimeColumn = SettingOptions.For<SeriesCsvOptions, string?>(nameof(SeriesCsvOptions.TimeColumn));
        public readonly Option<string?> ValueColumn = SettingOptions.For<SeriesCsvOptions, string?>(nameof(SeriesCsvOptions.ValueColumn));
        public readonly Option<MissingValuePolicy> Fill = SettingOptions.For<SeriesCsvOptions, MissingValuePolicy>(nameof(SeriesCsvOptions.Fill));
        // The model settings: help, default and range from ForecastSettings (declared there once).
        public readonly Option<int> Horizon = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Horizon));
        public readonly Option<int?> Lookback = SettingOptions.For<ForecastSettings, int?>(nameof(ForecastSettings.Lookback));
        public readonly Option<int?> Season = SettingOptions.For<ForecastSettings, int?>(nameof(ForecastSettings.SeasonalPeriod), "--season");
        public readonly Option<int> Hidden = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Hidden));
        public readonly Option<int> Layers = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Layers));
        public readonly Option<int> Epochs = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Epochs));
        public readonly Option<int> Steps = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Steps));
        public readonly Option<int> LrDecays = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.LrDecays));
        public readonly Option<int> Validation = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Validation));
        public readonly Option<int> BatchSize = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.BatchSize));
        public readonly Option<float> LearningRate = SettingOptions.For<ForecastSettings, float>(nameof(ForecastSettings.LearningRate), "--lr");
        public readonly Option<int> Patience = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Patience));
        public readonly Option<ulong> Seed = SettingOptions.For<ForecastSettings, ulong>(nameof(ForecastSettings.Seed));
        public readonly Option<ForecastStrategy> Strategy = SettingOptions.For<ForecastSettings, ForecastStrategy>(nameof(ForecastSettings.Strategy));
        public readonly Option<int?> MinHistory = SettingOptions.For<ForecastSettings, int?>(nameof(ForecastSettings.MinHistory));
        public readonly Option<string> EtsModel = SettingOptions.For<ForecastSettings, string>(nameof(ForecastSettings.EtsModel), "--ets-model");
        public readonly Option<string> ArimaOrder = SettingOptions.For<ForecastSettings, string>(nameof(ForecastSettings.ArimaOrder), "--arima-order");
        public readonly Option<string> Loss = SettingOptions.For<ForecastSettings, string>(nameof(ForecastSettings.Loss));
        public readonly Option<int> Ensemble = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Ensemble));
        public readonly Option<int> LookbackHorizons = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.LookbackHorizons));
        public readonly Option<int> BlockWidth = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.BlockWidth));
        public readonly Option<int> BlockLayers = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.BlockLayers));
        public readonly Option<int> Stacks = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.Stacks));
        public readonly Option<int> StackBlocks = SettingOptions.For<ForecastSettings, int>(nameof(ForecastSettings.StackBlocks));
        // Conformal intervals: from IntervalOptions (no --level: no intervals).
        public readonly Option<string?> Level = SettingOptions.For<IntervalOptions, string?>(nameof(IntervalOptions.Levels), "--level");
        // Probabilistic outputs of the neural models: from ProbabilisticOptions.
        public readonly Option<string?> Quantiles = SettingOptions.For<Hindsight.Forecasting.Probabilistic.ProbabilisticOptions, string?>(nameof(Hindsight.Forecasting.Probabilistic.ProbabilisticOptions.Quantiles));
        public readonly Option<Hindsight.Forecasting.Probabilistic.OutputDistribution> Distribution = SettingOptions.For<Hindsight.Forecasting.Probabilistic.ProbabilisticOptions, Hindsight.Forecasting.Probabilistic.OutputDistribution>(nameof(Hindsight.Forecasting.Probabilistic.ProbabilisticOptions.Distribution));
        public readonly Option<int> Samples = SettingOptions.For<Hindsight.Forecasting.Probabilistic.ProbabilisticOptions, int>(nameof(Hindsight.Forecasting.Probabilistic.ProbabilisticOptions.Samples));
        public readonly Option<int?> CalibrationWindows = SettingOptions.For<IntervalOptions, int?>(nameof(IntervalOptions.CalibrationWindows));
        public readonly Option<Hindsight.Forecasting.Probabilistic.IntervalCalibration> Calibration = SettingOptions.For<IntervalOptions, Hindsight.Forecasting.Probabilistic.IntervalCalibration>(nameof(IntervalOptions.Calibration), "--calibrate");
        /// <summary>The chart folder; each command says which chart (its description is set by the command).</summary>
        public readonly Option<string?> Out = new("--out") { HelpName = "dir", Description = "Folder for a chart" };
        public readonly Option<string?> PlotSeries = new("--plot-series") { HelpName = "id", Description = "Series drawn in the --out chart (default: the first)" };
        public readonly Option<string> Format = new("--format") { Description = "Chart format: png or svg", DefaultValueFactory = _ => "png", HelpName = "png|svg" };
        public readonly Option<bool> Quiet = new("--quiet") { Description = "No progress bars" };
        public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object and nothing else" };
        // How auto chooses: from AutoOptions.
        public readonly Option<AutoMode> AutoMode = SettingOptions.For<AutoOptions, AutoMode>(nameof(AutoOptions.Mode), "--auto-mode");
        public readonly Option<int> AutoK = SettingOptions.For<AutoOptions, int>(nameof(AutoOptions.K), "--auto-k");
        public readonly Option<CombineBy> AutoCombine = SettingOptions.For<AutoOptions, CombineBy>(nameof(AutoOptions.Combine), "--auto-combine");
        public readonly Option<string?> Candidates = SettingOptions.For<AutoOptions, string?>(nameof(AutoOptions.Candidates));
        public readonly Option<int> CvOrigins = SettingOptions.For<AutoOptions, int>(nameof(AutoOptions.CvOrigins));
        public readonly Option<bool> AutoPerSeries = SettingOptions.For<AutoOptions, bool>(nameof(AutoOptions.PerSeries), "--auto-per-series");
        // esrnn's own settings: from EsRnnOptions.
        public readonly Option<float> EsRnnQuantile = SettingOptions.For<Hindsight.Forecasting.EsRnn.EsRnnOptions, float>(nameof(Hindsight.Forecasting.EsRnn.EsRnnOptions.Quantile), "--esrnn-quantile");
        public readonly Option<float> LevelPenalty = SettingOptions.For<Hindsight.Forecasting.EsRnn.EsRnnOptions, float>(nameof(Hindsight.Forecasting.EsRnn.EsRnnOptions.LevelPenalty));
        public readonly Option<float> SeriesLearningRate = SettingOptions.For<Hindsight.Forecasting.EsRnn.EsRnnOptions, float>(nameof(Hindsight.Forecasting.EsRnn.EsRnnOptions.SeriesLearningRate), "--esrnn-series-lr");
        public readonly Option<Hindsight.Forecasting.EsRnn.EsRnnCell> EsRnnCell = SettingOptions.For<Hindsight.Forecasting.EsRnn.EsRnnOptions, Hindsight.Forecasting.EsRnn.EsRnnCell>(nameof(Hindsight.Forecasting.EsRnn.EsRnnOptions.Cell), "--esrnn-cell");
        /// <summary>Per-series seasons and horizons (evaluate and backtest add these).</summary>
        public readonly Option<string?> Spec = new("--spec") { HelpName = "file", Description = "CSV unique_id,season,horizon: each series' season and horizon (other columns ignored; series not listed use --season/--horizon)" };
        public readonly Option<string?> SeasonColumn = new("--season-column") { HelpName = "name", Description = "Column of the long data holding each series' season (constant within a series)" };
        public readonly Option<string?> HorizonColumn = new("--horizon-column") { HelpName = "name", Description = "Column of the long data holding each series' horizon (constant within a series)" };
        /// <summary>The forecasts as a long CSV (evaluate, backtest and forecast add it).</summary>
        public readonly Option<string?> Output = new("--output") { HelpName = "file.csv", Description = "Write the forecasts as CSV in the long layout unique_id,ds,<model>,<model>-lo-90,... (NeuralForecast/statsforecast)" };

        // Covariates: from CovariateOptions.
        public readonly Option<string?> Past = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, string?>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.Past));
        public readonly Option<string?> Future = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, string?>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.Future));
        public readonly Option<string?> Static = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, string?>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.Static));
        public readonly Option<string?> Calendar = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, string?>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.Calendar));
        public readonly Option<Hindsight.Forecasting.Covariates.CalendarEncoding> CalendarEncoding = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, Hindsight.Forecasting.Covariates.CalendarEncoding>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.CalendarEncoding));
        public readonly Option<string?> Holidays = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, string?>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.Holidays));
        public readonly Option<bool> HolidaysByName = SettingOptions.For<Hindsight.Forecasting.Covariates.CovariateOptions, bool>(nameof(Hindsight.Forecasting.Covariates.CovariateOptions.HolidaysByName));

        public IEnumerable<Option> All() => [Data, IdColumn, TimeColumn, ValueColumn, Fill, Past, Future, Static, Calendar, CalendarEncoding, Holidays, HolidaysByName, Horizon, Lookback, Season, Hidden, Layers, Epochs, Steps, LrDecays, BatchSize, LearningRate, Validation, Patience, Seed, Strategy, MinHistory, EtsModel, ArimaOrder, Loss, Ensemble, LookbackHorizons, BlockWidth, BlockLayers, Stacks, StackBlocks, Level, CalibrationWindows, Calibration, Quantiles, Distribution, Samples, AutoMode, AutoK, AutoCombine, Candidates, CvOrigins, AutoPerSeries, EsRnnQuantile, LevelPenalty, SeriesLearningRate, EsRnnCell, Out, PlotSeries, Format, Quiet, Json];

        /// <summary>The per-series options of evaluate and backtest.</summary>
        public IEnumerable<Option> PerSeries() => [Spec, SeasonColumn, HorizonColumn];

        /// <summary>Reads the per-series options and --output (for the commands that add them).</summary>
        public ForecastArgs ReadExtras(ParseResult r, ForecastArgs a, bool perSeries) => a with
        {
            Output = r.GetValue(Output),
            Spec = perSeries ? r.GetValue(Spec) : null,
            SeasonColumn = perSeries ? r.GetValue(SeasonColumn) : null,
            HorizonColumn = perSeries ? r.GetValue(HorizonColumn) : null,
        };

        public ForecastArgs Read(ParseResult r) => new()
        {
            Data = r.GetValue(Data), IdColumn = r.GetValue(IdColumn), TimeColumn = r.GetValue(TimeColumn), ValueColumn = r.GetValue(ValueColumn),
            Fill = r.GetValue(Fill), Horizon = r.GetValue(Horizon), HorizonGiven = r.GetResult(Horizon) is { Implicit: false }, Lookback = r.GetValue(Lookback), Season = r.GetValue(Season), Hidden = r.GetValue(Hidden), Layers = r.GetValue(Layers),
            Epochs = r.GetValue(Epochs), Steps = r.GetValue(Steps), LrDecays = r.GetValue(LrDecays), Validation = r.GetValue(Validation), BatchSize = r.GetValue(BatchSize), LearningRate = r.GetValue(LearningRate), Patience = r.GetValue(Patience),
            Seed = r.GetValue(Seed), Strategy = r.GetValue(Strategy), MinHistory = r.GetValue(MinHistory), EtsModel = r.GetValue(EtsModel) ?? "ZZZ", ArimaOrder = r.GetValue(ArimaOrder) ?? "auto", Loss = r.GetValue(Loss) ?? new ForecastSettings().Loss, Ensemble = r.GetValue(Ensemble), LookbackHorizons = r.GetValue(LookbackHorizons), BlockWidth = r.GetValue(BlockWidth), BlockLayers = r.GetValue(BlockLayers), Stacks = r.GetValue(Stacks), StackBlocks = r.GetValue(StackBlocks), Level = ParseLevels(r.GetValue(Level)), CalibrationWindows = r.GetValue(CalibrationWindows), Calibration = r.GetValue(Calibration), Out = r.GetValue(Out), PlotSeries = r.GetValue(PlotSeries), Format = r.GetValue(Format) ?? "png", Quiet = r.GetValue(Quiet), Json = r.GetValue(Json),
            Auto = new AutoOptions
            {
                Mode = r.GetValue(AutoMode), K = r.GetValue(AutoK), Combine = r.GetValue(AutoCombine),
                Candidates = r.GetValue(Candidates) ?? AutoOptions.DefaultCandidates, CvOrigins = r.GetValue(CvOrigins), PerSeries = r.GetValue(AutoPerSeries),
            },
            EsRnn = new() { Quantile = r.GetValue(EsRnnQuantile), LevelPenalty = r.GetValue(LevelPenalty), SeriesLearningRate = r.GetValue(SeriesLearningRate), Cell = r.GetValue(EsRnnCell) },
            Covariates = new()
            {
                Past = r.GetValue(Past), Future = r.GetValue(Future), Static = r.GetValue(Static), Calendar = r.GetValue(Calendar),
                CalendarEncoding = r.GetValue(CalendarEncoding), Holidays = r.GetValue(Holidays), HolidaysByName = r.GetValue(HolidaysByName),
            },
            Probabilistic = new() { Quantiles = r.GetValue(Quantiles), Distribution = r.GetValue(Distribution), Samples = r.GetValue(Samples) },
        };

        /// <summary>The levels of --level (a comma list in percent), or null without it; an entry that is no number reads as NaN, which the range check reports naming the flag.</summary>
        public static IReadOnlyList<double>? ParseLevels(string? text)
        {
            if (text is null) return null;
            var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) return [double.NaN];
            return parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).Distinct().ToArray();
        }
    }

    /// <summary>Checks the options that need no data (bad ones are exit 2 before any work).</summary>
    public static (MissingValuePolicy Fill, ChartFormat Format) CheckOptions(ForecastArgs a)
    {
        if (string.IsNullOrWhiteSpace(a.Data)) throw new ArgumentException("--data is required.");
        // The ranges are the records' own; errors name parameters, which CliErrors prints as flags.
        SettingTable.Check(Csv(a));
        if (a.Lookback is int lookback) SettingTable.Of<ForecastSettings>(nameof(ForecastSettings.Lookback)).Check(lookback);
        if (a.Season is int season) SettingTable.Of<ForecastSettings>(nameof(ForecastSettings.SeasonalPeriod)).Check(season);
        SettingTable.Of<ForecastSettings>(nameof(ForecastSettings.Strategy)).Check(a.Strategy);
        if (Intervals(a) is { } intervals) SettingTable.Check(intervals);
        SettingTable.Check(a.Probabilistic);
        a.Probabilistic.Head(); // a bad --quantiles list, or quantiles beside a distribution, before any work
        if (a.Out is not null && File.Exists(a.Out)) throw new ArgumentException($"--out {a.Out} is a file; expected a folder (created if missing).");
        SettingTable.Check(a.Auto);
        var candidates = a.Auto.CandidateList();
        if (candidates.Count == 0) throw new ArgumentException("--candidates: no model given.");
        foreach (var c in candidates)
            if (c == "auto" || !ForecastSettings.ModelNames.Contains(c) && c != "seasonal-naive" && c != "linear-ar")
                throw new ArgumentException($"--candidates: '{c}' is not a candidate; expected some of {string.Join(", ", ForecastSettings.ModelNames.Where(n => n != "auto"))}.");
        if (a.Spec is not null && !File.Exists(a.Spec)) throw new ArgumentException($"--spec {a.Spec}: file not found.");
        if (a.Output is not null && Directory.Exists(a.Output)) throw new ArgumentException($"--output {a.Output} is a folder; expected a CSV file name.");
        Hindsight.Forecasting.Covariates.CalendarFeatures.Parse(a.Covariates.Calendar, a.Covariates.CalendarEncoding);
        if (a.Covariates.Holidays is not null && !File.Exists(a.Covariates.Holidays)) throw new ArgumentException($"--holidays {a.Covariates.Holidays}: file not found.");
        return (a.Fill, ChartFile.Parse(a.Format));
    }

    /// <summary>How the data file is read.</summary>
    public static SeriesCsvOptions Csv(ForecastArgs a) => new() { IdColumn = a.IdColumn, TimeColumn = a.TimeColumn, ValueColumn = a.ValueColumn, Fill = a.Fill };

    /// <summary>The backtest's origins, stride and refit.</summary>
    public static BacktestOptions Backtest(ForecastArgs a) => new() { Origins = a.Origins, Stride = a.Stride, Refit = a.Refit };

    /// <summary>Reads --data with its covariates; calendar and holiday columns reach <paramref name="extend"/> periods past the end (the forecast's horizon).</summary>
    public static TimeSeries Load(ForecastArgs a, MissingValuePolicy fill, int extend = 0) =>
        Hindsight.Forecasting.Covariates.CovariateCsv.Load(a.Data!, Csv(a) with { Fill = fill }, a.Covariates, extend);

    public static ForecastSettings Settings(ForecastArgs a, TimeSeries data)
    {
        int m = a.Season ?? data.Frequency.SeasonalPeriod;
        var settings = new ForecastSettings
        {
            Horizon = a.Horizon, SeasonalPeriod = m, Lookback = a.Lookback ?? ForecastSettings.DefaultLookback(m, a.Horizon), Hidden = a.Hidden, Layers = a.Layers, Epochs = a.Epochs, Steps = a.Steps, LrDecays = a.LrDecays, Validation = a.Validation,
            BatchSize = a.BatchSize, LearningRate = a.LearningRate, Patience = a.Patience, Seed = a.Seed, Strategy = a.Strategy, MinHistory = a.MinHistory,
            EtsModel = a.EtsModel, ArimaOrder = a.ArimaOrder, Loss = a.Loss, Ensemble = a.Ensemble, LookbackHorizons = a.LookbackHorizons, BlockWidth = a.BlockWidth, BlockLayers = a.BlockLayers, Stacks = a.Stacks, StackBlocks = a.StackBlocks, Auto = a.Auto, EsRnn = a.EsRnn,
            Probabilistic = a.Probabilistic with { IntervalLevels = a.Level ?? [] },
        };
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// The per-series seasons and horizons (--spec over --season-column/--horizon-column over --season/--horizon) and, without
    /// --lookback, a lookback derived per (season, horizon) group.
    /// </summary>
    public static EvaluationPlan Plan(ForecastArgs a, TimeSeries data, ForecastSettings settings)
    {
        // Without --season each series of a mixed-frequency file takes its own frequency's season.
        IReadOnlyList<SeriesSpec> specs = data.Items.Select(s => new SeriesSpec(a.Season ?? data.FrequencyOf(s).SeasonalPeriod, settings.Horizon)).ToArray();
        if (a.SeasonColumn is not null || a.HorizonColumn is not null)
            specs = SeriesSpecCsv.FromColumns(a.Data!, data, a.IdColumn, a.SeasonColumn, a.HorizonColumn, specs);
        if (a.Spec is not null) specs = SeriesSpecCsv.Load(a.Spec, data, specs);
        return new EvaluationPlan
        {
            Specs = specs,
            PerGroup = a.Lookback is null ? s => s with { Lookback = ForecastSettings.DefaultLookback(s.SeasonalPeriod, s.Horizon) } : null,
        };
    }

    /// <summary>Writes <paramref name="csv"/> to --output atomically and returns the path.</summary>
    public static string WriteOutput(string path, string csv)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Serialization.AtomicFile.EnsureFolder(folder);
        Serialization.AtomicFile.WriteAllText(path, csv);
        return path;
    }

    /// <summary>What <c>auto</c> did, for --json.</summary>
    public static AutoJson AutoSummary(AutoForecaster auto, ForecastSettings settings) => new(
        settings.SeasonalPeriod, settings.Horizon, auto.Options.Mode == AutoMode.Combine ? "combine" : "select", auto.Options.PerSeries, auto.Description,
        auto.Members.Select(m => m.Name).ToArray(), auto.CvOrigins, auto.CombinationCvMase,
        auto.Candidates.Select(c => new CandidateJson(c.Model, c.CvMase, c.Dropped)).ToArray());

    /// <summary>One line per candidate of <c>auto</c>: its cross-validated MASE or why it dropped out.</summary>
    public static string AutoLine(AutoForecaster auto) =>
        $"auto (m = {auto.SeasonalPeriod}, h = {auto.Horizon}, {auto.CvOrigins} CV origin{(auto.CvOrigins == 1 ? "" : "s")}): chose {auto.Description}" +
        (auto.CombinationCvMase is double c ? $" (CV MASE {c.ToString("G4", CultureInfo.InvariantCulture)})" : "") + "; " +
        string.Join(", ", auto.Candidates.Select(x => x.CvMase is double v ? $"{x.Model} {v.ToString("G4", CultureInfo.InvariantCulture)}" : $"{x.Model} dropped ({x.Dropped})"));

    public static IReadOnlyList<string> ModelList(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0) throw new ArgumentException("--models: no model given.");
        foreach (var n in names)
            if (!ForecastSettings.ModelNames.Contains(n) && n != "seasonal-naive" && n != "linear-ar")
                throw new ArgumentException($"--models: unknown model '{n}'; expected {string.Join(", ", ForecastSettings.ModelNames)}.");
        return names;
    }


    /// <summary>Runs <paramref name="work"/> with one progress bar per neural model when on a terminal; otherwise silently.</summary>
    public static T WithProgress<T>(IAnsiConsole console, bool show, Func<Action<Forecaster>, T> work)
    {
        if (!show) return work(_ => { });
        T result = default!;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                result = work(model =>
                {
                    Action<EpochProgress> Show(int epochs)
                    {
                        var task = ctx.AddTask(model.Name, maxValue: epochs);
                        return p =>
                        {
                            task.MaxValue = p.Epochs; // the planned epochs: fewer than the limit when the step limit ends training first
                            task.Value = p.Epoch;
                            task.Description = $"{p.Model} epoch {p.Epoch} val {(p.ValidationLoss is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}";
                        };
                    }
                    if (model is NeuralForecaster n) n.OnEpoch = Show(n.Config.Epochs);
                    else if (model is Hindsight.Forecasting.EsRnn.EsRnnForecaster e) e.OnEpoch = Show(e.Settings.Epochs);
                });
            });
        return result;
    }

    /// <summary>Reports <paramref name="ex"/> through the one error path (<see cref="CliErrors.Report"/>).</summary>
    public static int Fail(TextWriter stderr, Exception ex) => CliErrors.Report(stderr, ex);

    /// <summary>Index of the series named by --plot-series (0 when not given).</summary>
    /// <exception cref="ArgumentException">No series of that id.</exception>
    public static int PlotIndex(ForecastArgs a, TimeSeries data)
    {
        if (a.PlotSeries is null) return 0;
        for (int i = 0; i < data.Count; i++) if (data.Items[i].Id == a.PlotSeries) return i;
        throw new ArgumentException($"--plot-series: no series '{a.PlotSeries}' in {a.Data} (first ids: {string.Join(", ", data.Items.Take(5).Select(s => s.Id))}).");
    }

    public static IntervalOptions? Intervals(ForecastArgs a) => a.Level is { } levels ? new IntervalOptions { Levels = levels, CalibrationWindows = a.CalibrationWindows ?? 0, Calibration = a.Calibration } : null;

    /// <summary>Conformal intervals for the model named <paramref name="name"/> on <paramref name="data"/>, or null without --level.</summary>
    public static ConformalIntervals? Calibrate(ForecastArgs a, ForecastSettings settings, string name, TimeSeries data) =>
        Intervals(a) is { } o
            ? ConformalIntervals.Calibrate(() => settings.Create(name), data.Items.Select(s => s.Values).ToList(), settings.Horizon, o.Coverage, o.Windows(data.Count),
                data.Covariates, data.Covariates is null ? null : data.Items.Select(s => s.Covariates!).ToList())
            : null;
}

/// <summary>
/// <c>hindsight forecast</c>: forecasts the next values of every series, either with a model trained now on all the data
/// (<c>--model</c>) or with a model file written by <c>hindsight train</c> (<c>--model-file</c>, no retraining).
/// </summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var o = new ForecastCli.Options();
        var model = new Option<string>("--model") { Description = "Model to train on all the data: " + string.Join(", ", ForecastSettings.ModelNames), DefaultValueFactory = _ => "auto" };
        var modelFile = new Option<string?>("--model-file") { HelpName = "file", Description = "Model file written by 'hindsight train' (predicts without retraining; not with --model)" };
        var cmd = new Command("forecast", "Forecast the next --horizon values of every series, with a freshly trained --model or a saved --model-file.");
        foreach (var option in o.All().Append(o.Output)) cmd.Options.Add(option);
        cmd.Options.Add(model);
        cmd.Options.Add(modelFile);
        o.Out.Description = "Folder for the forecast chart (forecast.png or .svg)";
        cmd.SetAction(r => Run(o.ReadExtras(r, o.Read(r), perSeries: false) with { Models = r.GetValue(model)!, ModelGiven = r.GetResult(model) is { Implicit: false }, ModelFile = r.GetValue(modelFile) }, System.Console.Out, System.Console.Error, !System.Console.IsOutputRedirected));
        return cmd;
    }

    public static int Run(ForecastArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        MissingValuePolicy fill; ChartFormat format;
        try
        {
            (fill, format) = ForecastCli.CheckOptions(a);
            if (a.ModelFile is not null && a.ModelGiven)
                throw new ArgumentException("--model and --model-file: give one; a model file holds its own model (and settings).");
            if (a.ModelFile is null) ForecastCli.ModelList(a.Models);
            else if (!File.Exists(a.ModelFile)) throw new ArgumentException($"{a.ModelFile}: model file not found (--model-file).");
        }
        catch (ArgumentException ex) { return ForecastCli.Fail(stderr, ex); }
        try
        {
            // A model file says how it reads covariates (columns, calendar, holidays) unless the command line does.
            var file = a.ModelFile is null ? null : ForecastModelFile.Load(a.ModelFile);
            var covariates = a.Covariates.Any || file?.Covariates is null ? a.Covariates : file.Covariates;
            int extend = file is null || a.HorizonGiven ? a.Horizon : file.Settings.Horizon;
            var data = Hindsight.Forecasting.Covariates.CovariateCsv.Load(a.Data!, ForecastCli.Csv(a) with { Fill = fill }, covariates, extend, a.Covariates.Any ? null : file?.Holidays);
            if (a.Out is not null) ForecastCli.PlotIndex(a, data); // a bad --plot-series fails before training
            Hindsight.Forecasting.Covariates.CovariateCsv.CheckFuture(data, extend); // missing future covariates fail before training
            var console = CliConsole.Create(stdout, interactive);
            Forecaster model;
            ForecastSettings settings;
            ConformalIntervals? intervals;
            int horizon = a.Horizon;
            List<ForecastInput> inputs;
            if (a.ModelFile is not null)
            {
                var loaded = file!;
                model = loaded.Model; settings = loaded.Settings; intervals = loaded.Intervals;
                if (!a.HorizonGiven) horizon = settings.Horizon;
                string dataFrequency = ForecastModelFile.FrequencyTag(data.Frequency);
                if (loaded.Metadata.TryGetValue("frequency", out var trained) && trained != dataFrequency)
                    throw new InvalidDataException($"{a.Data}: the data is {data.Frequency.Name} ({dataFrequency}) but {a.ModelFile} was trained on {trained} data.");
                // A model without quantiles of its own forecasts intervals only at the level its file was calibrated at.
                if (a.Level is { } levels && model is not Hindsight.Forecasting.Probabilistic.IQuantileForecaster { QuantileMethod: not null }
                    && levels.FirstOrDefault(l => intervals is null || Math.Abs(intervals.Level * 100 - l) > 1e-9) is double level && level != 0)
                    throw new ArgumentException($"--level {level:G4}: {a.ModelFile} holds {(intervals is null ? "no intervals" : $"intervals at {intervals.Level * 100:G4}%")}; train it with --level {level:G4}.");
                if (!model.IsFitted) // a baseline learns nothing: its fit only remembers the histories
                {
                    model.FitSeries(data);
                    inputs = data.Items.Select((s, i) => new ForecastInput(i, s.Values) { Covariates = s.Covariates }).ToList();
                }
                else
                {
                    var index = loaded.SeriesIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
                    inputs = [];
                    foreach (var s in data.Items)
                    {
                        if (!index.TryGetValue(s.Id, out int i))
                            throw new InvalidDataException($"{a.Data}: series '{s.Id}' was not in the training data of {a.ModelFile} (it knows {string.Join(", ", loaded.SeriesIds.Take(5))}{(loaded.SeriesIds.Count > 5 ? ", ..." : "")}).");
                        inputs.Add(new ForecastInput(i, s.Values) { Covariates = s.Covariates });
                    }
                }
                if (model.MaxHorizon is int max && horizon > max)
                    throw new ArgumentException($"--horizon {horizon}: the model in {a.ModelFile} was trained for {max} steps.");
            }
            else
            {
                settings = ForecastCli.Settings(a, data);
                model = settings.Create(a.Models);
                var m = model;
                ForecastCli.WithProgress(console, interactive && !a.Quiet && !a.Json, configure => { configure(m); m.FitSeries(data); return 0; });
                inputs = data.Items.Select((s, i) => new ForecastInput(i, s.Values) { Covariates = s.Covariates }).ToList();
                intervals = null; // chosen below: the model's own quantiles, else conformal
            }
            if (model.CovariateSchema is not null) Hindsight.Forecasting.Covariates.CovariateCsv.CheckFuture(data, horizon);
            float[][] forecasts;
            try { forecasts = model.Predict(inputs, horizon); }
            catch (ArgumentException ex) when (Forecaster.SeriesIndex(ex) is int s && inputs.FindIndex(x => x.Series == s) is int at && at >= 0)
            {
                throw Forecaster.NameSeries(ex, data.Source, data.Items[at].Id); // inputs are in the data's order
            }
            var fan = ForecastIntervals.Compute(a, settings, model, intervals, data, inputs, horizon, forecasts);
            var bounds = fan?.Levels.Count > 0 ? fan.Bounds[0] : null;
            // The model's own notes, then forecasts that leave the sane range of their history.
            var warnings = model.Warnings.Select(w => (Id: w.Series >= 0 && inputs.FindIndex(x => x.Series == w.Series) is int at && at >= 0 ? data.Items[at].Id : "*", w.Message)).ToList();
            for (int i = 0; i < inputs.Count; i++)
                if (SaneRange.Check(Describe(model), inputs[i].History.Span, forecasts[i]) is { } note) warnings.Add((data.Items[i].Id, note));
            var files = new List<string>();
            if (a.Out is not null)
            {
                Serialization.AtomicFile.EnsureFolder(a.Out);
                var path = Path.Combine(a.Out, "forecast" + ChartFile.Extension(format));
                int shown = ForecastCli.PlotIndex(a, data);
                var chart = fan is { Levels.Count: > 0 }
                    ? ForecastCharts.FutureFan(data, shown, forecasts[shown], Describe(model), fan.Levels.Select((l, j) => (l, fan.Bounds[j][shown].Lower, fan.Bounds[j][shown].Upper)).ToList(), fan.Method)
                    : ForecastCharts.Future(data, shown, forecasts[shown], Describe(model));
                ChartFile.Save(chart, path, 1000, 500, format);
                files.Add(path);
            }
            if (a.Output is not null)
                files.Add(ForecastCli.WriteOutput(a.Output, ForecastCsv.Forecast(data, model is AutoForecaster ? "auto" : model.Name, forecasts,
                    fan is null ? [] : fan.Levels.Select((l, j) => new ForecastCsv.IntervalColumns(l, fan.Bounds[j])).ToList(),
                    fan is null ? [] : fan.QuantileLevels.Select((q, j) => new ForecastCsv.QuantileColumn(q, fan.Quantiles[j])).ToList())));
            var autoModel = model as AutoForecaster;
            if (a.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new ForecastJson(
                    a.Data, Describe(model), a.ModelFile, horizon, data.Frequency.Name,
                    data.Items.Select((s, i) => new ForecastSeriesJson(
                        s.Id,
                        Enumerable.Range(s.Length, horizon).Select(k => data.Label(s, k)).ToArray(),
                        forecasts[i],
                        bounds?[i].Lower,
                        bounds?[i].Upper,
                        fan?.Levels.Select((l, j) => new IntervalBoundsJson(l, fan.Bounds[j][i].Lower, fan.Bounds[j][i].Upper)).ToArray(),
                        fan is null || fan.QuantileLevels.Count == 0 ? null : fan.QuantileLevels.Select((q, j) => new QuantileValuesJson(q, fan.Quantiles[j][i])).ToArray())).ToArray(),
                    fan?.Levels.Count > 0 ? fan.Levels[0] : null,
                    autoModel is null ? null : ForecastCli.AutoSummary(autoModel, settings),
                    warnings.Select(w => new SeriesWarningJson(w.Id, w.Message)).ToArray(),
                    files, fan?.Levels, fan?.Method, fan?.Note)
                { Covariates = model.CovariateSchema?.Describe().ToArray() ?? [] }, JsonOut.Options));
            }
            else
            {
                console.WriteLine($"{Describe(model)}: {horizon}-step forecast of {data.Count} series ({data.Frequency.Name})");
                var table = new Table().AddColumn("series");
                bool sameEnd = data.Items.All(s => data.Label(s, s.Length) == data.Label(data.Items[0], data.Items[0].Length));
                for (int k = 0; k < horizon; k++)
                    table.AddColumn(new TableColumn(sameEnd ? data.Label(data.Items[0], data.Items[0].Length + k) : $"+{k + 1}").RightAligned());
                int shownRows = Math.Min(20, data.Count);
                // One number of decimals per step column (5 significant digits in its largest value).
                var stepText = Enumerable.Range(0, horizon).Select(k => TableNumbers.Column(forecasts.Take(shownRows).Select(f => (double?)f[k]).ToList(), 5)).ToList();
                foreach (var (s, i) in data.Items.Select((s, i) => (s, i)).Take(shownRows))
                    table.AddRow([Markup.Escape(s.Id), .. stepText.Select(column => column[i])]);
                console.Write(table);
                if (data.Count > 20) console.WriteLine($"... and {data.Count - 20} more series (all in --json)");
                if (autoModel is not null) console.WriteLine(Markup.Escape(ForecastCli.AutoLine(autoModel)));
                foreach (var w in warnings.Take(20)) console.WriteLine(Markup.Escape($"warning: '{w.Id}': {w.Message}"));
                if (warnings.Count > 20) console.WriteLine($"... and {warnings.Count - 20} more warnings (all in --json)");
                if (fan is not null) console.WriteLine(Markup.Escape(fan.Describe()));
                foreach (var f in files) console.WriteLine($"wrote {f}");
            }
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex))
        {
            return ForecastCli.Fail(stderr, ex);
        }
    }

    private static string Describe(Forecaster model) => model is AutoForecaster { Chosen: not null } auto ? $"auto ({auto.Description})" : model.Name;
}
