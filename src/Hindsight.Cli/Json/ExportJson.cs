namespace Hindsight.Cli.Json;

/// <summary><c>hindsight export --json</c> (fields in docs/json.md).</summary>
/// <param name="Model">The model file read.</param>
/// <param name="Onnx">The ONNX file written.</param>
/// <param name="Kind">What the model is: <c>forecast</c>, <c>langid</c>, ...</param>
/// <param name="Opset">ONNX opset.</param>
/// <param name="IrVersion">ONNX IR version.</param>
/// <param name="Inputs">Graph input names.</param>
/// <param name="Outputs">Graph output names.</param>
/// <param name="Bytes">Size of the ONNX file.</param>
internal sealed record ExportJson(string Model, string Onnx, string Kind, int Opset, int IrVersion, string[] Inputs, string[] Outputs, long Bytes);
