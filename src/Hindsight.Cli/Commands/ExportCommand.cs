using System.CommandLine;
using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;
using Hindsight.Serialization;
using Hindsight.Text;

namespace Hindsight.Cli.Commands;

/// <summary>What <c>hindsight export</c> was asked to do.</summary>
internal sealed record ExportArgs
{
    public required string Model { get; init; }
    public string? Out { get; init; }
    public bool InitialState { get; init; }
    public bool Json { get; init; }
}

/// <summary>
/// <c>hindsight export</c>: a model file written by <c>train</c> (neural forecasters), <c>generate train</c> or <c>langid</c> to an ONNX file
/// (opset 17) with dynamic sequence length and batch size, ready for ONNX Runtime.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The metadata entry naming which command wrote a model file.</summary>
    private const string KindKey = "hindsight.kind";

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A .safetensors model file written by 'train' (the neural models), 'generate train' or 'langid'" };
        var output = new Option<string>("--out") { HelpName = "file", Description = "The ONNX file to write (default: the model file with .onnx)" };
        var state = new Option<bool>("--initial-state") { Description = "generate models: add inputs h0 (and c0) so a sampler can carry the state from call to call (default: zero state)" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object and nothing else" };
        var cmd = new Command("export", "Export a trained model to ONNX (opset 17; dynamic batch and sequence length); the file runs in ONNX Runtime.")
        {
            model, output, state, json,
        };
        cmd.SetAction(r => Run(new ExportArgs { Model = r.GetValue(model)!, Out = r.GetValue(output), InitialState = r.GetValue(state), Json = r.GetValue(json) }, Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>Exports; a missing or foreign file, or a bad option, prints one line on <paramref name="stderr"/> and returns 2.</summary>
    public static int Run(ExportArgs a, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (!File.Exists(a.Model)) throw new FileNotFoundException($"{a.Model}: model file not found.");
            string target = a.Out ?? Path.ChangeExtension(a.Model, ".onnx");
            if (Directory.Exists(target)) throw new ArgumentException($"--out {target} is a folder; expected a file name.");
            var plan = Plan(a.Model, a.InitialState);
            OnnxExporter.Export(plan.Module, target, plan.Shape, plan.Options);
            var (kind, inputs, outputs) = (plan.Kind, plan.Inputs, plan.Outputs);
            long bytes = new FileInfo(target).Length;
            if (a.Json)
                stdout.WriteLine(JsonSerializer.Serialize(new ExportJson(a.Model, target, kind, OnnxExporter.Opset, OnnxExporter.IrVersion, inputs, outputs, bytes), JsonOut.Options));
            else
            {
                stdout.WriteLine($"wrote {target} ({kind}, opset {OnnxExporter.Opset}, {bytes} bytes)");
                stdout.WriteLine($"  inputs:  {string.Join(", ", inputs)}");
                stdout.WriteLine($"  outputs: {string.Join(", ", outputs)}");
            }
            return 0;
        }
        catch (NotSupportedException ex) // the model cannot be exported: a usage error
        {
            stderr.WriteLine($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return CliErrors.BadInput;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }

    /// <summary>What to export from a model file: the module, its input shape and options, and the graph described.</summary>
    private sealed record ExportPlan(string Kind, Module Module, int[] Shape, OnnxExportOptions Options, string[] Inputs, string[] Outputs);

    private static ExportPlan Plan(string path, bool initialState)
    {
        var metadata = SafeTensors.Load(path).Metadata;
        if (metadata.TryGetValue("format", out var format) && format == ForecastModelFile.Format)
        {
            if (initialState) throw new ArgumentException("--initial-state: a forecasting model reads each window from a zero state; the option is for generate models.");
            return ForecastPlan(path);
        }
        metadata.TryGetValue(KindKey, out var kind);
        switch (kind)
        {
            case "generate":
            {
                var (m, _) = CharLanguageModel.Load(path);
                int a = m.Alphabet.Count;
                string[] inputs = [$"input (sequence, batch, {a}) one-hot letters"];
                if (initialState) inputs = [.. inputs, $"h0 ({m.NumLayers}, batch, {m.HiddenSize})"];
                if (initialState && !m.IsGru) inputs = [.. inputs, $"c0 ({m.NumLayers}, batch, {m.HiddenSize})"];
                string[] outputs = [$"logits (sequence, batch, {a})", $"h_n ({m.NumLayers}, batch, {m.HiddenSize})"];
                if (!m.IsGru) outputs = [.. outputs, $"c_n ({m.NumLayers}, batch, {m.HiddenSize})"];
                var meta = new Dictionary<string, string> { [KindKey] = "generate", ["architecture"] = m.ArchitectureName, ["alphabet"] = m.Alphabet.Letters };
                return new($"generate {m.ArchitectureName}", m, [-1, -1, a], new OnnxExportOptions { InitialState = initialState, Metadata = meta }, inputs, outputs);
            }
            case "langid":
            {
                var (m, _) = LanguageIdModel.Load(path);
                if (initialState) throw new ArgumentException("--initial-state: a langid model reads each word from a zero state; the option is for generate models.");
                int a = m.Alphabet.Count, l = m.Languages.Count;
                string name = LanguageIdModel.Name(m.Architecture);
                var meta = new Dictionary<string, string>
                {
                    [KindKey] = "langid", ["architecture"] = name, ["alphabet"] = m.Alphabet.Letters, ["languages"] = JsonSerializer.Serialize(m.Languages),
                };
                if (m.Network is RnnCell cell)
                    return new($"langid {name}", cell, [-1, -1, a], new OnnxExportOptions { RnnCellOverSequence = true, Metadata = meta },
                        [$"input (sequence, batch, {a}) one-hot letters of words of one length (no padding: the seed's cell reads every step)"],
                        [$"output (batch, {l}) log-probabilities after the last letter", $"hidden_out (batch, {m.HiddenSize})"]);
                return new($"langid {name}", m.Network, [-1, -1, a], new OnnxExportOptions { Metadata = meta },
                    [$"input (sequence, batch, {a}) one-hot letters, zero padded", "lengths (batch) int32"],
                    [$"logits (batch, {l})", $"log_probs (batch, {l})"]);
            }
            default:
                throw new InvalidDataException($"{path}: metadata '{KindKey}' is {(kind is null ? "missing" : $"'{kind}'")}; export reads model files written by 'train', 'generate train' or 'langid'.");
        }
    }

    /// <summary>
    /// A forecaster file of <c>hindsight train</c>: its network (or its ensemble's networks and their median), on windows of
    /// scaled values taken relative to the window's last value; the scaler and the series go into the ONNX metadata. An esrnn
    /// file: the whole forecast from a history and a series index (<see cref="EsRnnGraph"/>).
    /// </summary>
    private static ExportPlan ForecastPlan(string path)
    {
        var loaded = ForecastModelFile.Load(path);
        if (loaded.Model is EsRnnForecaster es)
        {
            if (es.Head.IsProbabilistic) // EsRnnGraph refuses the same; said with the flags
                throw new NotSupportedException($"{path}: the esrnn model predicts {es.Head.Method} (--quantiles or --distribution); ONNX export takes point-forecast esrnn models for now.");
            return EsRnnPlan(loaded, es);
        }
        if (loaded.Model is not NeuralForecaster n)
            throw new NotSupportedException($"{path}: the '{loaded.Model.Name}' forecaster has no network to export; ONNX export takes the neural models (mlp, rnn, lstm, gru, jordan, nbeats, nbeatsi, nhits, esrnn).");
        if (n.Config.Head.IsProbabilistic)
            throw new NotSupportedException($"{path}: the {n.Name} model predicts {n.Config.Head.Method} (--quantiles or --distribution); ONNX export takes point-forecast models for now.");
        var graph = new NeuralEnsembleGraph(n.Members);
        // The library's rule (NeuralEnsembleGraph.Emit refuses the same), said with the flags.
        if (n.Members.Count > 1 && n.Config.Recursive && graph.TakesLengths)
            throw new NotSupportedException($"{path}: the {n.Name} model is an ensemble of {n.Members.Count} recursive networks (--strategy recursive) trained on short windows (--min-history); ONNX export takes such a model with --ensemble 1, or an ensemble without --min-history.");
        int lookback = graph.Lookback, o = n.Members.Count == 1 ? n.Config.OutputSteps : graph.Horizon;
        bool lengths = graph.TakesLengths;
        var meta = new Dictionary<string, string>
        {
            [KindKey] = "forecast",
            ["model"] = n.Name,
            ["lookback"] = Invariant(lookback),
            ["horizon"] = Invariant(n.Config.Horizon),
            ["recursive"] = n.Config.Recursive ? "true" : "false",
            ["series"] = JsonSerializer.Serialize(loaded.SeriesIds),
            ["scaler.mean"] = JsonSerializer.Serialize(n.Scaler!.Mean),
            ["scaler.std"] = JsonSerializer.Serialize(n.Scaler!.Std),
            ["input"] = "z[t-L+1..t] - z[t] with z = (value - scaler.mean[series]) / scaler.std[series]",
            ["output"] = n.Members.Count == 1 ? "z[t+1..t+O] - z[t]" : "median over members of z[t+1..t+H] - z[t]",
        };
        if (n.Members.Count > 1)
        {
            meta["members"] = Invariant(n.Members.Count);
            meta["members.lookback"] = JsonSerializer.Serialize(graph.Lookbacks);
            meta["combine"] = "median";
        }
        // One network exports as itself (the graph it always had); an ensemble as its members and their median.
        Module module = n.Members.Count == 1 ? n.Net : graph;
        string members = n.Members.Count == 1 ? "" : $" ensemble of {n.Members.Count}";
        string[] inputs = [$"input (batch, {lookback}) scaled window minus its last value{(n.Members.Count > 1 ? $" (member lookbacks {string.Join(", ", graph.Lookbacks)}: each reads the last ones)" : "")}"];
        if (lengths) inputs = [.. inputs, "lengths (batch) int32: valid leading values of short windows"];
        string output = n.Members.Count == 1 ? "change" : "median over members of the change";
        return new($"forecast {n.Name}{members}", module, [-1, lookback], new OnnxExportOptions { Lengths = lengths, Metadata = meta }, inputs,
            [$"output (batch, {o}) {output} of the scaled series from the last value{(n.Config.Recursive ? n.Members.Count == 1 ? " (one step; feed it back)" : " (each member's steps fed back inside the graph)" : "")}"]);
    }

    /// <summary>An esrnn file: the whole forecast from a history (shift, smoothing, normalisation, networks, re-level, median); the coefficients are also metadata.</summary>
    private static ExportPlan EsRnnPlan(LoadedForecaster loaded, EsRnnForecaster es)
    {
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

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
