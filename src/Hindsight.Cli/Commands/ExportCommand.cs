using System.CommandLine;
using System.Text.Json;
using Hindsight.Forecasting;
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
internal static partial class ExportCommand
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

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
