using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Optimizers;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// The one recurrent API: user code written once against <see cref="RecurrentLayer"/> runs every cell (Rnn, Lstm,
/// Gru, Jordan) with the same rules for state, lengths and stateful chunks; a recurrent layer in a <see cref="Sequential"/>.
/// </summary>
public class RecurrentApiTests
{
    private const int I = 2, H = 5, B = 3, T = 7;

    /// <summary>The generic user function of the issue: written once, for any cell.</summary>
    private static Tensor Run(RecurrentLayer m, Tensor x) => m.Forward(x).Output;

    public static TheoryData<string> Cells => new() { "rnn", "lstm", "gru", "jordan" };

    private static RecurrentLayer Make(string cell, bool batchFirst = true, int layers = 2) => cell switch
    {
        "rnn" => new Rnn(I, H, layers, batchFirst: batchFirst, rng: new Rng(1)),
        "lstm" => new Lstm(I, H, layers, batchFirst: batchFirst, rng: new Rng(1)),
        "gru" => new Gru(I, H, layers, batchFirst: batchFirst, rng: new Rng(1)),
        _ => new Jordan(I, H, 3, layers, batchFirst: batchFirst, rng: new Rng(1)),
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void OneGenericFunctionRunsEveryCell(string cell)
    {
        var m = Make(cell);
        var x = Tensor.Randn(new Rng(2), B, T, I);
        x.RequiresGrad = true;
        var y = Run(m, x);
        Assert.Equal([B, T, m.OutputSize], y.ShapeArray);
        Ops.Sum(Ops.Mul(y, y)).Backward();
        Assert.Contains(x.Grad!.Data, v => v != 0f);
        foreach (var (name, p) in m.NamedParameters()) Assert.True(p.Grad is not null && p.Grad.Data.Any(v => v != 0f), $"{cell}: no gradient in {name}");
        // the same call as a Layer (what Sequential uses) gives the same numbers
        using (Tape.NoGrad()) Assert.Equal(y.Data, ((Layer)m).Forward(x).Data);
        Tape.Clear();
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void TheFinalStateHasTheCellsShapeAndOnlyLstmHasACellState(string cell)
    {
        var m = Make(cell);
        var (y, state) = m.Forward(Tensor.Randn(new Rng(3), B, T, I));
        int stateRows = m.NumLayers, stateFeatures = m is Jordan j ? j.OutputSize : H;
        Assert.Equal([stateRows, B, stateFeatures], state.H.ShapeArray);
        Assert.Equal(cell == "lstm", state.C is not null);
        if (state.C is not null) Assert.Equal(state.H.ShapeArray, state.C.ShapeArray);
        Assert.Equal(m.OutputSize, y.Dim(2));
        if (cell != "lstm")
        {
            var e = Assert.Throws<ArgumentException>(() => m.Forward(Tensor.Randn(new Rng(3), B, T, I), new HiddenState(state.H, state.H)));
            Assert.Contains("only an Lstm", e.Message);
        }
        Tape.Clear();
    }

    /// <summary>Generic stateful training loop (truncated BPTT) written once: chunks with a carried state give one long run.</summary>
    [Theory]
    [MemberData(nameof(Cells))]
    public void ChunksWithACarriedStateEqualOneLongRunForEveryCell(string cell)
    {
        var m = Make(cell);
        var x = Tensor.Randn(new Rng(4), B, 12, I);
        var (full, fullState) = m.Forward(x);
        var carried = new RecurrentState();
        var pieces = new List<Tensor>();
        foreach (var (start, len) in new[] { (0, 5), (5, 5), (10, 2) })
        {
            var (y, final) = m.Forward(Ops.Slice(x, 1, start, len), carried.State);
            pieces.Add(y);
            carried.Carry(final);
        }
        Compare.Close(full, Ops.Concat(1, [.. pieces]), "output", tolerance: 1e-6);
        Compare.Close(fullState.H, carried.Hidden!, "h_n", tolerance: 1e-6);
        if (fullState.C is not null) Compare.Close(fullState.C, carried.Cell!, "c_n", tolerance: 1e-6);
        Assert.False(carried.Hidden!.RequiresGrad);
        carried.Reset();
        Assert.Null(carried.State);
        Tape.Clear();
    }

    /// <summary>pack_padded semantics for every cell: each sequence of a padded batch gives what it gives alone.</summary>
    [Theory]
    [MemberData(nameof(Cells))]
    public void LengthsFollowOneRuleForEveryCell(string cell)
    {
        var m = Make(cell, batchFirst: false);
        int[] lengths = [T, 4, 1];
        var x = Tensor.Randn(new Rng(5), T, B, I);
        var (y, state) = m.Forward(x, null, lengths);
        int F = m.OutputSize, S = state.H.Dim(2);
        for (int b = 0; b < B; b++)
        {
            int n = lengths[b];
            var xb = Ops.Slice(Ops.Slice(x, 1, b, 1), 0, 0, n);
            var (yb, sb) = m.Forward(xb);
            for (int t = 0; t < T; t++)
                for (int f = 0; f < F; f++)
                    Assert.Equal(t < n ? yb.Data[t * F + f] : 0f, y.Data[(t * B + b) * F + f], 5);
            for (int l = 0; l < m.NumLayers; l++)
                for (int f = 0; f < S; f++)
                    Assert.Equal(sb.H.Data[l * S + f], state.H.Data[(l * B + b) * S + f], 5);
        }
        Assert.Throws<ArgumentException>(() => m.Forward(x, null, [T, 0, 1]));
        Assert.Throws<ArgumentException>(() => m.Forward(x, null, [T, T + 1, 1]));
        Assert.Throws<ArgumentException>(() => m.Forward(x, null, [T, 1]));
        Tape.Clear();
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void SequentialWithARecurrentLayerTrains(string cell)
    {
        // y_t = 0.5 * (x_t + x_{t-1}) of the first feature: needs the previous step, so the recurrence must learn.
        var rec = Make(cell, layers: 1);
        var model = new Sequential(rec, new Linear(rec.OutputSize, 1, rng: new Rng(9)));
        Assert.Contains(model.NamedParameters(), p => p.Name == "0.weight_ih_l0");
        var x = Tensor.Randn(new Rng(6), 16, T, I);
        var target = new Tensor(16, T, 1);
        for (int b = 0; b < 16; b++)
            for (int t = 0; t < T; t++)
                target.Data[b * T + t] = 0.5f * (x.Data[(b * T + t) * I] + (t > 0 ? x.Data[(b * T + t - 1) * I] : 0f));
        var opt = new Adam(model.Parameters(), lr: 0.02f);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            var loss = Ops.MseLoss(model.Forward(x), target);
            opt.ZeroGrad();
            loss.Backward();
            if (step == 0)
                foreach (var (name, p) in rec.NamedParameters())
                    Assert.True(p.Grad is not null && p.Grad.Data.Any(v => v != 0f), $"{cell}: no gradient reached {name} through Sequential");
            opt.Step();
            if (step == 0) first = loss.Data[0];
            last = loss.Data[0];
        }
        Assert.True(last < 0.2f * first, $"{cell} in Sequential: loss {first} -> {last}");
        Tape.Clear();
    }

    [Fact]
    public void ATensorIsAStateWithoutACell()
    {
        var gru = new Gru(I, H, rng: new Rng(1));
        var x = Tensor.Randn(new Rng(2), T, B, I);
        var h0 = Tensor.Randn(new Rng(3), 1, B, H);
        Assert.Equal(gru.Forward(x, new HiddenState(h0)).Output.Data, gru.Forward(x, h0).Output.Data);
        Tensor? none = null;
        Assert.Equal(gru.Forward(x).Output.Data, gru.Forward(x, none).Output.Data);
        Tape.Clear();
    }
}
