using System.Text.Json;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// Jordan against PyTorch written as a loop of ops (tools/reference/cell_fixtures.py, fixture jordan_grid): outputs,
/// last outputs and every gradient (input, y0, all weights) over a grid of sizes, lengths and options.
/// </summary>
public class JordanParityTests(ITestOutputHelper output)
{
    private static readonly SafeTensorsFile Grid = SafeTensors.Load(Repo.Fixture("jordan_grid.safetensors"));

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        int n = JsonDocument.Parse(Grid.Metadata["cases"]).RootElement.GetArrayLength();
        for (int i = 0; i < n; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchLoop(int c)
    {
        var cfg = JsonDocument.Parse(Grid.Metadata["cases"]).RootElement[c];
        output.WriteLine(cfg.ToString());
        string p = $"c{c}.";
        int I = int.Parse(Grid.Metadata["input"]), O = int.Parse(Grid.Metadata["output"]);
        var net = new Jordan(I, cfg.GetProperty("hidden").GetInt32(), O, cfg.GetProperty("layers").GetInt32(),
            Activation(cfg.GetProperty("hidden_act").GetString()!), Activation(cfg.GetProperty("output_act").GetString()!),
            batchFirst: cfg.GetProperty("batch_first").GetBoolean());
        net.LoadStateDict(net.StateDict().Keys.ToDictionary(k => k, k => Grid.Get(p + k)));
        var x = Grid.Get(p + "x").Clone();
        x.RequiresGrad = true;
        Tensor? y0 = null;
        if (cfg.GetProperty("y0").GetBoolean()) { y0 = Grid.Get(p + "y0").Clone(); y0.RequiresGrad = true; }
        int[]? lengths = cfg.GetProperty("lengths").GetBoolean() ? Grid.Get(p + "lengths").Data.Select(v => (int)v).ToArray() : null;

        var (outp, last, _) = net.Forward(x, y0, lengths);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(outp, Grid.Get(p + "dout"))), Ops.Sum(Ops.Mul(last, Grid.Get(p + "dlast"))));
        loss.Backward();

