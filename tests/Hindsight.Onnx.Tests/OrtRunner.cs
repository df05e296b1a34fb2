using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Hindsight.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime (CPU) on one float input named <c>input</c>.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, Tensor> Run(byte[] model, Tensor input, int[]? lengths = null)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        return Run(session, input, lengths);
    }

    /// <summary>Runs the session; <paramref name="lengths"/> feeds an int32 input named <c>lengths</c>.</summary>
    public static Dictionary<string, Tensor> Run(InferenceSession session, Tensor input, int[]? lengths = null)
    {
        var x = new DenseTensor<float>((float[])input.Data.Clone(), input.Shape);
        var feeds = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input", x) };
        if (lengths is not null) feeds.Add(NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>((int[])lengths.Clone(), [lengths.Length])));
        using var results = session.Run(feeds);
        var outputs = new Dictionary<string, Tensor>();
        foreach (var r in results)
        {
            var t = r.AsTensor<float>();
            outputs[r.Name] = new Tensor(t.ToArray(), t.Dimensions.ToArray());
        }
        return outputs;
    }
}
