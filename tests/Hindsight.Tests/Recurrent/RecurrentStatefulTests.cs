using Hindsight.Layers.Recurrent;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>Stateful mode and truncated BPTT through <see cref="RecurrentState"/>.</summary>
public class RecurrentStatefulTests(ITestOutputHelper output)
{
    [Fact]
    public void ChunksWithCarriedStateEqualOneLongRun()
    {
        var lstm = new Lstm(2, 6, numLayers: 2, batchFirst: true, rng: new Rng(1));
        var x = Tensor.Randn(new Rng(2), 3, 20, 2);
        var (full, fullH, fullC) = lstm.Forward(x);
        var state = new RecurrentState();
        var pieces = new List<Tensor>();
        foreach (var (start, len) in new[] { (0, 8), (8, 8), (16, 4) })
        {
            var (y, final) = lstm.Forward(Ops.Slice(x, 1, start, len), state.State);
            pieces.Add(y);
            state.Carry(final);
        }
        Compare.Close(full, Ops.Concat(1, [.. pieces]), "output", output, 1e-6);
        Compare.Close(fullH, state.Hidden!, "h_n", output, 1e-6);
        Compare.Close(fullC!, state.Cell!, "c_n", output, 1e-6);
        Assert.False(state.Hidden!.RequiresGrad);
        Tape.Clear();
    }

    [Fact]
    public void GradientStopsAtTheChunkBoundary()
    {
        var gru = new Gru(2, 5, rng: new Rng(3));
        var rng = new Rng(4);
        var x1 = Tensor.Randn(rng, 6, 2, 2); x1.RequiresGrad = true;
        var x2 = Tensor.Randn(rng, 6, 2, 2);
        var state = new RecurrentState();
        var (_, h1) = gru.Forward(x1);
        state.Carry(h1);
        var (y2, _) = gru.Forward(x2, state.Hidden);
        Ops.Sum(y2).Backward();
        Assert.Null(x1.Grad);   // nothing flowed back into the first chunk
        var truncated = gru.Parameters().Select(p => (float[])p.Grad!.Data.Clone()).ToArray();

        // the same as the second chunk alone from a constant initial state
        gru.ZeroGrad();
        Ops.Sum(gru.Forward(x2, state.Hidden!.Clone()).Output).Backward();
        var ps = gru.Parameters();
        for (int i = 0; i < ps.Count; i++) Assert.Equal(ps[i].Grad!.Data, truncated[i]);
    }

    [Fact]
    public void ResetStartsFromZerosAndABatchOfAnotherSizeMustReset()
    {
        var rnn = new Rnn(1, 3, rng: new Rng(5));
        var x = Tensor.Randn(new Rng(6), 4, 2, 1);
        var state = new RecurrentState();
        var (fresh, h) = rnn.Forward(x, state.Hidden);
        state.Carry(h);
        Assert.NotEqual(fresh.Data, rnn.Forward(x, state.Hidden).Output.Data);   // carried: a different start
        state.Reset();
        Assert.Null(state.Hidden);
        Assert.Equal(fresh.Data, rnn.Forward(x, state.Hidden).Output.Data);
        state.Carry(h);
        var e = Assert.Throws<ArgumentException>(() => rnn.Forward(Tensor.Randn(new Rng(7), 4, 5, 1), state.Hidden));
        Assert.Contains("h0 must have shape (1, 5, 3)", e.Message);
        Assert.Contains("got (1, 2, 3)", e.Message);
        Tape.Clear();
    }
}
