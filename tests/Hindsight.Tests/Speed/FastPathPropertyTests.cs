using System.Runtime.InteropServices;
using CsCheck;
using Hindsight.Layers.Recurrent;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Tests.Speed;

/// <summary>
/// Every fast path held to its general path, bit for bit (issue 8, point 5; the narrow-head Linear backward was
/// removed: it did not pay in <c>hindsight bench W1</c>): the tiny-hidden Elman path, the few-input
/// projection, the LSTM whole-step tanh, and the LSTM/GRU cell formulas (written once,
/// generic over the vector width) at every width this machine has. The reference runs with every fast path off and
/// the cell formulas one lane at a time; each candidate runs with every fast path on at one width. Outputs, final
/// states and every gradient (two passes, so the second accumulates into non-zero gradients) must match in bits.
/// </summary>
public class FastPathPropertyTests
{
    /// <summary>One recurrent configuration.</summary>
    public sealed record RecurrentCase(string Cell, int Input, int Hidden, int Layers, bool Bias, bool BatchFirst,
        bool Bidirectional, int T, int B, bool InitialState, bool Lengths, bool InputGrad, int Seed);

    private static readonly Gen<RecurrentCase> Shapes =
        from layers in Gen.Int[1, 2]
        from bias in Gen.Int[0, 4]
        from batchFirst in Gen.Bool
        from bidirectional in Gen.Int[0, 3]
        from t in Gen.Int[1, 12]
        from b in Gen.Int[1, 8]
        from h0 in Gen.Bool
        from lengths in Gen.Int[0, 3]
        from inputGrad in Gen.Int[0, 3]
        from seed in Gen.Int[0, 1_000_000]
        select new RecurrentCase("", 0, 0, layers, bias > 0, batchFirst, bidirectional == 0, t, b, h0, lengths == 0, inputGrad > 0, seed);

    // Elman: mostly hidden 2..7 (the tiny path: H = 2 with one input is unrolled), some wider (the projection path
    // needs G*H >= 8), one or several inputs, tanh and relu, with and without bias, lengths, bidirectional, h0.
    private static readonly Gen<RecurrentCase> Elman =
        from relu in Gen.Bool
        from tiny in Gen.Int[0, 4]
        from hidden in tiny > 0 ? Gen.Int[2, 7] : Gen.Int[1, 20]
        from input in Gen.OneOf(1, 1, 2, 3, 4, 5, 9)
        from shape in Shapes
        select shape with { Cell = relu ? "relu" : "tanh", Hidden = hidden, Input = input };

    // LSTM and GRU: hidden sizes around every vector width (tails of 16, 8, 4 and 1 lanes) and multiples of 16
    // (the LSTM whole-step tanh); one to four inputs reach the few-input projection.
    private static readonly Gen<RecurrentCase> Gated =
        from lstm in Gen.Bool
        from wide in Gen.Bool
        from hidden in wide ? Gen.OneOf(16, 32, 48) : Gen.Int[1, 21]
        from input in Gen.OneOf(1, 1, 2, 3, 4, 6)
        from shape in Shapes
        select shape with { Cell = lstm ? "lstm" : "gru", Hidden = hidden, Input = input };

    [Fact]
    public void ElmanMatchesGeneralPath() => Elman.Sample(c => AssertSameBits(() => RunRecurrent(c), c.ToString()), iter: 300);

    [Fact]
    public void LstmAndGruMatchGeneralPath() => Gated.Sample(c => AssertSameBits(() => RunRecurrent(c), c.ToString()), iter: 200);

    /// <summary>Each branch of each fast path once for certain, whatever the random draws.</summary>
    public static TheoryData<RecurrentCase> Branches() =>
    [
        new("tanh", 1, 2, 1, true, true, false, 10, 10, false, false, true, 1),    // W1: unrolled H = 2, one input
        new("relu", 1, 2, 1, true, false, false, 6, 3, true, false, true, 2),      // H = 2 relu (general tiny backward)
        new("tanh", 3, 5, 2, true, false, false, 7, 4, true, false, true, 3),      // several inputs, second layer
        new("relu", 1, 7, 1, false, true, false, 5, 2, false, false, false, 4),   // no bias
        new("tanh", 1, 20, 1, true, false, false, 8, 8, false, false, true, 5),    // few-input projection, G*H = 20
        new("lstm", 1, 64, 1, true, true, false, 12, 8, true, false, true, 6),     // W4: projection, whole-step tanh
        new("lstm", 2, 16, 2, true, false, true, 9, 5, true, true, true, 7),       // lengths, bidirectional
        new("lstm", 3, 13, 1, true, false, false, 4, 3, false, false, true, 8),    // tails of 8, 4, 1 lanes
        new("gru", 1, 29, 1, true, true, false, 10, 6, true, false, true, 9),      // GRU: 16 + 8 + 4 + 1 lanes
        new("gru", 4, 3, 2, false, false, true, 6, 4, false, true, true, 10),      // GRU below one Vector128
    ];

    [Theory]
    [MemberData(nameof(Branches))]
    public void BranchMatchesGeneralPath(RecurrentCase c) => AssertSameBits(() => RunRecurrent(c), c.ToString());

