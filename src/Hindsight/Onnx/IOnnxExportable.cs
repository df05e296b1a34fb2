namespace Hindsight.Onnx;

/// <summary>
/// A model that writes itself as an ONNX graph. Engine layers are exported by <see cref="OnnxExporter"/> directly;
/// models built from them (a forecaster's network, a text model) implement this interface in their own assembly,
/// so the exporter never lists application types.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>
    /// Declares the graph inputs (from <see cref="OnnxExportContext.InputShape"/>), emits the model's layers through
    /// <paramref name="context"/> and declares the graph outputs.
    /// </summary>
    void ExportOnnx(OnnxExportContext context);
}
