using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Cli.Commands;

// The forecaster files of `hindsight train`: what their graphs take and give, and the metadata a user needs to feed them.
internal static partial class ExportCommand
{
    /// <summary>
    /// A forecaster file of <c>hindsight train</c>: its network (or its ensemble's networks and their median), on windows of
    /// scaled values taken relative to the window's last value, with the encoded covariates it was trained with and its
    /// head's outputs (<see cref="NeuralEnsembleGraph"/>); the scaler, the series, the covariate encoding and the quantile
    /// levels go into the ONNX metadata. An esrnn file: the whole forecast from a history and a series index (<see cref="EsRnnGraph"/>).
    /// </summary>
    private static ExportPlan ForecastPlan(string path)
    {
        var loaded = ForecastModelFile.Load(path);
        if (loaded.Model is EsRnnForecaster es) return EsRnnPlan(path, loaded, es);
        if (loaded.Model is not NeuralForecaster n)
            throw new NotSupportedException($"{path}: the '{loaded.Model.Name}' forecaster has no network to export; ONNX export takes the neural models (mlp, rnn, lstm, gru, jordan, nbeats, nbeatsi, nhits, esrnn).");
        var head = n.Config.Head;
        var encoder = n.CovariateEncoder;
        if (n.Config.Recursive && head.IsProbabilistic)
            throw new NotSupportedException($"{path}: the {n.Name} model forecasts recursively (--strategy recursive) with a {head.Method} head ({(head.Kind == HeadKind.Quantiles ? "--quantiles" : "--distribution")}), from sample paths drawn at random (--samples), which a graph does not reproduce; ONNX export takes probabilistic models trained with --strategy direct.");
        var graph = new NeuralEnsembleGraph(n.Members, encoder);
        int members = n.Members.Count;
        // The library's rule (NeuralEnsembleGraph.Emit refuses the same), said with the flags.
        if (members > 1 && n.Config.Recursive && graph.TakesLengths)
            throw new NotSupportedException($"{path}: the {n.Name} model is an ensemble of {members} recursive networks (--strategy recursive) trained on short windows (--min-history); ONNX export takes such a model with --ensemble 1, or an ensemble without --min-history.");
        int lookback = graph.Lookback, h = n.Config.Horizon, o = members == 1 ? n.Config.OutputSteps : graph.Horizon;
        bool lengths = graph.TakesLengths;
        var meta = new Dictionary<string, string>
        {
            [KindKey] = "forecast",
            ["model"] = n.Name,
            ["lookback"] = Invariant(lookback),
            ["horizon"] = Invariant(h),
            ["recursive"] = n.Config.Recursive ? "true" : "false",
            ["series"] = JsonSerializer.Serialize(loaded.SeriesIds),
            ["scaler.mean"] = JsonSerializer.Serialize(n.Scaler!.Mean),
            ["scaler.std"] = JsonSerializer.Serialize(n.Scaler!.Std),
            ["input"] = "z[t-L+1..t] - z[t] with z = (value - scaler.mean[series]) / scaler.std[series]",
            ["output"] = (members == 1 ? "z[t+1..t+O] - z[t]" : "median over members of z[t+1..t+H] - z[t]") + (head.IsProbabilistic ? " at the head's median" : ""),
            ["head"] = head.Method,
        };
        if (members > 1)
        {
            meta["members"] = Invariant(members);
            meta["members.lookback"] = JsonSerializer.Serialize(graph.Lookbacks);
            meta["combine"] = "median";
        }
        HeadMetadata(meta, head, members);
        if (encoder is not null)
        {
            meta["covariates.past"] = JsonSerializer.Serialize(encoder.Schema.Past);
            meta["covariates.future"] = JsonSerializer.Serialize(encoder.Schema.Future);
            meta["covariates.static"] = JsonSerializer.Serialize(encoder.Schema.Static);
            // the model file's own entries: the fitted encoder (scaling statistics, levels), the columns and calendar encoders, the holidays
            foreach (var key in new[] { "covariates.encoder", "covariates.options", "covariates.holidays" })
                if (loaded.Metadata.TryGetValue(key, out var value)) meta[key] = value;
            meta["covariates.encoding"] = "past[j] and scaled future[j]: (value - encoder.PastMean[j]) / encoder.PastStd[j] (Future likewise); calendar and holiday columns as they are; "
                + "static: numeric (value - StaticMean[j]) / StaticStd[j], categorical one-hot over Levels[j], in column order";
        }
        // One point network without covariates exports as itself (the graph it always had); otherwise the graph of the members, their head and their median.
        Module module = members == 1 && !head.IsProbabilistic && encoder is null ? n.Net : graph;
        string ensemble = members == 1 ? "" : $" ensemble of {members}";
        var inputs = new List<string> { $"input (batch, {lookback}) scaled window minus its last value{(members > 1 ? $" (member lookbacks {string.Join(", ", graph.Lookbacks)}: each reads the last ones)" : "")}" };
        if (lengths) inputs.Add("lengths (batch) int32: valid leading values of short windows");
        if (encoder is { PastWidth: > 0 }) inputs.Add($"past (batch, {lookback}, {encoder.PastWidth}) scaled past covariates at the window's steps");
        if (encoder is { FutureWidth: > 0 }) inputs.Add($"future (batch, {lookback} + {h}, {encoder.FutureWidth}) future covariates at the window's steps, then the {h} forecast steps");
        if (encoder is { StaticWidth: > 0 }) inputs.Add($"static (batch, {encoder.StaticWidth}) scaled numeric and one-hot categorical statics");
        if (head.Kind == HeadKind.NegativeBinomial) inputs.Add($"count_scale (batch, {members}) 1 + mean |value| over each member's window");
        return new($"forecast {n.Name}{ensemble}{(head.IsProbabilistic ? $" {head.Method}" : "")}", module, [-1, lookback], new OnnxExportOptions { Lengths = lengths, Metadata = meta },
            [.. inputs], Outputs(n, head, o, members));
    }