    /// <summary>The switches reach the code: forcing the general path changes which path runs, not the bits.</summary>
    [Fact]
    public void SwitchesAreThreadLocalAndRestored()
    {
        Assert.True(FastPaths.On(FastPath.TinyRecurrent));
        var results = With(FastPath.All, 32, () => FastPaths.On(FastPath.TinyRecurrent) || FastPaths.Allows(128));
        Assert.False(results);
        Assert.True(FastPaths.On(FastPath.TinyRecurrent));
        Assert.True(FastPaths.Allows(512));
    }

    private static void AssertSameBits(Func<float[][]> run, string what)
    {
        var reference = With(FastPath.All, 32, run);
        foreach (int bits in FastPaths.MachineWidths())
        {
            var fast = With(FastPath.None, bits, run);
            Assert.Equal(reference.Length, fast.Length);
            for (int k = 0; k < reference.Length; k++)
            {
                var a = MemoryMarshal.Cast<float, int>(reference[k]); var b = MemoryMarshal.Cast<float, int>(fast[k]);
                Assert.Equal(a.Length, b.Length);
                for (int e = 0; e < a.Length; e++)
                    if (a[e] != b[e])
                        Assert.Fail($"{what}: result {k} element {e} at width {bits}: general {reference[k][e]:R} vs fast {fast[k][e]:R}");
            }
        }
    }

    private static T With<T>(FastPath disabled, int bits, Func<T> run)
    {
        var (d0, b0) = (FastPaths.Disabled, FastPaths.MaxVectorBits);
        FastPaths.Disabled = disabled; FastPaths.MaxVectorBits = bits;
        try { return run(); }
        finally { FastPaths.Disabled = d0; FastPaths.MaxVectorBits = b0; }
    }

    private static float[][] RunRecurrent(RecurrentCase c)
    {
        var rng = new Rng((ulong)c.Seed + 1);
        RecurrentBase net = c.Cell switch
        {
            "tanh" => new Rnn(c.Input, c.Hidden, c.Layers, RnnNonlinearity.Tanh, c.Bias, c.BatchFirst, 0, c.Bidirectional, rng),
            "relu" => new Rnn(c.Input, c.Hidden, c.Layers, RnnNonlinearity.Relu, c.Bias, c.BatchFirst, 0, c.Bidirectional, rng),
            "lstm" => new Lstm(c.Input, c.Hidden, c.Layers, c.Bias, c.BatchFirst, 0, c.Bidirectional, rng),
            _ => new Gru(c.Input, c.Hidden, c.Layers, c.Bias, c.BatchFirst, 0, c.Bidirectional, rng),
        };
        int ld = c.Layers * (c.Bidirectional ? 2 : 1), dh = (c.Bidirectional ? 2 : 1) * c.Hidden;
        var x = Tensor.Uniform(-2f, 2f, rng, c.BatchFirst ? [c.B, c.T, c.Input] : [c.T, c.B, c.Input]);
        x.RequiresGrad = c.InputGrad;
        Tensor? h0 = null, c0 = null;
        if (c.InitialState)
        {
            h0 = Tensor.Uniform(-1f, 1f, rng, ld, c.B, c.Hidden); h0.RequiresGrad = true;
            if (c.Cell == "lstm") { c0 = Tensor.Uniform(-1f, 1f, rng, ld, c.B, c.Hidden); c0.RequiresGrad = true; }
        }
        int[]? lengths = c.Lengths ? [.. Enumerable.Range(0, c.B).Select(_ => 1 + (int)(rng.NextFloat() * c.T) % c.T)] : null;
        var dy = Tensor.Uniform(-1f, 1f, rng, c.BatchFirst ? [c.B, c.T, dh] : [c.T, c.B, dh]);
        var dhn = Tensor.Uniform(-1f, 1f, rng, ld, c.B, c.Hidden);
        var dcn = Tensor.Uniform(-1f, 1f, rng, ld, c.B, c.Hidden);

        var results = new List<float[]>();
        for (int pass = 0; pass < 2; pass++)
        {
            var (y, hn, cn) = Forward(net, x, h0, c0, lengths);
            var loss = Ops.Add(Ops.Sum(Ops.Mul(y, dy)), Ops.Sum(Ops.Mul(hn, dhn)));
            if (cn is not null) loss = Ops.Add(loss, Ops.Sum(Ops.Mul(cn, dcn)));
            loss.Backward();
            results.Add(y.Data); results.Add(hn.Data);
            if (cn is not null) results.Add(cn.Data);
        }
        if (x.RequiresGrad) results.Add(x.Grad!.Data);
        if (h0 is not null) results.Add(h0.Grad!.Data);
        if (c0 is not null) results.Add(c0.Grad!.Data);
        foreach (var (_, p) in net.NamedParameters()) results.Add(p.Grad!.Data);
        return [.. results];
    }

    /// <summary>The one place that calls the layers' public Forward.</summary>
    private static (Tensor Output, Tensor HiddenState, Tensor? CellState) Forward(RecurrentBase net, Tensor x, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        var (y, h, c) = net.Forward(x, h0 is null ? null : new HiddenState(h0, c0), lengths);
        return (y, h, c);
    }
}
