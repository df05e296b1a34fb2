using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Hindsight.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime (CPU) on one float input named <c>input</c>.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, Tensor> Run(byte[] model, Tensor input)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        return Run(session, input);
    }

    public static Dictionary<string, Tensor> Run(InferenceSession session, Tensor input)
    {
        var x = new DenseTensor<float>((float[])input.Data.Clone(), input.Shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", x)]);
        var outputs = new Dictionary<string, Tensor>();
        foreach (var r in results)
        {
            var t = r.AsTensor<float>();
            outputs[r.Name] = new Tensor(t.ToArray(), t.Dimensions.ToArray());
        }
        return outputs;
    }
}