    // The graph's outputs as the CLI describes them.
    private static string[] Outputs(NeuralForecaster n, OutputHead head, int o, int members)
    {
        string shape = members == 1 ? $"(batch, {o})" : $"(batch, {members}, {o})";
        string point = $"output (batch, {o}) {(members == 1 ? "" : "median over members of ")}the {(head.IsProbabilistic ? "median " : "")}change of the scaled series from the last value"
            + (n.Config.Recursive ? members == 1 ? " (one step; feed it back)" : " (each member's steps fed back inside the graph)" : "");
        return head.Kind switch
        {
            HeadKind.Point => [point],
            HeadKind.Quantiles => [point, $"quantiles (batch, {o}, {head.Levels.Length}) at the levels in metadata 'quantiles', in the units of output{(members == 1 ? "" : " (per-level median over members)")}"],
            HeadKind.Gaussian => [point, $"loc {shape}", $"scale {shape} in the units of output"],
            HeadKind.StudentT => [point, $"df {shape}", $"loc {shape}", $"scale {shape} in the units of output"],
            _ => [$"mean {shape}", $"alpha {shape} of the negative binomial, in counts"],
        };
    }

    // What a user needs to read a head's outputs.
    private static void HeadMetadata(Dictionary<string, string> meta, OutputHead head, int members)
    {
        string shape = members == 1 ? "(batch, horizon)" : "(batch, members, horizon): each member's, for the library's per-level median over members of their quantiles";
        switch (head.Kind)
        {
            case HeadKind.Quantiles:
                meta["quantiles"] = JsonSerializer.Serialize(head.Levels);
                meta["quantiles.output"] = "quantiles (batch, horizon, levels) in the units of output: value = (q + z[t]) * scaler.std[series] + scaler.mean[series]";
                break;
            case HeadKind.Gaussian or HeadKind.StudentT:
                meta["distribution"] = head.Method;
                meta["distribution.output"] = $"{(head.Kind == HeadKind.StudentT ? "df, " : "")}loc, scale {shape}: in data units loc' = (loc + z[t]) * scaler.std[series] + scaler.mean[series], scale' = scale * scaler.std[series]"
                    + (head.Kind == HeadKind.StudentT ? "; df as it is" : "") + "; quantile at p: loc' + scale' * the standard quantile";
                break;
            case HeadKind.NegativeBinomial:
                meta["distribution"] = head.Method;
                meta["distribution.output"] = $"mean, alpha {shape} in counts: variance mean + alpha * mean^2 (scipy nbinom n = 1/alpha, p = 1/(1 + alpha * mean)); the median is the quantile at 0.5";
                meta["count_scale"] = "1 + the mean absolute value (data units) of the last min(members.lookback[j], history) values, one column per member (lookback for one network)";
                break;
        }
    }

    /// <summary>An esrnn file: the whole forecast from a history (shift, smoothing, normalisation, networks, re-level, median); the coefficients are also metadata.</summary>
    private static ExportPlan EsRnnPlan(string path, LoadedForecaster loaded, EsRnnForecaster es)
    {
        // esrnn's graph forecasts a point from the history alone; a head or covariates would be dropped, so refuse them by name
        if ((Forecaster)es is IQuantileForecaster { QuantileMethod: { } method })
            throw new NotSupportedException($"{path}: the esrnn model predicts {method} (--quantiles or --distribution); ONNX export of esrnn carries its point forecast only.");
        if (es.CovariateSchema is not null)
            throw new NotSupportedException($"{path}: the esrnn model was trained with covariates ({string.Join(", ", es.CovariateSchema.Describe())}; --past, --future, --static, --calendar, --holidays); ONNX export of esrnn takes none.");
        var s = es.Settings;
        int l = s.Lookback, h = s.Horizon, members = es.Nets.Count;
        var meta = new Dictionary<string, string>
        {
            [KindKey] = "forecast",
            ["model"] = es.Name,
            ["lookback"] = Invariant(l),
            ["horizon"] = Invariant(h),
            ["season"] = Invariant(s.SeasonalPeriod),
            ["members"] = Invariant(members),
            ["series"] = JsonSerializer.Serialize(loaded.SeriesIds),
            ["shift"] = JsonSerializer.Serialize(es.Shift),
            // per member: alpha and gamma per series, and the logs of the m initial seasonal indices per series
            ["smoothing"] = JsonSerializer.Serialize(es.Smoothings.Select(m => new
            {
                alpha = Enumerable.Range(0, m.SeriesCount).Select(m.Alpha).ToArray(),
                gamma = Enumerable.Range(0, m.SeriesCount).Select(m.Gamma).ToArray(),
                initial_season = m.InitialSeason is { } c ? Enumerable.Range(0, m.SeriesCount).Select(i => c.Data.AsSpan(i * m.Season, m.Season).ToArray()).ToArray() : null,
            })),
            ["input"] = $"the last n >= {l} values of each series (one n per call) and its index in 'series'",
            ["output"] = "the forecast in data units: median over members of the smoothed, normalised network forecasts, re-leveled and re-seasonalised",
        };
        return new($"forecast esrnn{(members > 1 ? $" ensemble of {members}" : "")}", new EsRnnGraph(es), [-1, -1], new OnnxExportOptions { Metadata = meta },
            [$"input (batch, history) the last values of each series (at least {l}; one length per call)", "series (batch) int64: each row's series index (metadata 'series')"],
            [$"output (batch, {h}) forecast (median over members)"]);
    }
}
