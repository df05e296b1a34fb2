using System.CommandLine;
using System.Text.Json;
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
/// <c>hindsight export</c>: a model file written by <c>generate train</c> or <c>langid</c> to an ONNX file
/// (opset 17) with dynamic sequence length and batch size, ready for ONNX Runtime.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The metadata entry naming which command wrote a model file.</summary>
    private const string KindKey = "hindsight.kind";

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A .safetensors model file written by 'generate train' or 'langid'" };
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
            var (kind, module, shape, state, cellOverSequence, inputs, outputs) = Load(a.Model, a.InitialState);
            OnnxExporter.Export(module, target, shape, new OnnxExportOptions { InitialState = state, RnnCellOverSequence = cellOverSequence });
            long bytes = new FileInfo(target).Length;
            if (a.Json)
                stdout.WriteLine(JsonSerializer.Serialize(new { model = a.Model, onnx = target, kind, opset = OnnxExporter.Opset, irVersion = OnnxExporter.IrVersion, inputs, outputs, bytes }, JsonOut.Options));
            else
            {
                stdout.WriteLine($"wrote {target} ({kind}, opset {OnnxExporter.Opset}, {bytes} bytes)");
                stdout.WriteLine($"  inputs:  {string.Join(", ", inputs)}");
                stdout.WriteLine($"  outputs: {string.Join(", ", outputs)}");
            }
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException || CliErrors.IsUserError(ex))
        {
            stderr.WriteLine($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return CliErrors.BadInput;
        }
    }

    /// <summary>The module inside a model file, the input shape to export it with, and the graph's inputs and outputs described.</summary>
    private static (string Kind, Module Module, int[] Shape, bool InitialState, bool CellOverSequence, string[] Inputs, string[] Outputs) Load(string path, bool initialState)
    {
        var metadata = SafeTensors.Load(path).Metadata;
        metadata.TryGetValue(KindKey, out var kind);
        switch (kind)
        {
            case "generate":
            {
                var (m, _) = CharLanguageModel.Load(path);
                int a = m.Alphabet.Count;
                string[] outputs = [$"logits (sequence, batch, {a})", $"h_n ({m.NumLayers}, batch, {m.HiddenSize})"];
                if (!m.IsGru) outputs = [.. outputs, $"c_n ({m.NumLayers}, batch, {m.HiddenSize})"];
                string[] inputs = [$"input (sequence, batch, {a}) one-hot letters"];
                if (initialState) inputs = [.. inputs, $"h0 ({m.NumLayers}, batch, {m.HiddenSize})"];
                if (initialState && !m.IsGru) inputs = [.. inputs, $"c0 ({m.NumLayers}, batch, {m.HiddenSize})"];
                return ($"generate {m.ArchitectureName}", m, [-1, -1, a], initialState, false, inputs, outputs);
            }
            case "langid":
            {
                var (m, _) = LanguageIdModel.Load(path);
                if (initialState) throw new ArgumentException("--initial-state: a langid model reads each word from a zero state; the option is for generate models.");
                int a = m.Alphabet.Count, l = m.Languages.Count;
                string name = $"langid {LanguageIdModel.Name(m.Architecture)}";
                if (m.Network is RnnCell cell)
                    return (name, cell, [-1, -1, a], false, true,
                        [$"input (sequence, batch, {a}) one-hot letters of words of one length (no padding: the seed's cell reads every step)"],
                        [$"output (batch, {l}) log-probabilities after the last letter", $"hidden_out (batch, {m.HiddenSize})"]);
                return (name, m.Network, [-1, -1, a], false, false,
                    [$"input (sequence, batch, {a}) one-hot letters, zero padded", "lengths (batch) int32"],
                    [$"logits (batch, {l})", $"log_probs (batch, {l})"]);
            }
            default:
                throw new InvalidDataException($"{path}: metadata '{KindKey}' is {(kind is null ? "missing" : $"'{kind}'")}; export reads model files written by 'generate train' or 'langid'.");
        }
    }
}
