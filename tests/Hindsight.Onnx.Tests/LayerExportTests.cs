using Hindsight.Layers;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

public class LayerExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private void Check(Layer model, int[] exportShape, params int[][] runShapes)
    {
        model.Eval();
        var bytes = OnnxExporter.ToBytes(model, exportShape);
        var rng = new Rng(7);
        foreach (var shape in runShapes)
        {
            var x = Tensor.Randn(rng, shape);
            Tensor y;
            using (Tape.NoGrad()) y = model.Forward(x);
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"{model.GetType().Name} {x.ShapeString}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearAsGemmWithDynamicBatch(bool bias) =>
        Check(new Linear(5, 4, bias, new Rng(1)), [-1, 5], [3, 5], [1, 5], [6, 5]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearOnThreeDimensionalInputAsMatMulAdd(bool bias) =>
        Check(new Linear(3, 2, bias, new Rng(2)), [-1, 4, 3], [2, 4, 3], [5, 4, 3]);

    [Fact]
    public void SequentialOfActivations() =>
        Check(new Sequential(new Linear(6, 8, rng: new Rng(3)), new Tanh(), new Linear(8, 8, rng: new Rng(4)), new Sigmoid(),
            new Linear(8, 5, rng: new Rng(5)), new ReLU(), new Linear(5, 3, rng: new Rng(6)), new Softmax(1)), [-1, 6], [4, 6], [1, 6]);

    [Fact]
    public void ChildNamesThatAreGraphInputOrOutputNamesStayInternal() =>
        Check(new Sequential(("input", new Linear(3, 4, rng: new Rng(10))), ("output", new Tanh()), ("logits", new Linear(4, 2, rng: new Rng(11)))),
            [-1, 3], [2, 3]);

    [Fact]
    public void LogSoftmaxOverTheLastDimensionOf3DInput() =>
        Check(new Sequential(new Linear(3, 4, rng: new Rng(8)), new LogSoftmax(-1)), [-1, 2, 3], [3, 2, 3], [1, 2, 3]);

    [Fact]
    public void SoftmaxOverAMiddleDimension() =>
        Check(new Sequential(new Softmax(1)), [-1, 3, 2], [2, 3, 2]);

    [Fact]
    public void FlattenDefaultKeepsTheBatch() =>
        Check(new Sequential(new Flatten(), new Linear(12, 2, rng: new Rng(9))), [-1, 3, 4], [2, 3, 4], [5, 3, 4]);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(0, 1)]
    [InlineData(2, -1)]
    [InlineData(-3, -2)]
    public void FlattenOfARangeAsReshape(int start, int end) =>
        Check(new Sequential(new Flatten(start, end)), [-1, 2, 3, 2], [3, 2, 3, 2], [1, 2, 3, 2]);
}
