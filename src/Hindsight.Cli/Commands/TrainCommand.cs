using System.CommandLine;
using System.Text.Json;
using Hindsight.Forecasting;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>
/// <c>hindsight train</c>: fits one model on all the data (the neural models keep a validation tail for early stopping)
/// and saves it, with its settings and scaler, to one safetensors file for <c>hindsight forecast --model-file</c>.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var o = new ForecastCli.Options();
        var model = new Option<string>("--model") { Description = "Model: " + string.Join(", ", ForecastSettings.ModelNames), DefaultValueFactory = _ => "gru" };
        var save = new Option<string>("--model-file") { HelpName = "file", Description = "Where to write the model (.safetensors)", Required = true };
        o.Out.Description = "Folder for the training-loss chart (training.png or .svg; neural models only)";
        var cmd = new Command("train", "Train one model on all the data and save it (weights, settings and scaler) to a safetensors file.");
        foreach (var option in o.All().Where(x => x != o.PlotSeries)) cmd.Options.Add(option);
        cmd.Options.Add(model);
        cmd.Options.Add(save);
        cmd.SetAction(r => Run(o.Read(r) with { Models = r.GetValue(model)!, ModelFile = r.GetValue(save) }, Console.Out, Console.Error, !Console.IsOutputRedirected));
        return cmd;
    }

    public static int Run(ForecastArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        MissingValuePolicy fill;
        Plots.ChartFormat format;
        try
        {
            (fill, format) = ForecastCli.CheckOptions(a);
            var names = ForecastCli.ModelList(a.Models);
            if (names.Count != 1) throw new ArgumentException($"--model: train saves one model, got {names.Count}.");
            if (string.IsNullOrWhiteSpace(a.ModelFile)) throw new ArgumentException("--model-file is required.");
            if (Directory.Exists(a.ModelFile)) throw new ArgumentException($"--model-file {a.ModelFile} is a folder; expected a file name.");
        }
        catch (ArgumentException ex) { return ForecastCli.Fail(stderr, ex); }
        try
        {
            var data = ForecastCli.Load(a, fill);
            var settings = ForecastCli.Settings(a, data);
            var console = CliConsole.Create(stdout, interactive);
            var model = settings.Create(a.Models);
            var started = System.Diagnostics.Stopwatch.StartNew();
            ForecastCli.WithProgress(console, interactive && !a.Quiet && !a.Json, configure => { configure(model); model.FitSeries(data); return 0; });
            double seconds = started.Elapsed.TotalSeconds;
            var dir = Path.GetDirectoryName(Path.GetFullPath(a.ModelFile!));
            if (dir is not null) Serialization.AtomicFile.EnsureFolder(dir);
            var saved = model is AutoForecaster auto ? auto.Chosen! : model;
            // A model with quantiles of its own (a quantile or distribution head, analytic intervals) needs no calibration.
            var intervals = saved is Hindsight.Forecasting.Probabilistic.IQuantileForecaster { QuantileMethod: not null } ? null : ForecastCli.Calibrate(a, settings, saved.Name, data);
            seconds = started.Elapsed.TotalSeconds;
            var holidays = a.Covariates.Holidays is null ? null : Hindsight.Forecasting.Covariates.HolidayCalendar.Load(a.Covariates.Holidays, a.Covariates.HolidaysByName);
            ForecastModelFile.Save(a.ModelFile!, model, settings, data.Items.Select(s => s.Id).ToList(), data.Frequency, intervals, a.Covariates, holidays);
            var summary = (saved as NeuralForecaster)?.Summary;
            var files = new List<string>();
            if (a.Out is not null && summary is not null)
            {
                Serialization.AtomicFile.EnsureFolder(a.Out);
                var chart = Path.Combine(a.Out, "training" + Plots.ChartFile.Extension(format));
                Plots.ChartFile.Save(Plots.ForecastCharts.Training(saved.Name, summary), chart, 900, 450, format);
                files.Add(chart);
            }
            if (a.Json)
                stdout.WriteLine(JsonSerializer.Serialize(new TrainJson(
                    Model: saved.Name, SelectedBy: model is AutoForecaster ? "auto" : null, ModelFile: a.ModelFile, Data: a.Data, Series: data.Count,
                    Horizon: settings.Horizon, Lookback: settings.Lookback, SeasonalPeriod: settings.SeasonalPeriod,
                    Parameters: (saved as NeuralForecaster)?.Net.ParameterCount ?? (saved as LinearArForecaster)?.Coefficients.Count ?? 0,
                    EpochsRun: summary?.EpochsRun, BestEpoch: summary?.BestEpoch, BestValidationLoss: summary?.BestValidationLoss, Seconds: seconds,
                    Level: intervals is null ? null : intervals.Level * 100, IntervalWidth: intervals?.Width,
                    TrainLosses: summary?.TrainLosses, ValidationLosses: summary?.ValidationLosses, Files: files)
                { Covariates = saved.CovariateSchema?.Describe().ToArray() ?? [] }, JsonOut.Options));
            else
                console.WriteLine($"trained {saved.Name}{(model is AutoForecaster ? " (chosen by auto)" : "")} on {data.Count} series in {seconds:F1} s" +
                    (summary is null ? "" : summary.ValidationWindows > 0 ? $" ({summary.EpochsRun} epochs, best {summary.BestEpoch})" : $" ({summary.EpochsRun} epochs, {summary.Steps} steps)") + $"; wrote {string.Join(", ", files.Prepend(a.ModelFile!))}");
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex))
        {
            return ForecastCli.Fail(stderr, ex);
        }
    }
}
