using System.CommandLine;
using Hindsight.Forecasting;

namespace Hindsight.Cli.Commands;

/// <summary>
/// <c>hindsight backtest</c>: rolling-origin evaluation over --origins forecast origins --stride apart, refitting at every
/// origin with --refit or fitting once and predicting every origin in one batched call.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var o = new ForecastCli.Options();
        var models = new Option<string>("--models") { Description = "Models, comma-separated: " + string.Join(",", ForecastSettings.ModelNames) + " (snaive is always added)", DefaultValueFactory = _ => "naive,drift,ar,mlp,gru" };
        // From BacktestOptions (declared there once).
        var origins = SettingOptions.For<BacktestOptions, int>(nameof(BacktestOptions.Origins));
        var stride = SettingOptions.For<BacktestOptions, int?>(nameof(BacktestOptions.Stride));
        var refit = SettingOptions.For<BacktestOptions, bool>(nameof(BacktestOptions.Refit));
        o.Out.Description = "Folder for the backtest chart (backtest.png or .svg)";
        var cmd = new Command("backtest", "Rolling-origin backtest: metrics over several forecast origins per series, seasonal naive as the reference.");
        foreach (var option in o.All().Concat(o.PerSeries()).Append(o.Output)) cmd.Options.Add(option);
        cmd.Options.Add(models);
        cmd.Options.Add(origins);
        cmd.Options.Add(stride);
        cmd.Options.Add(refit);
        cmd.SetAction(r => EvaluateCommand.Run(o.ReadExtras(r, o.Read(r), perSeries: true) with { Models = r.GetValue(models)!, Origins = r.GetValue(origins), Stride = r.GetValue(stride), Refit = r.GetValue(refit) },
            Console.Out, Console.Error, !Console.IsOutputRedirected, backtest: true));
        return cmd;
    }
}
