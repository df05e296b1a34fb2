using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Tensors.Kernels;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Inference;

/// <summary>
/// The inference path against the layers' own no-grad forward: the same bits on random configurations (every cell, 1-3
/// layers, both layouts, with and without bias and head, both readouts, every vector width), no allocation per call once
/// a shape has been seen, and its errors.
/// </summary>
public class PredictorTests(ITestOutputHelper output)
{
    private static RecurrentBase Make(string kind, int input, int hidden, int layers, bool bias, bool batchFirst, Rng rng) => kind switch
    {
        "rnn" => new Rnn(input, hidden, layers, bias: bias, batchFirst: batchFirst, rng: rng),
        "relu" => new Rnn(input, hidden, layers, RnnNonlinearity.Relu, bias: bias, batchFirst: batchFirst, rng: rng),
        "lstm" => new Lstm(input, hidden, layers, bias: bias, batchFirst: batchFirst, rng: rng),
        _ => new Gru(input, hidden, layers, bias: bias, batchFirst: batchFirst, rng: rng),
    };

    /// <summary>What the layers compute without the inference path: the top layer's last state or every step, then the head.</summary>
    private static float[] Reference(RecurrentBase layer, Linear? head, RecurrentReadout readout, Tensor x)
    {
        using var _ = Tape.NoGrad();
        var r = layer.Forward(x);
        Tensor y;
        if (readout == RecurrentReadout.EveryStep) y = r.Output;
        else
        {
            var hn = r.Hidden;
            y = Ops.Select(hn, 0, layer.NumLayers - 1);
        }
        return (head is null ? y : head.Forward(y)).Data;
    }

    public static TheoryData<string> Kinds => new() { "rnn", "relu", "lstm", "gru" };

