using Hindsight.Layers.Recurrent;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>Behaviour beyond the PyTorch grid: padding, workspaces, dropout, errors, parameter names.</summary>
public class RecurrentBehaviourTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new() { "rnn_tanh", "rnn_relu", "lstm", "gru" };

    private static RecurrentBase Make(string kind, int input, int hidden, int layers = 1, bool batchFirst = false, bool bi = false,
        float dropout = 0, ulong seed = 1) => kind switch
        {
            "rnn_tanh" => new Rnn(input, hidden, layers, RnnNonlinearity.Tanh, true, batchFirst, dropout, bi, new Rng(seed)),
            "rnn_relu" => new Rnn(input, hidden, layers, RnnNonlinearity.Relu, true, batchFirst, dropout, bi, new Rng(seed)),
            "lstm" => new Lstm(input, hidden, layers, true, batchFirst, dropout, bi, new Rng(seed)),
            _ => new Gru(input, hidden, layers, true, batchFirst, dropout, bi, new Rng(seed)),
        };

    private static Tensor Leaf(Tensor t) { var c = t.Clone(); c.RequiresGrad = true; return c; }

    [Theory, MemberData(nameof(Kinds))]
    public void PaddedBatchEqualsEachSequenceAlone(string kind)
    {
        // batch-first, 2 layers, bidirectional: lengths 5, 9, 2 of T = 9, garbage in the padding
        int T = 9, I = 3, H = 4, L = 2, D = 2;
        int[] lengths = [5, 9, 2];
        var rng = new Rng(11);
        var layer = Make(kind, I, H, L, batchFirst: true, bi: true);
        var x = Leaf(Tensor.Randn(rng, 3, T, I));
        var h0 = Leaf(Tensor.Randn(rng, L * D, 3, H));
        var c0 = kind == "lstm" ? Leaf(Tensor.Randn(rng, L * D, 3, H)) : null;
        var gy = Tensor.Randn(rng, 3, T, D * H);
        var gh = Tensor.Randn(rng, L * D, 3, H);
        var (y, hn, cn) = RecurrentFixtures.Run(layer, x, h0, c0, lengths);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(y, gy)), Ops.Sum(Ops.Mul(hn, gh)));
        if (cn is not null) loss = Ops.Add(loss, Ops.Sum(cn));
        loss.Backward();
        var batchGrads = layer.Parameters().Select(p => (float[])p.Grad!.Data.Clone()).ToArray();

        var sumGrads = layer.Parameters().Select(p => new float[p.Length]).ToArray();
        for (int b = 0; b < 3; b++)
        {
            int n = lengths[b];
            layer.ZeroGrad();
            var xb = Leaf(Ops.Slice(Ops.Slice(x.Detach(), 0, b, 1), 1, 0, n));
            var h0b = Leaf(Ops.Slice(h0.Detach(), 1, b, 1));
            var c0b = c0 is null ? null : Leaf(Ops.Slice(c0.Detach(), 1, b, 1));
            var (yb, hb, cb) = RecurrentFixtures.Run(layer, xb, h0b, c0b, null);
            // same output rows, zeros past the length
            for (int t = 0; t < T; t++)
                for (int j = 0; j < D * H; j++)
                {
                    float expected = t < n ? yb[0, t, j] : 0f;
                    Assert.Equal(expected, y[b, t, j], 1e-5);
                }
            for (int k = 0; k < L * D; k++)
                for (int j = 0; j < H; j++)
                {
                    Assert.Equal(hb[k, 0, j], hn[k, b, j], 1e-5);
                    if (cn is not null) Assert.Equal(cb![k, 0, j], cn[k, b, j], 1e-5);
                }
            var lb = Ops.Add(Ops.Sum(Ops.Mul(yb, Ops.Slice(Ops.Slice(gy, 0, b, 1), 1, 0, n))), Ops.Sum(Ops.Mul(hb, Ops.Slice(gh, 1, b, 1))));
            if (cb is not null) lb = Ops.Add(lb, Ops.Sum(cb));
            lb.Backward();
            // input, h0, c0 gradients of this row; padded input steps get none
            for (int t = 0; t < T; t++)
                for (int j = 0; j < I; j++)
                    Assert.Equal(t < n ? xb.Grad![0, t, j] : 0f, x.Grad![b, t, j], 1e-5);
            for (int k = 0; k < L * D; k++)
                for (int j = 0; j < H; j++)
                {
                    Assert.Equal(h0b.Grad![k, 0, j], h0.Grad![k, b, j], 1e-5);
                    if (c0 is not null) Assert.Equal(c0b!.Grad![k, 0, j], c0.Grad![k, b, j], 1e-5);
                }
            var ps = layer.Parameters();
            for (int p = 0; p < ps.Count; p++)
                for (int j = 0; j < ps[p].Length; j++) sumGrads[p][j] += ps[p].Grad!.Data[j];
        }
        for (int p = 0; p < batchGrads.Length; p++)
            Compare.Close(new Tensor(sumGrads[p], sumGrads[p].Length), batchGrads[p], $"param {p}", output, 1e-5);
    }

    [Theory]
    [InlineData("rnn_tanh", 1, 2, 1, true)]
    [InlineData("rnn_tanh", 3, 5, 2, false)]
    [InlineData("rnn_relu", 2, 7, 2, true)]
    public void TinyHiddenPathGivesTheGeneralPathsBits(string kind, int input, int hidden, int layers, bool batchFirst)
    {
        // Hidden sizes 2..7 without lengths take the tiny path; lengths all equal to T take the general one.
        int T = 6, B = 4;
        var rng = new Rng(3);
        var x = Tensor.Randn(rng, batchFirst ? B : T, batchFirst ? T : B, input);
        var h0 = Tensor.Randn(rng, layers, B, hidden);
        var gy = Tensor.Randn(rng, batchFirst ? B : T, batchFirst ? T : B, hidden);
        var gh = Tensor.Randn(rng, layers, B, hidden);
        float[][] Run(int[]? lengths)
        {
            var layer = Make(kind, input, hidden, layers, batchFirst, seed: 9);
            var xl = Leaf(x); var h0l = Leaf(h0);
            var (y, hn, _) = RecurrentFixtures.Run(layer, xl, h0l, null, lengths);
            Ops.Add(Ops.Sum(Ops.Mul(y, gy)), Ops.Sum(Ops.Mul(hn, gh))).Backward();
            return [(float[])y.Data.Clone(), (float[])hn.Data.Clone(), xl.Grad!.Data, h0l.Grad!.Data, .. layer.Parameters().Select(p => p.Grad!.Data)];
        }
        var tiny = Run(null);
        var general = Run(Enumerable.Repeat(T, B).ToArray());
        for (int k = 0; k < tiny.Length; k++) Assert.Equal(general[k], tiny[k]);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void TwoForwardsBeforeOneBackwardGiveTheGradientsOfEach(string kind)
    {
        var rng = new Rng(3);
        var layer = Make(kind, 2, 5, layers: 2, bi: true);
        var x1 = Tensor.Randn(rng, 6, 2, 2); var x2 = Tensor.Randn(rng, 4, 3, 2);   // different shapes too
        var g1 = Tensor.Randn(rng, 6, 2, 10); var g2 = Tensor.Randn(rng, 4, 3, 10);

        float[][] Grads() => layer.Parameters().Select(p => (float[])p.Grad!.Data.Clone()).ToArray();
        RecurrentFixtures.Run(layer, x1, null, null, null).Output.Let(y => Ops.Sum(Ops.Mul(y, g1)).Backward());
        var only1 = Grads(); layer.ZeroGrad();
        RecurrentFixtures.Run(layer, x2, null, null, null).Output.Let(y => Ops.Sum(Ops.Mul(y, g2)).Backward());
        var only2 = Grads(); layer.ZeroGrad();

        var y1 = RecurrentFixtures.Run(layer, x1, null, null, null).Output;
        var y2 = RecurrentFixtures.Run(layer, x2, null, null, null).Output;
        Assert.Equal(2, layer.WorkspaceCount);
        Ops.Add(Ops.Sum(Ops.Mul(y1, g1)), Ops.Sum(Ops.Mul(y2, g2))).Backward();
        var both = Grads();
        for (int p = 0; p < both.Length; p++)
        {
            var sum = only1[p].Zip(only2[p], (a, b) => a + b).ToArray();
            Compare.Close(new Tensor(sum, sum.Length), both[p], $"param {p}", output, 1e-5);
        }
        // after the backward both workspaces are free again: steady-state training does not grow the pool
        for (int i = 0; i < 5; i++)
            Ops.Sum(RecurrentFixtures.Run(layer, x1, null, null, null).Output).Backward();
        Assert.Equal(2, layer.WorkspaceCount);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void OutputsWithoutGradientCountAsZero(string kind)
    {
        // a loss on h_n alone equals a loss that also touches the output (and c_n) with zero weight
        var layer = Make(kind, 3, 4, layers: 2, bi: true);
        var x = Leaf(Tensor.Randn(new Rng(12), 5, 2, 3));
        Ops.Sum(RecurrentFixtures.Run(layer, x, null, null, null).H).Backward();
        var onlyH = layer.Parameters().Select(p => (float[])p.Grad!.Data.Clone()).Append((float[])x.Grad!.Data.Clone()).ToArray();
        layer.ZeroGrad(); x.ZeroGrad();
        var (y, h, c) = RecurrentFixtures.Run(layer, x, null, null, null);
        var loss = Ops.Add(Ops.Sum(h), Ops.Sum(Ops.Scale(y, 0f)));
        if (c is not null) loss = Ops.Add(loss, Ops.Sum(Ops.Scale(c, 0f)));
        loss.Backward();
        var all = layer.Parameters().Select(p => p.Grad!.Data).Append(x.Grad!.Data).ToArray();
        for (int i = 0; i < all.Length; i++) Assert.Equal(all[i], onlyH[i]);
        Assert.Contains(onlyH[^1], v => v != 0f);
    }

    [Fact]
    public void ForwardUnderNoGradReusesOneWorkspaceAndRecordsNothing()
    {
        var layer = new Lstm(3, 4, 2, rng: new Rng(5));
        var x = Tensor.Randn(new Rng(6), 5, 2, 3);
        Tape.Clear();
        float[] first;
        using (Tape.NoGrad())
        {
            first = (float[])layer.Forward(x).Output.Data.Clone();
            for (int i = 0; i < 3; i++) Assert.Equal(first, layer.Forward(x).Output.Data);
        }
        Assert.Equal(0, Tape.Count);
        Assert.Equal(1, layer.WorkspaceCount);
        // and with grad on, the same numbers
        Assert.Equal(first, layer.Forward(x).Output.Data);
        Tape.Clear();
    }

    [Fact]
    public void SteadyStateForwardAllocatesOnlyItsOutputs()
    {
        // W4 shape: Lstm(1 -> 64), T = 48, B = 64
        var layer = new Lstm(1, 64, rng: new Rng(1));
        var x = Tensor.Randn(new Rng(2), 48, 64, 1);
        for (int i = 0; i < 3; i++) { var (y, h, c) = layer.Forward(x); Ops.Sum(h).Backward(); }
        long outputs = (48 * 64 * 64 + 2 * 64 * 64) * 4L;
        // The least over several steps: a one-off runtime allocation on this thread (the JIT's tier-up, type loading
        // while other tests run in parallel) is not the layer's; a steady per-step allocation shows in every step.
        long forward = long.MaxValue, backward = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var (_, h2, _) = layer.Forward(x);
            forward = Math.Min(forward, GC.GetAllocatedBytesForCurrentThread() - before);
            var loss = Ops.Sum(h2);
            before = GC.GetAllocatedBytesForCurrentThread();
            loss.Backward();
            backward = Math.Min(backward, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        output.WriteLine($"forward allocated {forward} bytes, backward {backward} bytes, outputs {outputs} bytes");
        Assert.True(forward <= outputs + 2048, $"forward allocated {forward} bytes; its outputs take {outputs}");
        // the backward allocates the gradient buffers of the three fresh output tensors only
        Assert.True(backward <= outputs + 4096, $"backward allocated {backward} bytes");
    }

    [Theory, MemberData(nameof(Kinds))]
    public void DropoutActsBetweenLayersInTrainingOnly(string kind)
    {
        var x = Tensor.Randn(new Rng(9), 6, 2, 3);
        var plain = Make(kind, 3, 4, layers: 2, dropout: 0, seed: 4);
        var dropped = Make(kind, 3, 4, layers: 2, dropout: 0.5f, seed: 4);
        Assert.Equal(plain.Parameters().SelectMany(p => p.Data), dropped.Parameters().SelectMany(p => p.Data));
        var reference = RecurrentFixtures.Run(plain, x, null, null, null);
        dropped.Eval();
        var eval = RecurrentFixtures.Run(dropped, x, null, null, null);
        Assert.Equal(reference.Output.Data, eval.Output.Data);
        dropped.Train();
        var train1 = RecurrentFixtures.Run(dropped, x, null, null, null);
        var train2 = RecurrentFixtures.Run(dropped, x, null, null, null);
        Assert.NotEqual(reference.Output.Data, train1.Output.Data);
        Assert.NotEqual(train1.Output.Data, train2.Output.Data);   // a fresh mask per forward
        // layer 0's final state is computed before any dropout
        Assert.Equal(reference.H.Data.AsSpan(0, 8).ToArray(), train1.H.Data.AsSpan(0, 8).ToArray());
        // one layer: nothing to drop (PyTorch warns; the output equals the plain layer's)
        var single = Make(kind, 3, 4, layers: 1, dropout: 0.5f, seed: 4);
        var singlePlain = Make(kind, 3, 4, layers: 1, seed: 4);
        Assert.Equal(RecurrentFixtures.Run(singlePlain, x, null, null, null).Output.Data, RecurrentFixtures.Run(single, x, null, null, null).Output.Data);
        Tape.Clear();
    }

    [Theory, MemberData(nameof(Kinds))]
    public void DropoutGradientMatchesTwoStackedLayersWithTheSameMask(string kind)
    {
        // The mask is drawn from the layer's Rng right after the weights (NextFloat per element of layer 1's input),
        // so a twin Rng reproduces it; the reference is two single-layer modules with Ops.Mul by that mask.
        int T = 5, B = 2, I = 3, H = 4, D = 2;
        float p = 0.4f;
        var stacked = Make(kind, I, H, layers: 2, bi: true, dropout: p, seed: 21);
        var twin = new Rng(21);
        twin.FillUniform(new float[stacked.ParameterCount], 0, 1);
        var maskData = new float[T * B * D * H];
        for (int j = 0; j < maskData.Length; j++) maskData[j] = twin.NextFloat() < p ? 0f : 1f / (1f - p);
        var mask = new Tensor(maskData, T, B, D * H);

        var first = Make(kind, I, H, layers: 1, bi: true);
        var second = Make(kind, D * H, H, layers: 1, bi: true);
        var sd = stacked.StateDict();
        first.LoadStateDict(first.StateDict().Keys.ToDictionary(k => k, k => sd[k]));
        second.LoadStateDict(second.StateDict().Keys.ToDictionary(k => k, k => sd[k.Replace("_l0", "_l1")]));

        var rng = new Rng(8);
        var x = Leaf(Tensor.Randn(rng, T, B, I));
        var g = Tensor.Randn(rng, T, B, D * H);
        var (y, _, _) = RecurrentFixtures.Run(stacked, x, null, null, null);
        Ops.Sum(Ops.Mul(y, g)).Backward();

        var xr = Leaf(x.Detach());
        var (y0, _, _) = RecurrentFixtures.Run(first, xr, null, null, null);
        var (yr, _, _) = RecurrentFixtures.Run(second, Ops.Mul(y0, mask), null, null, null);
        Ops.Sum(Ops.Mul(yr, g)).Backward();

        Compare.Close(yr, y, "output", output);
        Compare.Close(xr.Grad!, x.Grad!, "grad/input", output);
        foreach (var (n, t) in first.NamedParameters()) Compare.Close(t.Grad!, sd[n].Grad!, n, output);
        foreach (var (n, t) in second.NamedParameters()) Compare.Close(t.Grad!, sd[n.Replace("_l0", "_l1")].Grad!, n.Replace("_l0", "_l1"), output);
    }

    [Fact]
    public void ParameterNamesShapesAndInitMatchPyTorch()
    {
        var lstm = new Lstm(3, 5, numLayers: 2, bidirectional: true, rng: new Rng(1));
        var names = lstm.NamedParameters().Select(p => $"{p.Name}{p.Value.ShapeString}").ToArray();
        Assert.Equal(new[]
        {
            "weight_ih_l0(20, 3)", "weight_hh_l0(20, 5)", "bias_ih_l0(20)", "bias_hh_l0(20)",
            "weight_ih_l0_reverse(20, 3)", "weight_hh_l0_reverse(20, 5)", "bias_ih_l0_reverse(20)", "bias_hh_l0_reverse(20)",
            "weight_ih_l1(20, 10)", "weight_hh_l1(20, 5)", "bias_ih_l1(20)", "bias_hh_l1(20)",
            "weight_ih_l1_reverse(20, 10)", "weight_hh_l1_reverse(20, 5)", "bias_ih_l1_reverse(20)", "bias_hh_l1_reverse(20)",
        }, names);
        float k = 1f / MathF.Sqrt(5);
        Assert.All(lstm.Parameters().SelectMany(p => p.Data), v => Assert.InRange(v, -k, k));
        Assert.Equal(new[] { "weight_ih_l0", "weight_hh_l0" }, new Gru(2, 3, bias: false).NamedParameters().Select(p => p.Name));
        Assert.Equal(3 * 2 + 3 * 3 + 3 + 3, new Rnn(2, 3).ParameterCount);
    }

    [Fact]
    public void BadInputNamesTheTensorAndBothShapes()
    {
        var lstm = new Lstm(3, 4, numLayers: 2, batchFirst: true);
        var x = new Tensor(2, 5, 3);   // (B=2, T=5, I=3)
        var e = Assert.Throws<ArgumentException>(() => lstm.Forward(new Tensor(5, 3)));
        Assert.Contains("input", e.Message); Assert.Contains("rank 3", e.Message); Assert.Contains("(5, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(new Tensor(2, 5, 7)));
        Assert.Contains("(2, 5, 7)", e.Message); Assert.Contains("input_size 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, new Tensor(1, 2, 4)));
        Assert.Contains("h0 must have shape (2, 2, 4)", e.Message); Assert.Contains("got (1, 2, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, new HiddenState(new Tensor(2, 2, 4), new Tensor(1, 2, 4))));
        Assert.Contains("c0 must have shape (2, 2, 4)", e.Message); Assert.Contains("got (1, 2, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, new HiddenState(new Tensor(2, 2, 4), new Tensor(2, 3, 4))));
        Assert.Contains("c0", e.Message); Assert.Contains("(2, 2, 4)", e.Message); Assert.Contains("(2, 3, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, lengths: [5]));
        Assert.Contains("lengths", e.Message); Assert.Contains("1 entries", e.Message); Assert.Contains("(2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, lengths: [5, 6]));
        Assert.Contains("lengths[1] = 6", e.Message); Assert.Contains("1..5", e.Message);
        e = Assert.Throws<ArgumentException>(() => lstm.Forward(x, lengths: [0, 5]));
        Assert.Contains("lengths[0] = 0", e.Message);
        var rnn = new Rnn(3, 4);
        e = Assert.Throws<ArgumentException>(() => rnn.Forward(new Tensor(5, 2, 3), new Tensor(1, 5, 4)));
        Assert.Contains("h0 must have shape (1, 2, 4)", e.Message); Assert.Contains("got (1, 5, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Gru(3, 4).Forward(new Tensor(0, 2, 3)));
        Assert.Contains("empty", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(3, 4, dropout: 1.5f));
        Assert.Throws<ArgumentNullException>(() => rnn.Forward(null!));
    }
}

internal static class LetExtensions
{
    public static void Let<T>(this T value, Action<T> action) => action(value);
}
