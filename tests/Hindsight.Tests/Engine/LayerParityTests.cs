using System.Text.Json;
using Hindsight.Layers;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// Every layer against PyTorch (tests/fixtures/engine_layers.safetensors): parameter names in state_dict order,
/// output, input gradient and every parameter gradient, with PyTorch's weights loaded by name.
/// </summary>
public class LayerParityTests(ITestOutputHelper output)
{
    private const string File = "engine_layers";

    /// <summary>The C# side of each case in tools/reference/engine_fixtures.py layer_cases().</summary>
    private static Layer Build(string name) => name switch
    {
        "linear_bias" => new Linear(5, 3),
        "linear_nobias_3d" => new Linear(5, 3, bias: false),
        "tanh" => new Tanh(),
        "sigmoid" => new Sigmoid(),
        "relu" => new ReLU(),
        "softmax_d1" => new Softmax(1),
        "log_softmax_dm1" => new LogSoftmax(-1),
        "flatten" => new Flatten(),
        "sequential_indexed" => new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 3)),
        "sequential_named" => new Sequential(
            ("flatten", new Flatten()),
            ("linear_with_tanh", new Sequential(new Linear(6, 5), new Tanh(), new Linear(5, 4), new Tanh())),
            ("output", new Linear(4, 3)),
            ("log_softmax", new LogSoftmax(1))),
        _ => throw new ArgumentException($"fixture case '{name}' has no C# counterpart in LayerParityTests.Build"),
    };

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        var layer = Build(name);

        var expectedNames = JsonSerializer.Deserialize<string[]>(f.Meta($"{name}.names"))!;
        var names = layer.NamedParameters().Select(p => p.Name).ToArray();
        output.WriteLine($"parameters: [{string.Join(", ", names)}]");
        Assert.Equal(expectedNames, names);
        Assert.Equal(expectedNames, layer.StateDict().Keys.ToArray());

        var weights = f.Group($"{name}/param/");
        Assert.Equal(expectedNames.Order(), weights.Keys.Order());
        layer.LoadStateDict(weights);

        var x = f.Leaf($"{name}/x");
        var y = layer.Forward(x);
        Compare.Close(f.Get($"{name}/y"), y, $"{name} y", output);

        Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        Compare.Close(f.Get($"{name}/dx"), x.Grad!, $"{name} dx", output);
        foreach (var (pName, p) in layer.NamedParameters())
        {
            Assert.NotNull(p.Grad);
            Compare.Close(f.Get($"{name}/grad/{pName}"), p.Grad!, $"{name} grad {pName}", output);
        }
    }

    [Fact]
    public void NamedNestingGivesPyTorchNames()
    {
        var model = Build("sequential_named");
        Assert.Equal(
            ["linear_with_tanh.0.weight", "linear_with_tanh.0.bias", "linear_with_tanh.2.weight", "linear_with_tanh.2.bias", "output.weight", "output.bias"],
            model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], Build("sequential_indexed").StateDict().Keys);
    }

    [Fact]
    public void LinearInitIsPyTorchsUniformBound()
    {
        // PyTorch: weight and bias from U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform with a = sqrt(5) gives the same bound).
        var layer = new Linear(16, 40, rng: new Rng(7));
        float bound = 1f / MathF.Sqrt(16);
        Assert.All(layer.Weight.Data, v => Assert.InRange(v, -bound, bound));
        Assert.All(layer.Bias!.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(layer.Weight.Data.Max() > 0.8f * bound && layer.Weight.Data.Min() < -0.8f * bound, "weights do not span the bound");
    }
}
