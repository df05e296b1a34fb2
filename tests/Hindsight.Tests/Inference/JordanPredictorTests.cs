using Hindsight.Inference;
using Hindsight.Layers.Recurrent;
using Hindsight.Tensors.Kernels;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Inference;

/// <summary>
/// <see cref="JordanPredictor"/> against the Jordan layer's own no-grad forward: the same bits on random configurations
/// (every pair of activations, 1-3 layers, both layouts, both readouts, lengths, every vector width), no allocation per
/// call once a shape has been seen, and its errors.
/// </summary>
public class JordanPredictorTests(ITestOutputHelper output)
{
    // What the layer computes without the inference path: every step of the top layer's output, or its last valid output.
    private static float[] Reference(Jordan layer, RecurrentReadout readout, Tensor x, int[]? lengths)
    {
        using var _ = Tape.NoGrad();
        var r = layer.Forward(x, null, lengths);
        return readout == RecurrentReadout.EveryStep ? r.Output.Data : Ops.Select(r.Hidden, 0, layer.NumLayers - 1).Data;
    }

    [Fact]
    public void SameBitsAsTheLayersForwardOnRandomConfigurations()
    {
        var rng = new Rng(2027);
        int[] hiddens = [1, 2, 5, 8, 16, 33, 64];
        int[] batches = [1, 2, 3, 5, 37, 70];
        int[] stepCounts = [1, 2, 7, 24, 40];
        var activations = Enum.GetValues<JordanActivation>();
        int cases = 0;
        foreach (int bits in FastPaths.MachineWidths())
            for (int c = 0; c < 24; c++)
            {
                int hidden = hiddens[(int)(rng.NextFloat() * hiddens.Length)], input = 1 + (int)(rng.NextFloat() * 5);
                int outputs = 1 + (int)(rng.NextFloat() * 4), layers = 1 + (int)(rng.NextFloat() * 3);
                int batch = batches[(int)(rng.NextFloat() * batches.Length)], steps = stepCounts[(int)(rng.NextFloat() * stepCounts.Length)];
                bool batchFirst = rng.NextFloat() < 0.5f, withLengths = c % 3 != 0;
                var act = (activations[c % 4], activations[(c / 4) % 4]);
                var readout = rng.NextFloat() < 0.5f ? RecurrentReadout.LastStep : RecurrentReadout.EveryStep;
                var layer = new Jordan(input, hidden, outputs, layers, act.Item1, act.Item2, batchFirst, new Rng((ulong)c + 1));
                var x = Tensor.Randn(new Rng((ulong)c + 99), batchFirst ? [batch, steps, input] : [steps, batch, input]);
                int[]? lengths = withLengths ? [.. Enumerable.Range(0, batch).Select(b => b == 0 ? steps : 1 + (int)(rng.NextFloat() * steps))] : null;
                float[] expected, actual;
                var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
                try
                {
                    FastPaths.MaxVectorBits = bits;
                    expected = Reference(layer, readout, x, lengths);
                    actual = new JordanPredictor(layer, readout).Run(x, lengths).Data;
                }
                finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; }
                string what = $"width {bits} I={input} H={hidden} O={outputs} L={layers} B={batch} T={steps} act={act} batchFirst={batchFirst} lengths={withLengths} {readout}";
                Assert.True(expected.Length == actual.Length, what);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                        $"{what}: element {i} is {actual[i]:R}, the layer's forward gives {expected[i]:R}");
                cases++;
            }
        output.WriteLine($"{cases} configurations bit for bit");
    }

    [Fact]
    public void APredictorReusedAcrossShapesKeepsTheBits()
    {
        // one predictor called with growing and shrinking shapes (its buffers sized for the largest so far)
        var layer = new Jordan(2, 12, 3, 2, batchFirst: true, rng: new Rng(4));
        var p = new JordanPredictor(layer, RecurrentReadout.EveryStep);
        foreach (var (batch, steps) in new[] { (3, 5), (40, 9), (1, 2), (7, 30), (3, 5) })
        {
            var x = Tensor.Randn(new Rng((ulong)(batch * 31 + steps)), batch, steps, 2);
            Assert.Equal(Reference(layer, RecurrentReadout.EveryStep, x, null), p.Run(x).Data);
        }
    }

    [Theory]
    [InlineData(1, RecurrentReadout.LastStep, false)]
    [InlineData(32, RecurrentReadout.LastStep, true)]
    [InlineData(32, RecurrentReadout.EveryStep, true)]
    [InlineData(64, RecurrentReadout.EveryStep, false)]
    public void SteadyStateCallAllocatesNothing(int batch, RecurrentReadout readout, bool withLengths)
    {
        const int steps = 24;
        var layer = new Jordan(1, 32, 12, 2, batchFirst: true, rng: new Rng(1));
        var p = new JordanPredictor(layer, readout);
        var x = new float[batch * steps];
        new Rng(2).FillNormal(x, 0f, 1f);
        var y = new float[p.OutputLength(batch, steps)];
        int[]? lengths = withLengths ? [.. Enumerable.Range(0, batch).Select(b => 1 + b % steps)] : null;
        void Call() => p.Run(x, batch, steps, y, lengths);
        for (int i = 0; i < 3; i++) Call();
        long least = Allocations.LeastPerCall(Call);
        output.WriteLine($"batch {batch} {readout} lengths {withLengths}: {least} bytes per call");
        Assert.Equal(0, least);
    }

    [Fact]
    public void WrongSizesAreRefused()
    {
        var p = new JordanPredictor(new Jordan(2, 4, 3, batchFirst: true, rng: new Rng(1)));
        Assert.Throws<ArgumentException>("input", () => p.Run(new float[2 * 5 * 2 - 1], 2, 5, new float[6]));
        Assert.Throws<ArgumentException>("output", () => p.Run(new float[2 * 5 * 2], 2, 5, new float[5]));
        Assert.Throws<ArgumentException>("lengths", () => p.Run(new float[2 * 5 * 2], 2, 5, new float[6], [5, 6]));
        Assert.Throws<ArgumentException>("lengths", () => p.Run(new float[2 * 5 * 2], 2, 5, new float[6], [5]));
        Assert.Throws<ArgumentOutOfRangeException>("batch", () => p.Run(new float[0], 0, 5, new float[0]));
        Assert.Throws<ArgumentOutOfRangeException>("readout", () => new JordanPredictor(new Jordan(1, 2, 1), (RecurrentReadout)7));
    }
}
