using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Tensors.Kernels;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Inference;

/// <summary>
/// <see cref="SequentialPredictor"/> on its packed weights (<see cref="GemmPrepacked"/>: bias and ReLU in the tile's store,
/// rows split over threads) against the layers' no-grad <c>Forward</c>, bit for bit: shapes that reach every tile edge,
/// more than one k-slice, each activation, with and without bias, every vector width, one and two kernel threads; and a
/// split of the rows at any tile boundary giving each row the same bits.
/// </summary>
public class SequentialPredictorTests(ITestOutputHelper output)
{
    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]:R}, the layers' forward gives {expected[i]:R}");
    }

    private static Layer ActivationLayer(int which) => which switch { 0 => new ReLU(), 1 => new Tanh(), _ => new Sigmoid() };

    [Fact]
    public void PackedPathGivesTheLayersBitsOnRandomShapes()
    {
        var rng = new Rng(17);
        int[] widths = [1, 7, 8, 10, 16, 31, 32, 33, 50, 64, 100];
        int[] inputs = [1, 3, 8, 64, 255, 256, 257, 300, 600];
        int[] batches = [1, 3, 4, 5, 8, 9, 17, 32, 101, 300];
        int saved = KernelThreads.Count, cases = 0, packed = 0;
        try
        {
            foreach (int threads in (int[])[1, 2])
                foreach (int bits in FastPaths.MachineWidths())
                    for (int c = 0; c < 14; c++)
                    {
                        KernelThreads.Count = threads;
                        int input = inputs[(int)(rng.NextFloat() * inputs.Length)];
                        int hidden = widths[(int)(rng.NextFloat() * widths.Length)], outputs = widths[(int)(rng.NextFloat() * widths.Length)];
                        int batch = batches[(int)(rng.NextFloat() * batches.Length)];
                        bool bias = rng.NextFloat() < 0.7f;
                        int act = (int)(rng.NextFloat() * 3);
                        var model = new Sequential(new Linear(input, hidden, bias, new Rng((ulong)c + 1)), ActivationLayer(act),
                            new Linear(hidden, outputs, !bias || c % 2 == 0, new Rng((ulong)c + 2)), new ReLU());
                        var x = Tensor.Randn(new Rng((ulong)c + 3), batch, input);
                        if (c % 3 == 0) x.Data[rng.NextFloat() < 0.5f ? 0 : x.Length - 1] = float.NaN;
                        int b0 = FastPaths.MaxVectorBits;
                        float[] expected, actual;
                        try
                        {
                            FastPaths.MaxVectorBits = bits;
                            using (Tape.NoGrad()) expected = model.Forward(x).Data;
                            actual = new SequentialPredictor(model).Run(x).Data;
                        }
                        finally { FastPaths.MaxVectorBits = b0; }
                        AssertBits(expected, actual, $"threads {threads} width {bits} {input}-{hidden}-{outputs} batch {batch} bias {bias} activation {act}");
                        cases++;
                        if (batch >= 4 && hidden >= 8 && (long)batch * hidden * input >= 4096) packed++;
                    }
        }
        finally { KernelThreads.Count = saved; }
        output.WriteLine($"{cases} models bit for bit, {packed} with a packed first layer");
        Assert.True(packed > cases / 3, $"only {packed} of {cases} models reached the packed path");
    }

    [Fact]
    public void MlpOfTheBenchmarkGivesTheLayersBitsAtEveryBatchAndThreadCount()
    {
        var model = new Sequential(new Linear(64, 256, rng: new Rng(8)), new ReLU(), new Linear(256, 256, rng: new Rng(9)), new ReLU(),
            new Linear(256, 10, rng: new Rng(10)));
        var p = new SequentialPredictor(model);
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in (int[])[1, 2])
                foreach (int batch in (int[])[1, 2, 4, 31, 32, 33, 1000, 1024])
                {
                    KernelThreads.Count = threads;
                    var x = Tensor.Randn(new Rng((ulong)batch), batch, 64);
                    float[] expected;
                    using (Tape.NoGrad()) expected = model.Forward(x).Data;
                    AssertBits(expected, p.Run(x).Data, $"threads {threads} batch {batch}");
                }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void ReluInTheStoreKeepsNaNAndClearsNegativeZero()
    {
        // outputs of every sign, zero sums on a -0 bias, and NaN rows: the fused ReLU against TensorPrimitives.Max's
        var layer = new Linear(16, 40, rng: new Rng(4));
        for (int j = 0; j < 40; j += 3) { layer.Bias!.Data[j] = -0f; for (int q = 0; q < 16; q++) layer.Weight.Data[j * 16 + q] = 0f; }
        var model = new Sequential(layer, new ReLU());
        var x = Tensor.Randn(new Rng(5), 20, 16);
        x.Data[16 * 3 + 2] = float.NaN;
        x.Data[16 * 19] = float.NegativeInfinity;
        float[] expected;
        using (Tape.NoGrad()) expected = model.Forward(x).Data;
        var actual = new SequentialPredictor(model).Run(x).Data;
        AssertBits(expected, actual, "relu");
        Assert.Contains(actual, float.IsNaN);
    }

    [Fact]
    public void SignOfZeroSumsMatchesTheGemmsFullAndEdgeTiles()
    {
        // products that underflow to -0 on a -0 bias: the GEMM's full tiles give -0 + -0 = -0, its edge tiles
        // -0 + (0 + -0) = +0; the wider tiles here must give each element the same sign (rows 16-19 and, for 60
        // columns, columns 32-59 are the GEMM's edges; for 64 none are)
        foreach (int bits in FastPaths.MachineWidths())
            foreach (int n in (int[])[60, 64, 100])
            {
                var layer = new Linear(8, n, rng: new Rng(1));
                Array.Fill(layer.Weight.Data, 1e-23f);
                Array.Fill(layer.Bias!.Data, -0f);
                var model = new Sequential(layer);
                var x = new Tensor(20, 8);
                Array.Fill(x.Data, -1e-23f);
                int b0 = FastPaths.MaxVectorBits;
                try
                {
                    FastPaths.MaxVectorBits = bits;
                    float[] expected;
                    using (Tape.NoGrad()) expected = model.Forward(x).Data;
                    Assert.Contains(expected, v => BitConverter.SingleToInt32Bits(v) == BitConverter.SingleToInt32Bits(-0f));
                    AssertBits(expected, new SequentialPredictor(model).Run(x).Data, $"width {bits} n {n}");
                }
                finally { FastPaths.MaxVectorBits = b0; }
            }
    }

    [Fact]
    public void AnyRowSplitGivesEachRowTheSameBits()
    {
        // the parts of a split run rows i0..i1 on their own: every split at a tile boundary gives the whole product's bits
        foreach (var (m, n, k) in ((int, int, int)[])[(37, 40, 300), (64, 10, 256), (19, 33, 8)])
        {
            var rng = new Rng((ulong)(m + n + k));
            var weight = new float[n * k]; var bias = new float[n]; var x = new float[m * k];
            rng.FillNormal(weight, 0f, 0.1f); rng.FillNormal(bias, 0f, 0.1f); rng.FillNormal(x, 0f, 1f);
            var w = new PrepackedWeights(weight, bias, n, k);
            var whole = new float[m * n];
            GemmPrepacked.RunRows(x, m, w, whole, true, 0, m);
            for (int split = GemmMicroKernel.MR; split < m; split += GemmMicroKernel.MR)
            {
                var parts = new float[m * n];
                GemmPrepacked.RunRows(x, m, w, parts, true, split, m);
                GemmPrepacked.RunRows(x, m, w, parts, true, 0, split);
                AssertBits(whole, parts, $"{m}x{n}x{k} split at {split}");
            }
            // and the whole equals the GEMM's product with the bias, then max(., 0)
            var reference = new float[m * n];
            for (int r = 0; r < m; r++) bias.CopyTo(reference, r * n);
            Gemm.Run(false, true, m, n, k, x, k, weight, k, reference, n, accumulate: true);
            System.Numerics.Tensors.TensorPrimitives.Max(reference, 0f, reference);
            AssertBits(reference, whole, $"{m}x{n}x{k} against Gemm.Run");
        }
    }

    [Fact]
    public void WeightsAreReadAtConstructionAndByRefresh()
    {
        var model = new Sequential(new Linear(20, 48, rng: new Rng(1)), new ReLU(), new Linear(48, 9, rng: new Rng(2)));
        var p = new SequentialPredictor(model);
        foreach (int batch in (int[])[1, 40])
        {
            var x = Tensor.Randn(new Rng(3), batch, 20);
            var before = p.Run(x).Data;
            foreach (var w in model.Parameters()) for (int i = 0; i < w.Length; i++) w.Data[i] *= 0.5f;
            Assert.Equal(before, p.Run(x).Data);                 // the weights as they were read...
            p.Refresh();
            float[] expected;
            using (Tape.NoGrad()) expected = model.Forward(x).Data;
            AssertBits(expected, p.Run(x).Data, $"batch {batch} after Refresh");   // ...and as Refresh read them
            Assert.NotEqual(before, expected);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(32, 1)]
    [InlineData(1023, 1)]
    [InlineData(32, 2)]
    [InlineData(1024, 2)]
    public void SteadyStateCallAllocatesNothing(int batch, int threads)
    {
        var p = new SequentialPredictor(new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10)));
        var x = new float[batch * 64]; var y = new float[batch * 10];
        new Rng(1).FillNormal(x, 0f, 1f);
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = threads;
            for (int i = 0; i < 3; i++) p.Run(x, batch, y);
            long least = Allocations.LeastPerCall(() => p.Run(x, batch, y));
            Assert.Equal(0, least);
        }
        finally { KernelThreads.Count = saved; }
    }
}
