using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Lesson;

/// <summary>The lesson's models as ONNX graphs: windows (batch, sequence) in, one prediction per step out.</summary>
internal static class LessonOnnx
{
    /// <summary>x (B,T) -> (B,T,1) -> batch-first recurrent layer -> Linear on every step (B,T,1) -> (B,T).</summary>
    public static void RecurrentPerStep(Module model, OnnxExportContext context)
    {
        var x = context.Input(model, "(batch, sequence)", "batch", "sequence");
        var rnn = model.NamedChildren().Single(c => c.Module is RecurrentBase);
        var head = model.NamedChildren().Single(c => c.Module is Linear);
        var (y, _, _) = context.Recurrent((RecurrentBase)rnn.Module, rnn.Name, context.AsSteps(x, "input_steps"));
        var p = context.Linear((Linear)head.Module, head.Name, y);
        context.Output("output", context.DropFeature(p, "prediction"));
    }
}

public sealed partial class SimpleRnnModel
{
    /// <summary>Windows (batch, sequence) to one prediction per step (batch, sequence).</summary>
    public void ExportOnnx(OnnxExportContext context) => LessonOnnx.RecurrentPerStep(this, context);
}

public sealed partial class GatedModel
{
    /// <summary>Windows (batch, sequence) to one prediction per step (batch, sequence).</summary>
    public void ExportOnnx(OnnxExportContext context) => LessonOnnx.RecurrentPerStep(this, context);
}

public sealed partial class JordanModel
{
    /// <summary>x (B,T) -> (B,T,1) -> batch-first Jordan from zero outputs -> (B,T,1) -> (B,T).</summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(batch, sequence)", "batch", "sequence");
        var (name, jordan) = NamedChildren().Single();
        var (y, _) = context.Jordan((Jordan)jordan, name, context.AsSteps(x, "input_steps"));
        context.Output("output", context.DropFeature(y, "prediction"));
    }
}

public sealed partial class FullyConnectedModel
{
    /// <summary>Windows (batch, sequence) through the fully connected stack to (batch, sequence).</summary>
    public void ExportOnnx(OnnxExportContext context)
    {
        var x = context.Input(this, "(batch, sequence)", "batch", "sequence");
        var (name, net) = NamedChildren().Single();
        context.Output("output", context.Layer((Layer)net, name, x));
    }
}
