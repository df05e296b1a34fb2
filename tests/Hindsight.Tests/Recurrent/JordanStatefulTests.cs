using Hindsight.Layers.Recurrent;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// Stateful mode for Jordan networks: the state a Jordan layer carries is its last output, so carrying
/// <c>LastOutput</c> (detached, through <see cref="RecurrentState"/>) as the next chunk's <c>y0</c> continues the sequence.
/// </summary>
public class JordanStatefulTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChunksWithCarriedOutputEqualOneLongRun(bool batchFirst)
    {
        var net = new Jordan(3, 5, 2, numLayers: 2, batchFirst: batchFirst, rng: new Rng(11));
        const int T = 12, B = 2, Chunk = 4;
        var x = Tensor.Randn(new Rng(12), batchFirst ? [B, T, 3] : [T, B, 3]);
        Tensor whole;
        using (Tape.NoGrad()) whole = net.Forward(x).Output;

        var state = new RecurrentState();
        var pieces = new List<Tensor>();
        for (int start = 0; start < T; start += Chunk)
        {
            var chunk = Ops.Slice(x, batchFirst ? 1 : 0, start, Chunk);
            var (y, last) = net.Forward(chunk, state.Hidden);
            Ops.Sum(y).Backward();                       // truncated BPTT: the gradient stops at the chunk boundary
            state.Carry(last);
            pieces.Add(y);
        }
        var joined = Ops.Concat(batchFirst ? 1 : 0, [.. pieces]);
        Assert.True(joined.SameShape(whole));
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole.Data[i], joined.Data[i], 1e-6);
        Assert.False(state.Hidden!.RequiresGrad);          // carried state is detached
        state.Reset();
        Assert.Null(state.Hidden);
    }
}