        Compare.Close(Grid.Get(p + "output"), outp, "output", output);
        Compare.Close(Grid.Get(p + "last"), last, "last", output);
        Compare.Close(Grid.Get(p + "grad.x"), x.Grad!, "grad.x", output);
        if (y0 is not null) Compare.Close(Grid.Get(p + "grad.y0"), y0.Grad!, "grad.y0", output);
        foreach (var (name, param) in net.NamedParameters())
            Compare.Close(Grid.Get(p + "grad." + name), param.Grad!, "grad." + name, output);
    }

    private static JordanActivation Activation(string name) => name switch
    {
        "identity" => JordanActivation.Identity,
        "tanh" => JordanActivation.Tanh,
        "sigmoid" => JordanActivation.Sigmoid,
        "relu" => JordanActivation.Relu,
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void ParameterNamesAndInit()
    {
        var net = new Jordan(3, 16, 2, numLayers: 2, rng: new Rng(1));
        Assert.Equal(
            ["weight_ih_l0", "weight_yh_l0", "bias_h_l0", "weight_ho_l0", "bias_o_l0",
             "weight_ih_l1", "weight_yh_l1", "bias_h_l1", "weight_ho_l1", "bias_o_l1"],
            net.NamedParameters().Select(q => q.Name));
        Assert.True(net.StateDict()["weight_ih_l1"].HasShape(16, 2));
        Assert.True(net.StateDict()["weight_yh_l0"].HasShape(16, 2));
        Assert.True(net.StateDict()["weight_ho_l0"].HasShape(2, 16));
        float bound = 1f / MathF.Sqrt(16);
        var all = net.Parameters().SelectMany(q => q.Data).ToArray();
        Assert.All(all, v => Assert.InRange(v, -bound, bound));
        Assert.True(all.Max() > 0.8f * bound && all.Min() < -0.8f * bound, "init does not span U(-1/sqrt(H), 1/sqrt(H))");
    }

    [Fact]
    public void WorkspaceIsReusedOnlyAfterTheTapeMovedOn()
    {
        var net = new Jordan(2, 4, 3, rng: new Rng(2));
        var x = Tensor.Randn(new Rng(3), 5, 2, 2);
        // Two forwards in one graph: the second must not overwrite what the first one's backward needs.
        var (a, _) = net.Forward(x);
        var (b, _) = net.Forward(Ops.Scale(x, 2f));
        Ops.Sum(Ops.Add(a, b)).Backward();
        var twoGraph = net.Parameters().Select(q => q.Grad!.Data.ToArray()).ToList();
        net.ZeroGrad();
        Ops.Sum(net.Forward(x).Output).Backward();
        Ops.Sum(net.Forward(Ops.Scale(x, 2f)).Output).Backward();
        var separate = net.Parameters().Select(q => q.Grad!.Data).ToList();
        for (int i = 0; i < separate.Count; i++)
            for (int j = 0; j < separate[i].Length; j++)
                Assert.Equal(separate[i][j], twoGraph[i][j], 1e-5);
    }

    [Fact]
    public void WorkspaceReuseFollowsTheTapeGeneration()
    {
        var net = new Jordan(2, 4, 3, rng: new Rng(2));
        var x = Tensor.Randn(new Rng(3), 5, 2, 2);
        var (a, _) = net.Forward(x);
        var first = net.CurrentWorkspace;
        net.Forward(x);
        Assert.NotSame(first, net.CurrentWorkspace); // the first call's entry is still on the tape
        Ops.Sum(a).Backward();
        var second = net.CurrentWorkspace;
        net.Forward(x);
        Assert.Contains(net.CurrentWorkspace, new[] { first, second }); // the tape was emptied since: reuse (the pool's first free one)
        Assert.Equal(2, net.WorkspaceCount);
        second = net.CurrentWorkspace;
        Tape.Clear();
        using (Tape.NoGrad())
        {
            net.Forward(x);
            var unrecorded = net.CurrentWorkspace;
            net.Forward(x);
            Assert.Same(unrecorded, net.CurrentWorkspace); // nothing on the tape needs it
        }
        net.Forward(Tensor.Randn(new Rng(3), 6, 2, 2));
        Assert.NotSame(second, net.CurrentWorkspace); // another shape
        Tape.Clear();
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void PaddingDoesNotChangeTheResult(bool batchFirst, int layers)
    {
        // Each sequence of a padded batch with lengths gives what it gives alone (outputs, last output, gradients).
        int T = 7, B = 3, I = 3, O = 2;
        int[] lengths = [7, 4, 1];
        var net = new Jordan(I, 5, O, layers, outputActivation: JordanActivation.Sigmoid, batchFirst: batchFirst, rng: new Rng(8));
        var x = Tensor.Randn(new Rng(9), batchFirst ? [B, T, I] : [T, B, I]);
        var y0 = Tensor.Randn(new Rng(10), layers, B, O);
        x.RequiresGrad = true;
        var (outp, last, _) = net.Forward(x, y0, lengths);
        Ops.Add(Ops.Sum(outp), Ops.Sum(Ops.Mul(last, last))).Backward();
        var batchedGrads = net.Parameters().Select(p => p.Grad!.Data.ToArray()).ToList();
        var summed = batchedGrads.Select(g => new float[g.Length]).ToList();
        for (int b = 0; b < B; b++)
        {
            int n = lengths[b];
            var xb = new Tensor(batchFirst ? new[] { 1, n, I } : new[] { n, 1, I });
            for (int t = 0; t < n; t++)
                for (int i = 0; i < I; i++)
                    xb.Data[t * I + i] = x.Data[(batchFirst ? b * T + t : t * B + b) * I + i];
            var y0b = new Tensor(layers, 1, O);
            for (int l = 0; l < layers; l++)
                for (int o = 0; o < O; o++) y0b.Data[l * O + o] = y0.Data[(l * B + b) * O + o];
            xb.RequiresGrad = true;
            net.ZeroGrad();
            var (ob, lb, _) = net.Forward(xb, y0b);
            Ops.Add(Ops.Sum(ob), Ops.Sum(Ops.Mul(lb, lb))).Backward();
            for (int t = 0; t < T; t++)
                for (int o = 0; o < O; o++)
                {
                    float got = outp.Data[(batchFirst ? b * T + t : t * B + b) * O + o];
                    Assert.Equal(t < n ? ob.Data[t * O + o] : 0f, got, 1e-5);
                    for (int i = 0; i < I && o == 0; i++)
                        Assert.Equal(t < n ? xb.Grad!.Data[t * I + i] : 0f, x.Grad!.Data[(batchFirst ? b * T + t : t * B + b) * I + i], 1e-5);
                }
            for (int l = 0; l < layers; l++)
                for (int o = 0; o < O; o++) Assert.Equal(lb.Data[l * O + o], last.Data[(l * B + b) * O + o], 1e-5);
            var ps = net.Parameters();
            for (int k = 0; k < ps.Count; k++)
                for (int j = 0; j < summed[k].Length; j++) summed[k][j] += ps[k].Grad!.Data[j];
        }
        for (int k = 0; k < summed.Count; k++)
            for (int j = 0; j < summed[k].Length; j++) Assert.Equal(summed[k][j], batchedGrads[k][j], 1e-4);
    }

    [Fact]
    public void BadInputNamesShapes()
    {
        var net = new Jordan(3, 4, 2, numLayers: 2);
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 3)));
        Assert.Contains("rank 3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 2, 4)));
        Assert.Contains("(5, 2, 4)", ex.Message); Assert.Contains("has 4 features; expected input_size 3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 2, 3), new Tensor(1, 2, 2)));
        Assert.Contains("y0 (the state's H) has shape (1, 2, 2), expected (2, 2, 2)", ex.Message);
        Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 2, 3), null, [5, 6]));   // the rule of every cell: 1..T
        Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 2, 3), null, [0, 5]));
        Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(5, 2, 3), null, [5]));
    }
}