    [Theory, MemberData(nameof(Kinds))]
    public void SameBitsAsTheLayersForwardOnRandomConfigurations(string kind)
    {
        var rng = new Rng((ulong)(kind.Length * 101 + 7));
        int[] hiddens = [2, 3, 5, 8, 16, 20, 32, 64];
        int[] inputs = [1, 2, 3, 5, 8];
        int[] batches = [1, 2, 3, 4, 5, 37, 70];
        int[] lengths = [1, 2, 7, 40];
        int cases = 0;
        foreach (int bits in FastPaths.MachineWidths())
            for (int c = 0; c < 12; c++)
            {
                int hidden = hiddens[(int)(rng.NextFloat() * hiddens.Length)], input = inputs[(int)(rng.NextFloat() * inputs.Length)];
                int layers = 1 + (int)(rng.NextFloat() * 3), batch = batches[(int)(rng.NextFloat() * batches.Length)];
                int steps = lengths[(int)(rng.NextFloat() * lengths.Length)];
                bool bias = rng.NextFloat() < 0.8f, batchFirst = rng.NextFloat() < 0.5f, withHead = rng.NextFloat() < 0.6f;
                var readout = rng.NextFloat() < 0.5f ? RecurrentReadout.LastStep : RecurrentReadout.EveryStep;
                var layer = Make(kind, input, hidden, layers, bias, batchFirst, new Rng((ulong)c + 1));
                var head = withHead ? new Linear(hidden, 1 + c % 3, rng: new Rng((ulong)c + 50)) : null;
                var x = Tensor.Randn(new Rng((ulong)c + 99), batchFirst ? [batch, steps, input] : [steps, batch, input]);
                float[] expected, actual;
                var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
                try
                {
                    FastPaths.MaxVectorBits = bits;
                    expected = Reference(layer, head, readout, x);
                    actual = new RecurrentPredictor(layer, head, readout).Run(x).Data;
                }
                finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; }
                string what = $"{kind} width {bits} H={hidden} I={input} L={layers} B={batch} T={steps} bias={bias} batchFirst={batchFirst} head={withHead} {readout}";
                Assert.True(expected.Length == actual.Length, what);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                        $"{what}: element {i} is {actual[i]:R}, the layer's forward gives {expected[i]:R}");
                cases++;
            }
        output.WriteLine($"{cases} configurations bit for bit");
    }

    [Theory, MemberData(nameof(Kinds))]
    public void SameBitsWithLengthsAndCarriedStates(string kind)
    {
        // lengths (short rows keep their state, every-step outputs are zero past them), initial states and the final
        // states written back, on random configurations, against the layer's forward with the same lengths and state
        var rng = new Rng((ulong)(kind.Length * 31 + 5));
        int[] hiddens = [2, 3, 5, 8, 16, 32];
        int[] batches = [1, 2, 3, 5, 37];
        int cases = 0;
        foreach (int bits in FastPaths.MachineWidths())
            for (int c = 0; c < 10; c++)
            {
                int hidden = hiddens[(int)(rng.NextFloat() * hiddens.Length)], input = 1 + (int)(rng.NextFloat() * 4);
                int layers = 1 + (int)(rng.NextFloat() * 3), batch = batches[(int)(rng.NextFloat() * batches.Length)];
                int steps = 1 + (int)(rng.NextFloat() * 12);
                bool batchFirst = rng.NextFloat() < 0.5f, withLengths = c % 3 != 2, withState = c % 2 == 0;
                var readout = rng.NextFloat() < 0.5f ? RecurrentReadout.LastStep : RecurrentReadout.EveryStep;
                var layer = Make(kind, input, hidden, layers, true, batchFirst, new Rng((ulong)c + 1));
                var head = c % 4 == 3 ? null : new Linear(hidden, 2, rng: new Rng((ulong)c + 50));
                var x = Tensor.Randn(new Rng((ulong)c + 99), batchFirst ? [batch, steps, input] : [steps, batch, input]);
                int[]? lengths = withLengths ? [.. Enumerable.Range(0, batch).Select(b => b == 0 ? steps : 1 + (int)(rng.NextFloat() * steps))] : null;
                var h0 = withState ? Tensor.Randn(new Rng((ulong)c + 7), layers, batch, hidden) : null;
                var c0 = withState && kind == "lstm" ? Tensor.Randn(new Rng((ulong)c + 8), layers, batch, hidden) : null;
                var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
                try
                {
                    FastPaths.MaxVectorBits = bits;
                    RecurrentOutput r;
                    using (Tape.NoGrad()) r = layer.Forward(x, h0 is null ? null : new HiddenState(h0, c0), lengths);
                    Tensor y = readout == RecurrentReadout.EveryStep ? r.Output : Ops.Select(r.State.H, 0, layers - 1);
                    float[] expected;
                    using (Tape.NoGrad()) expected = (head is null ? y : head.Forward(y)).Data;
                    var p = new RecurrentPredictor(layer, head, readout);
                    var actual = new float[p.OutputLength(batch, steps)];
                    var hidden0 = h0?.Data.ToArray() ?? []; var cell0 = c0?.Data.ToArray() ?? [];
                    p.Run(x.Data, batch, steps, actual, lengths, hidden0, cell0);
                    string what = $"{kind} width {bits} H={hidden} I={input} L={layers} B={batch} T={steps} batchFirst={batchFirst} lengths={withLengths} state={withState} {readout}";
                    AssertBits(expected, actual, what);
                    if (withState) AssertBits(r.State.H.Data, hidden0, what + " h_n");
                    if (c0 is not null) AssertBits(r.State.C!.Data, cell0, what + " c_n");
                }
                finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; }
                cases++;
            }
        output.WriteLine($"{cases} configurations bit for bit");
    }

    [Theory, MemberData(nameof(Kinds))]
    public void RowRangesOnSeveralThreadsGiveTheLayersBits(string kind)
    {
        // the batch cut into row ranges, each run over the whole sequence on its own kernel thread (forced for small
        // shapes), against the layer's forward: random sizes (ranges of unequal rows, every GEMM loop), lengths, carried
        // states, both layouts and readouts, 2 and 3 threads, every vector width
        var rng = new Rng((ulong)(kind.Length * 17 + 3));
        int[] hiddens = [3, 8, 16, 20, 32, 64];
        int[] inputs = [1, 2, 5, 8, 24];
        int[] batches = [16, 17, 29, 37, 70];
        int[] lengths = [1, 2, 7, 40];
        int saved = KernelThreads.Count, cases = 0, split = 0, eligible = 0;
        try
        {
            RecurrentBase.SplitThresholdOverride = 1;
            foreach (int bits in FastPaths.MachineWidths())
                for (int c = 0; c < 10; c++)
                {
                    int hidden = hiddens[(int)(rng.NextFloat() * hiddens.Length)], input = inputs[(int)(rng.NextFloat() * inputs.Length)];
                    int layers = 1 + (int)(rng.NextFloat() * 3), batch = batches[(int)(rng.NextFloat() * batches.Length)];
                    int steps = lengths[(int)(rng.NextFloat() * lengths.Length)];
                    bool batchFirst = rng.NextFloat() < 0.5f, withLengths = c % 3 == 1, withState = c % 2 == 0;
                    var readout = rng.NextFloat() < 0.5f ? RecurrentReadout.LastStep : RecurrentReadout.EveryStep;
                    var layer = Make(kind, input, hidden, layers, rng.NextFloat() < 0.8f, batchFirst, new Rng((ulong)c + 1));
                    var head = c % 4 == 3 ? null : new Linear(hidden, 2, rng: new Rng((ulong)c + 50));
                    var x = Tensor.Randn(new Rng((ulong)c + 99), batchFirst ? [batch, steps, input] : [steps, batch, input]);
                    int[]? lens = withLengths ? [.. Enumerable.Range(0, batch).Select(b => b == 1 ? steps : 1 + (int)(rng.NextFloat() * steps))] : null;
                    var h0 = withState ? Tensor.Randn(new Rng((ulong)c + 7), layers, batch, hidden) : null;
                    var c0 = withState && kind == "lstm" ? Tensor.Randn(new Rng((ulong)c + 8), layers, batch, hidden) : null;
                    var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
                    try
                    {
                        FastPaths.MaxVectorBits = bits;
                        KernelThreads.Count = 1;
                        RecurrentOutput r;
                        using (Tape.NoGrad()) r = layer.Forward(x, h0 is null ? null : new HiddenState(h0, c0), lens);
                        Tensor y = readout == RecurrentReadout.EveryStep ? r.Output : Ops.Select(r.State.H, 0, layers - 1);
                        float[] expected;
                        using (Tape.NoGrad()) expected = (head is null ? y : head.Forward(y)).Data;
                        KernelThreads.Count = 2 + c % 2;
                        var p = new RecurrentPredictor(layer, head, readout);
                        var actual = new float[p.OutputLength(batch, steps)];
                        var hidden0 = h0?.Data.ToArray() ?? []; var cell0 = c0?.Data.ToArray() ?? [];
                        p.Run(x.Data, batch, steps, actual, lens, hidden0, cell0);
                        string what = $"{kind} width {bits} threads {KernelThreads.Count} H={hidden} I={input} L={layers} B={batch} T={steps} "
                            + $"batchFirst={batchFirst} lengths={withLengths} state={withState} {readout} split={p.SplitRuns}";
                        AssertBits(expected, actual, what);
                        if (withState) AssertBits(r.State.H.Data, hidden0, what + " h_n");
                        if (c0 is not null) AssertBits(r.State.C!.Data, cell0, what + " c_n");
                        split += p.SplitRuns;
                        if (layer.SplitParts(steps, batch, withLengths) > 1) eligible++;
                    }
                    finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; KernelThreads.Count = saved; }
                    cases++;
                }
        }
        finally { RecurrentBase.SplitThresholdOverride = 0; KernelThreads.Count = saved; }
        output.WriteLine($"{cases} configurations bit for bit, {eligible} to be split, {split} split");
        // another test's parallel kernel can hold the threads (the call then runs unsplit), but not for most calls
        Assert.True(eligible > cases / 4 && split > eligible / 2, $"{split} of {eligible} calls to be split ran split ({cases} calls)");
    }

    [Fact]
    public void SplitChoosesRangesThatKeepTheWholeBatchsLoops()
    {
        // the split needs the kernel threads, eight rows a range, enough work, and ranges on the whole batch's GEMM loops
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            var lstm = new Lstm(1, 64, batchFirst: true);
            Assert.Equal(1, lstm.SplitParts(48, 1));
            Assert.Equal(1, lstm.SplitParts(48, 15));
            Assert.Equal(2, lstm.SplitParts(48, 32));
            Assert.Equal(1, lstm.SplitParts(1, 16));                     // too little work
            Assert.Equal([0, 16, 37], new[] { 0, 1, 2 }.Select(p => RecurrentBase.RangeStart(37, 2, p)));
            Assert.Equal([0, 8, 16, 29], new[] { 0, 1, 2, 3 }.Select(p => RecurrentBase.RangeStart(29, 3, p)));
            Assert.Equal(1, new Gru(8, 128, 2, bidirectional: true).SplitParts(100, 32));
            KernelThreads.Count = 1;
            Assert.Equal(1, lstm.SplitParts(48, 32));
            KernelThreads.Count = 2;
            RecurrentBase.SplitThresholdOverride = 1;
            // H=3: 16 rows x 12 x 3 = 576 multiply-adds per step take the row-times-matrix loop, 8 rows (288) the tiny
            // one: not split; 40 rows as 16 and 24 stay on the row-times-matrix loop
            var tiny = new Lstm(2, 3);
            Assert.Equal(1, tiny.SplitParts(5, 16));
            Assert.Equal(2, tiny.SplitParts(5, 40));
            // H=8: 16 rows x 32 x 8 = 4096 multiply-adds take the packed kernels, 8 rows not: not split; 32 rows as 16 and 16 are
            var narrow = new Lstm(2, 8);
            Assert.Equal(1, narrow.SplitParts(5, 16));
            Assert.Equal(2, narrow.SplitParts(5, 32));
        }
        finally { KernelThreads.Count = saved; RecurrentBase.SplitThresholdOverride = 0; }
    }

    [Fact]
    public void CarriedStateOneStepAtATimeGivesTheLayersBits()
    {
        // generation's loop: one step per call carrying the state, against the layer's forward carrying a RecurrentState
        foreach (var kind in (string[])["rnn", "lstm", "gru"])
        {
            var layer = Make(kind, 3, 16, 2, true, false, new Rng(3));
            var head = new Linear(16, 3, rng: new Rng(4));
            int B = 2, T = 6;
            var x = Tensor.Randn(new Rng(5), T, B, 3);
            var p = new RecurrentPredictor(layer, head, RecurrentReadout.EveryStep);
            var hidden = new float[p.StateLength(B)]; var cell = kind == "lstm" ? new float[p.StateLength(B)] : [];
            var stepOut = new float[p.OutputLength(B, 1)];
            var carried = new RecurrentState();
            for (int t = 0; t < T; t++)
            {
                var xt = new Tensor(1, B, 3);
                x.Data.AsSpan(t * B * 3, B * 3).CopyTo(xt.Data);
                float[] expected;
                using (Tape.NoGrad())
                {
                    var (y, final) = layer.Forward(xt, carried.State);
                    carried.Carry(final);
                    expected = head.Forward(y).Data;
                }
                p.Run(xt.Data, B, 1, stepOut, default, hidden, cell);
                AssertBits(expected, stepOut, $"{kind} step {t}");
                AssertBits(carried.Hidden!.Data, hidden, $"{kind} step {t} h");
            }
        }
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]:R}, the layer's forward gives {expected[i]:R}");
    }

    [Fact]
    public void SameBitsWithoutTheFastPaths()
    {
        // the general cell steps (no fused step, no few-input projection, no tiny path) against the same layers' forward
        foreach (var kind in (string[])["rnn", "lstm", "gru"])
        {
            var layer = Make(kind, 3, 16, 2, true, true, new Rng(3));
            var head = new Linear(16, 2, rng: new Rng(4));
            var x = Tensor.Randn(new Rng(5), 3, 9, 3);
            var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
            try
            {
                FastPaths.Disabled = FastPath.All;
                Assert.Equal(Reference(layer, head, RecurrentReadout.LastStep, x), new RecurrentPredictor(layer, head).Run(x).Data);
            }
            finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; }
        }
    }

    [Fact]
    public void SequentialPredictorGivesTheModelsBits()
    {
        var model = new Sequential(new Linear(12, 40, rng: new Rng(1)), new ReLU(), new Linear(40, 33, rng: new Rng(2)), new Tanh(),
            new Linear(33, 5, bias: false, rng: new Rng(3)), new Sigmoid());
        var p = new SequentialPredictor(model);
        foreach (int batch in (int[])[1, 2, 3, 4, 31, 300])
        {
            var x = Tensor.Randn(new Rng((ulong)batch), batch, 12);
            float[] expected;
            using (Tape.NoGrad()) expected = model.Forward(x).Data;
            Assert.Equal(expected, p.Run(x).Data);
        }
    }

    [Fact]
    public void RefreshReadsChangedWeights()
    {
        var lstm = new Lstm(2, 8, batchFirst: true, rng: new Rng(1));
        var p = new RecurrentPredictor(lstm);
        var x = Tensor.Randn(new Rng(2), 2, 5, 2);
        var before = p.Run(x).Data;
        foreach (var w in lstm.Parameters()) for (int i = 0; i < w.Length; i++) w.Data[i] *= 0.5f;
        Assert.Equal(before, p.Run(x).Data);                 // weights are read at construction...
        p.Refresh();
        Assert.Equal(Reference(lstm, null, RecurrentReadout.LastStep, x), p.Run(x).Data);  // ...and at Refresh
        Assert.NotEqual(before, p.Run(x).Data);
    }

    [Fact]
    public void RejectsWhatItCannotRun()
    {
        Assert.Throws<ArgumentException>("layer", () => new RecurrentPredictor(new Gru(2, 4, bidirectional: true)));
        Assert.Throws<ArgumentException>("head", () => new RecurrentPredictor(new Gru(2, 4), new Linear(5, 1)));
        var p = new RecurrentPredictor(new Gru(2, 4), new Linear(4, 3));
        Assert.Throws<ArgumentException>("input", () => p.Run(new float[7], 1, 3, new float[3]));
        Assert.Throws<ArgumentException>("output", () => p.Run(new float[6], 1, 3, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>("batch", () => p.Run(new float[6], 0, 3, new float[3]));
        Assert.Throws<ArgumentException>("lengths", () => p.Run(new float[6], 1, 3, new float[3], [4]));
        Assert.Throws<ArgumentException>("lengths", () => p.Run(new float[6], 1, 3, new float[3], [1, 2]));
        Assert.Throws<ArgumentException>("hidden", () => p.Run(new float[6], 1, 3, new float[3], default, new float[3]));
        Assert.Throws<ArgumentException>("cell", () => p.Run(new float[6], 1, 3, new float[3], default, new float[4], new float[4]));
        Assert.Throws<ArgumentException>("model", () => new SequentialPredictor(new Sequential(new ReLU(), new Linear(2, 2))));
        Assert.Throws<ArgumentException>("model", () => new SequentialPredictor(new Sequential(new Linear(2, 3), new Linear(4, 2))));
        Assert.Throws<ArgumentException>("model", () => new SequentialPredictor(new Sequential(new Linear(2, 3), new Softmax())));
    }

    public static TheoryData<string, int> AllocationCases => new()
    {
        { "lstm", 1 }, { "lstm", 64 }, { "gru2", 1 }, { "gru2", 32 }, { "seed", 1 }, { "seed", 1024 }, { "mlp", 1 }, { "mlp", 256 },
        { "lstm-2thr", 64 }, { "gru2-2thr", 32 },
    };

    [Theory, MemberData(nameof(AllocationCases))]
    public void SteadyStateCallAllocatesNothing(string model, int batch)
    {
        // "-2thr": two kernel threads, the batch run as two row ranges (the ranges' buffers are planned once too)
        bool twoThreads = model.EndsWith("-2thr", StringComparison.Ordinal);
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = twoThreads ? 2 : 1;
            AllocatesNothing(model, batch, twoThreads);
        }
        finally { KernelThreads.Count = saved; }
    }

    private void AllocatesNothing(string model, int batch, bool twoThreads)
    {
        Action call;
        RecurrentPredictor? recurrent = null;
        if (model == "mlp")
        {
            var p = new SequentialPredictor(new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10)));
            var x = new float[batch * 64]; var y = new float[batch * 10];
            call = () => p.Run(x, batch, y);
        }
        else
        {
            // W4's LSTM with its head on the last step; the 2-layer GRU; the seed's RNN with a head on every step
            var (layer, steps, readout) = model switch
            {
                "lstm" or "lstm-2thr" => ((RecurrentBase)new Lstm(1, 64, batchFirst: true), 48, RecurrentReadout.LastStep),
                "gru2" or "gru2-2thr" => (new Gru(8, 128, 2, batchFirst: true), 20, RecurrentReadout.LastStep),
                _ => (new Rnn(1, 2, batchFirst: true), 10, RecurrentReadout.EveryStep),
            };
            var p = recurrent = new RecurrentPredictor(layer, new Linear(layer.HiddenSize, 1), readout);
            var x = new float[batch * steps * layer.InputSize]; var y = new float[p.OutputLength(batch, steps)];
            new Rng(1).FillNormal(x, 0f, 1f);
            call = () => p.Run(x, batch, steps, y);
        }
        for (int i = 0; i < 3; i++) call();
        long least = Allocations.LeastPerCall(call);
        output.WriteLine($"{model} batch {batch}: {least} bytes per call, {recurrent?.SplitRuns ?? 0} of 9 calls split");
        Assert.Equal(0, least);
        if (twoThreads) Assert.True(recurrent!.SplitRuns > 0, "no call ran split");
    }
}
