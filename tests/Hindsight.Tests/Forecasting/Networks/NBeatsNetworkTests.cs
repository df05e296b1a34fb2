using System.Text.Json;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Networks;
using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Networks;

/// <summary>
/// N-BEATS (generic, interpretable) and N-HiTS inside <see cref="ForecastNet"/>: forward and backward against the
/// PyTorch networks of tools/reference/nbeats_fixtures.py (tests/fixtures/nbeats_networks.safetensors), shapes and
/// parameter names, the bases, and gradients against central differences.
/// </summary>
public class NBeatsNetworkTests(ITestOutputHelper output)
{
    private const string File = "nbeats_networks";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    private sealed record Sizes(string Kind, int Lookback, int Horizon, int Stacks, int Blocks, int Width, int Layers);

    private static NeuralKind KindOf(string name) => name switch { "nbeats" => NeuralKind.NBeats, "nbeatsi" => NeuralKind.NBeatsInterpretable, _ => NeuralKind.NHits };

    private static NeuralConfig Config(NeuralKind kind, int lookback, int horizon, int stacks, int blocks, int width, int layers) => new()
    {
        Kind = kind, Lookback = lookback, Horizon = horizon, Stacks = stacks, StackBlocks = blocks, BlockWidth = width, BlockLayers = layers,
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var f = new ParityFixture(File);
        var s = JsonSerializer.Deserialize<Sizes>(f.Meta(name), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var net = new ForecastNet(Config(KindOf(s.Kind), s.Lookback, s.Horizon, s.Stacks, s.Blocks, s.Width, s.Layers), new Rng(1));
        net.LoadStateDict(f.Group($"{name}/param/"));
        var x = f.Leaf($"{name}/x");
        Tape.Clear();
        net.ZeroGrad();
        var y = net.Forward(x);
        Compare.Close(f.Get($"{name}/y"), y, $"{name}/y", output);
        Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        Compare.Close(f.Get($"{name}/dx"), x.Grad!, $"{name}/dx", output);
        foreach (var (p, value) in net.NamedParameters())
            Compare.Close(f.Get($"{name}/grad/{p}"), value.Grad!, $"{name}/grad/{p}", output);
    }

    [Theory]
    [InlineData(NeuralKind.NBeats, 3, 2)]
    [InlineData(NeuralKind.NBeatsInterpretable, 3, 2)]
    [InlineData(NeuralKind.NHits, 3, 2)]
    [InlineData(NeuralKind.NHits, 1, 1)]
    [InlineData(NeuralKind.NBeatsInterpretable, 1, 1)]
    public void OutputIsBatchByHorizonAndParametersAreTheDeclaredOnes(NeuralKind kind, int stacks, int blocks)
    {
        foreach (var (l, h) in new[] { (12, 6), (9, 7), (16, 8), (4, 1) })
        {
            var c = Config(kind, l, h, stacks, blocks, 10, 3);
            var net = new ForecastNet(c, new Rng(3));
            Tensor y;
            using (Tape.NoGrad()) y = net.Forward(Tensor.Randn(new Rng(4), 5, l));
            Assert.True(y.HasShape(5, h), $"{kind} L{l} H{h}: {y.ShapeString}");
            var declared = NBeatsNetwork.ParameterShapes("stacks", kind, l, h, stacks, blocks, 10, 3).ToList();
            var actual = net.NamedParameters().Select(p => (p.Name, p.Value.Shape.ToArray().Select(d => (long)d).ToArray())).ToList();
            Assert.Equal(declared.Select(d => d.Name), actual.Select(a => a.Name));
            Assert.All(declared.Zip(actual), z => Assert.Equal(z.First.Shape, z.Second.Item2));
            int blockCount = kind == NeuralKind.NBeatsInterpretable ? 2 * blocks : stacks * blocks;
            Assert.Equal(blockCount * (2 * 3 + 2), actual.Count);
            Assert.Contains(actual, a => a.Name == "stacks.0.blocks.0.fc.0.weight");
        }
    }

    [Fact]
    public void NHitsStacksPoolAndDownsampleAsNeuralForecastsDefaults()
    {
        var net = new NBeatsNetwork(NeuralKind.NHits, 12, 6, 3, 1, 8, 2, new Rng(1));
        Assert.Equal([2, 2, 1], net.Blocks.Select(b => b.PoolKernel));
        Assert.Equal([1, 3, 6], net.Blocks.Select(b => b.Basis.ForecastSize));    // max(6 / [4, 2, 1], 1) knots
        Assert.Equal([12, 12, 12], net.Blocks.Select(b => b.Basis.BackcastSize));
        Assert.Null(net.Blocks[2].Basis.ForecastMatrix);                          // H knots: no interpolation
    }

    [Fact]
    public void InterpolationMatrixKeepsConstantsAndLinesAndHitsTheKnots()
    {
        var m = InterpolationBasis.Matrix(3, 6);
        for (int j = 0; j < 6; j++) Assert.Equal(1f, m.Data[j] + m.Data[6 + j] + m.Data[12 + j], 6);
        // knots 0, 1, 2 at positions (j + 0.5) / 2 - 0.5: steps 0..5 read 0, 0.25, 0.75, 1.25, 1.75, 2 (clamped at both ends)
        var y = Ops.MatMul(Tensor.FromArray([0f, 1f, 2f], 1, 3), m);
        Assert.Equal([0f, 0.25f, 0.75f, 1.25f, 1.75f, 2f], y.Data);
        Assert.Equal(Enumerable.Repeat(4f, 5), Ops.MatMul(Tensor.FromArray([4f], 1, 1), InterpolationBasis.Matrix(1, 5)).Data);
    }

    [Fact]
    public void TrendAndSeasonalityBasesAreThePapers()
    {
        var trend = TrendBasis.Create(4, 2);
        Assert.Equal(3, trend.BackcastSize);
        Assert.Equal([1f, 1f, 0f, 0.5f], trend.ForecastMatrix!.Data[..4]);          // rows t^0, t^1 at t = 0, 1/2
        Assert.Equal([0.75f, 0.5f, 0.25f, 0f], trend.BackcastMatrix!.Data[4..8]);   // t = i/L, i steps back from the last value
        Assert.Equal([0.0, 1.0, 1.5, 2.0, 2.5], SeasonalityBasis.Frequencies(6));
        var season = SeasonalityBasis.Create(12, 6);
        Assert.Equal(10, season.ForecastSize);
        // frequency 1 over a horizon of 6: cos(2 pi j / 6) forward, and the window continues it backwards
        Assert.Equal(MathF.Cos(2 * MathF.PI / 6), season.ForecastMatrix!.Data[1 * 6 + 1], 6);
        Assert.Equal(MathF.Cos(-2 * MathF.PI / 6), season.BackcastMatrix!.Data[1 * 12 + 10], 6);
        Assert.All(season.ForecastMatrix.Data.Skip(5 * 6).Take(6), v => Assert.Equal(0f, v)); // sin of frequency 0
    }

    /// <summary>
    /// The tape's gradient of sum(net(x) * g) for x and every parameter against central differences. ReLU and max-pool
    /// kinks make a difference quotient wrong when a step crosses one; such elements show as a disagreement between steps
    /// h and h/2 and are skipped (at most 10 % of them), every other element must agree.
    /// </summary>
    [Theory]
    [InlineData(NeuralKind.NBeats, 1, 1)]
    [InlineData(NeuralKind.NBeats, 2, 1)]
    [InlineData(NeuralKind.NBeatsInterpretable, 1, 1)]
    [InlineData(NeuralKind.NHits, 1, 1)]
    [InlineData(NeuralKind.NHits, 3, 1)]
    public void GradientsMatchCentralDifferences(NeuralKind kind, int stacks, int blocks)
    {
        var net = new ForecastNet(Config(kind, 8, 4, stacks, blocks, 6, 2), new Rng(11));
        var rng = new Rng(12);
        var x = Tensor.Randn(rng, 3, 8);
        x.RequiresGrad = true;
        var g = Tensor.Randn(rng, 3, 4);
        Tape.Clear();
        net.ZeroGrad();
        Ops.Sum(Ops.Mul(net.Forward(x), g)).Backward();
        var tensors = new List<(string Name, Tensor T)> { ("x", x) };
        tensors.AddRange(net.NamedParameters());
        int checkedCount = 0, skipped = 0;
        double worst = 0;
        foreach (var (name, t) in tensors)
        {
            var analytic = (float[])t.Grad!.Data.Clone();
            for (int j = 0; j < t.Length; j++)
            {
                double n1 = Numeric(net, x, g, t, j, 1e-2f), n2 = Numeric(net, x, g, t, j, 5e-3f);
                if (Math.Abs(n1 - n2) > 5e-4 * (1 + Math.Abs(n1))) { skipped++; continue; }
                double err = Math.Abs(n1 - analytic[j]) / (1 + Math.Abs(analytic[j]));
                worst = Math.Max(worst, err);
                Assert.True(err <= 2e-3, $"{kind}: d/d {name}[{j}] analytic {analytic[j]:G6} vs numeric {n1:G6}");
                checkedCount++;
            }
        }
        output.WriteLine($"{kind} stacks {stacks}: {checkedCount} checked, {skipped} skipped at kinks, worst {worst:E2}");
        Assert.True(skipped <= checkedCount / 10, $"{skipped} of {checkedCount + skipped} elements disagree between steps");
    }

    private static double Numeric(ForecastNet net, Tensor x, Tensor g, Tensor t, int j, float h)
    {
        float v = t.Data[j];
        t.Data[j] = v + h; double fp = Objective(net, x, g);
        t.Data[j] = v - h; double fm = Objective(net, x, g);
        t.Data[j] = v;
        return (fp - fm) / (2.0 * h);
    }

    private static double Objective(ForecastNet net, Tensor x, Tensor g)
    {
        using var _ = Tape.NoGrad();
        var y = net.Forward(x);
        return y.Data.Select((v, i) => (double)v * g.Data[i]).Sum();
    }

    [Fact]
    public void LengthsAreRefused()
    {
        var net = new ForecastNet(Config(NeuralKind.NBeats, 6, 3, 1, 1, 4, 1), new Rng(1));
        Assert.Contains("nbeats", Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(2, 6), [6, 3])).Message);
        var ex = Assert.Throws<ArgumentException>(() => new NeuralConfig { Kind = NeuralKind.NHits, Lookback = 6, MinInput = 3 }.Validate());
        Assert.Equal("minHistory", ex.ParamName);
    }
}
