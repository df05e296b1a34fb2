using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// Every op of <see cref="Ops"/> against PyTorch (tests/fixtures/engine_ops.safetensors): the output and the gradient of
/// every input under a random upstream gradient g (backward of sum(y * g)).
/// </summary>
public class OpsParityTests(ITestOutputHelper output)
{
    private const string File = "engine_ops";

    /// <summary>The C# side of each case in tools/reference/engine_fixtures.py op_cases().</summary>
    internal static readonly Dictionary<string, Func<Tensor[], Tensor>> Cases = Build();

    private static Dictionary<string, Func<Tensor[], Tensor>> Build()
    {
        var c = new Dictionary<string, Func<Tensor[], Tensor>>
        {
            ["matmul_nn"] = x => Ops.MatMul(x[0], x[1]),
            ["matmul_tn"] = x => Ops.MatMul(x[0], x[1], transposeA: true),
            ["matmul_nt"] = x => Ops.MatMul(x[0], x[1], transposeB: true),
            ["matmul_tt"] = x => Ops.MatMul(x[0], x[1], transposeA: true, transposeB: true),
            ["linear_bias_2d"] = x => Ops.Linear(x[0], x[1], x[2]),
            ["linear_nobias_2d"] = x => Ops.Linear(x[0], x[1]),
            ["linear_bias_3d"] = x => Ops.Linear(x[0], x[1], x[2]),
            ["linear_nobias_3d"] = x => Ops.Linear(x[0], x[1]),
            ["scale"] = x => Ops.Scale(x[0], 0.37f),
            ["scale_negative"] = x => Ops.Scale(x[0], -2.5f),
            ["tanh"] = x => Ops.Tanh(x[0]),
            ["sigmoid"] = x => Ops.Sigmoid(x[0]),
            ["relu"] = x => Ops.Relu(x[0]),
            ["softmax_2d_d1"] = x => Ops.Softmax(x[0], 1),
            ["log_softmax_2d_d0"] = x => Ops.LogSoftmax(x[0], 0),
            ["concat_d0"] = x => Ops.Concat(0, x[0], x[1], x[2]),
            ["concat_d1"] = x => Ops.Concat(1, x[0], x[1], x[2]),
            ["concat_d1_2d"] = x => Ops.Concat(1, x[0], x[1], x[2]),
            ["concat_dm1"] = x => Ops.Concat(-1, x[0], x[1], x[2]),
            ["slice_d0"] = x => Ops.Slice(x[0], 0, 2, 1),
            ["slice_d1"] = x => Ops.Slice(x[0], 1, 1, 3),
            ["slice_dm1"] = x => Ops.Slice(x[0], -1, 3, 3),
            ["select_d0"] = x => Ops.Select(x[0], 0, 0),
            ["select_d1"] = x => Ops.Select(x[0], 1, 2),
            ["select_dm1"] = x => Ops.Select(x[0], -1, 1),
            ["reshape"] = x => Ops.Reshape(x[0], 4, 6),
            ["reshape_infer"] = x => Ops.Reshape(x[0], -1, 2, 3),
            ["flatten_all"] = x => Ops.Flatten(x[0]),
            ["flatten_from1"] = x => Ops.Flatten(x[0], 1),
            ["flatten_0_1"] = x => Ops.Flatten(x[0], 0, 1),
            ["sum_all"] = x => Ops.Sum(x[0]),
            ["mean_all"] = x => Ops.Mean(x[0]),
            ["sum_d0"] = x => Ops.Sum(x[0], 0),
            ["sum_d1_keepdim"] = x => Ops.Sum(x[0], 1, keepDim: true),
            ["sum_dm1"] = x => Ops.Sum(x[0], -1),
            ["mean_d0_keepdim"] = x => Ops.Mean(x[0], 0, keepDim: true),
            ["mean_d1"] = x => Ops.Mean(x[0], 1),
            ["mean_dm1_keepdim"] = x => Ops.Mean(x[0], -1, keepDim: true),
        };
        foreach (var (name, op) in new (string, Func<Tensor, Tensor, Tensor>)[] { ("add", Ops.Add), ("sub", Ops.Sub), ("mul", Ops.Mul) })
            foreach (var kind in new[] { "same", "row", "row_left", "general", "general_left", "column", "scalar" })
                c[$"{name}_{kind}"] = x => op(x[0], x[1]);
        foreach (var (dim, tag) in new[] { (0, "d0"), (1, "d1"), (-1, "dm1") })
        {
            c[$"softmax_{tag}"] = x => Ops.Softmax(x[0], dim);
            c[$"log_softmax_{tag}"] = x => Ops.LogSoftmax(x[0], dim);
        }
        return c;
    }

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Assert.True(Cases.TryGetValue(name, out var op), $"fixture case '{name}' has no C# counterpart in OpsParityTests.Cases");
        Tape.Clear();
        var inputs = new List<Tensor>();
        while (f.Has($"{name}/x{inputs.Count}")) inputs.Add(f.Leaf($"{name}/x{inputs.Count}"));

        var y = op(inputs.ToArray());
        Compare.Close(f.Get($"{name}/y"), y, $"{name} y", output);

        Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.NotNull(inputs[i].Grad);
            Compare.Close(f.Get($"{name}/dx{i}"), inputs[i].Grad!, $"{name} dx{i}", output);
        }
    }

    [Fact]
    public void EveryCSharpCaseIsInTheFixture()
    {
        Assert.Equal(ParityFixture.Names(File).Order(), Cases.Keys.Order());
    }
}
