using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Hindsight.Tensors.Tensor;

namespace Hindsight.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime (CPU) on one float input named <c>input</c>.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, Tensor> Run(byte[] model, Tensor input, int[]? lengths = null, IReadOnlyDictionary<string, Tensor>? more = null,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_DISABLE_ALL, IReadOnlyDictionary<string, long[]>? int64s = null)
    {
        // HINDSIGHT_ONNX_DUMP=dir keeps every model run here, for tools/reference/onnx_check.py (onnx.checker)
        if (Environment.GetEnvironmentVariable("HINDSIGHT_ONNX_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            File.WriteAllBytes(Path.Combine(dump, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(model))[..16] + ".onnx"), model);
        }
        using var options = new SessionOptions { GraphOptimizationLevel = level };
        using var session = new InferenceSession(model, options);
        return Run(session, input, lengths, more, int64s);
    }

    /// <summary>
    /// Runs the session; <paramref name="lengths"/> feeds an int32 input named <c>lengths</c>, <paramref name="more"/> further
    /// float inputs, <paramref name="int64s"/> int64 vectors (one value per batch row).
    /// </summary>
    public static Dictionary<string, Tensor> Run(InferenceSession session, Tensor input, int[]? lengths = null, IReadOnlyDictionary<string, Tensor>? more = null,
        IReadOnlyDictionary<string, long[]>? int64s = null)
    {
        var feeds = new List<NamedOnnxValue> { Float("input", input) };
        if (lengths is not null) feeds.Add(NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>((int[])lengths.Clone(), [lengths.Length])));
        foreach (var (name, t) in more ?? new Dictionary<string, Tensor>()) feeds.Add(Float(name, t));
        foreach (var (name, v) in int64s ?? new Dictionary<string, long[]>()) feeds.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>((long[])v.Clone(), [v.Length])));
        using var results = session.Run(feeds);
        var outputs = new Dictionary<string, Tensor>();
        foreach (var r in results)
        {
            var t = r.AsTensor<float>();
            outputs[r.Name] = new Tensor(t.ToArray(), t.Dimensions.ToArray());
        }
        return outputs;
    }

    private static NamedOnnxValue Float(string name, Tensor t) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>((float[])t.Data.Clone(), t.Shape));
}
