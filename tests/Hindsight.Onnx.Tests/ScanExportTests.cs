using Hindsight.Layers;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// <see cref="OnnxExportContext.Scan"/> on its own: a float64 running sum and running maximum over a dynamic axis, with a
/// step counter state, an outer-scope weight read by the step and per-step outputs stacked on either side.
/// </summary>
public class ScanExportTests(Xunit.Abstractions.ITestOutputHelper output) : ExportTestBase(output)
{
    // y[b, t] = 2 x (running sum of x[b, ..t]) + t in float64, and the sum after the last step as a second output.
    private sealed class RunningSum : Module, IOnnxExportable
    {
        public void ExportOnnx(OnnxExportContext context)
        {
            var x = context.Input(this, "(batch, sequence)", "batch", "sequence");
            var x64 = context.Cast(x, OnnxElementType.Double, "x64");
            var two = context.Cast(context.FloatConstant("two", [2f]), OnnxElementType.Double, "two64");            // read inside the step
            var zero = context.Cast(context.FloatConstant("zero", [0f]), OnnxElementType.Double, "zero64");
            var sum0 = context.Mul(context.Narrow(x64, 0, 1, "first"), zero, "sum0");                               // (B, 1) zeros
            var (final, stacked) = context.Scan("running", [new(context.Int64Constant("t0", [0]), OnnxElementType.Int64), new(sum0, OnnxElementType.Double)],
                new(x64, OnnxElementType.Double), sequenceAxis: 1, outputAxis: 1, (body, states, xt) =>
                {
                    var sum = body.Add(states[1], body.Reshape(xt, [-1, 1], [x.Shape[0], OnnxDim.Fixed(1)], "x_t"), "sum");
                    var t = body.Cast(body.Cast(states[0], OnnxElementType.Float, "t_float"), OnnxElementType.Double, "t64");
                    var y = body.Add(body.Mul(two, sum, "twice"), t, "y");
                    return ([body.Add(states[0], body.Int64Constant("one", [1]), "t_next"), sum], [new(body.Reshape(y, [-1], [x.Shape[0]], "y_row"), OnnxElementType.Double)]);
                });
            context.Output("output", context.Cast(stacked[0], OnnxElementType.Float, "y"));
            context.Output("last_sum", context.Cast(final[1], OnnxElementType.Float, "total"));
        }
    }

    [Fact]
    public void ScanRunsTheStepOverADynamicAxis()
    {
        var bytes = OnnxExporter.ToBytes(new RunningSum(), -1, -1);
        foreach (var (b, n) in new[] { (3, 5), (1, 1), (2, 9) })
        {
            var rng = new Rng((ulong)(70 + n));
            var x = Tensor.Randn(rng, b, n);
            var y = new Tensor(b, n);
            var sum = new Tensor(b, 1);
            for (int i = 0; i < b; i++)
            {
                double s = 0;
                for (int t = 0; t < n; t++) { s += x.Data[i * n + t]; y.Data[i * n + t] = (float)(2 * s + t); }
                sum.Data[i] = (float)s;
            }
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y, ["last_sum"] = sum }, $"scan ({b}, {n})");
        }
    }
}
