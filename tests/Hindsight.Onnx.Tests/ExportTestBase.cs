using Hindsight.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>Exports, runs in ONNX Runtime, compares every output with Hindsight's forward (1e-5 relative to scale).</summary>
public abstract class ExportTestBase(ITestOutputHelper output)
{
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Compares ORT's outputs with <paramref name="expected"/> (name -> Hindsight's tensor), same shapes.</summary>
    protected void AssertMatches(byte[] model, Tensor input, IReadOnlyDictionary<string, Tensor> expected, string label, int[]? lengths = null,
        IReadOnlyDictionary<string, Tensor>? more = null)
    {
        // as written (no graph rewrites), then with every ONNX Runtime optimization on, as a deployment runs it
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var actual = OrtRunner.Run(model, input, lengths, more, level);
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
            string tag = level == GraphOptimizationLevel.ORT_ENABLE_ALL ? " (optimized)" : "";
            foreach (var (name, e) in expected)
            {
                Assert.True(e.Shape.SequenceEqual(actual[name].Shape), $"{label} {name}{tag}: ONNX Runtime shape {actual[name].ShapeString}, Hindsight {e.ShapeString}");
                Compare.Close(e, actual[name], $"{label} {name}{tag}", Output);
            }
        }
    }
}
