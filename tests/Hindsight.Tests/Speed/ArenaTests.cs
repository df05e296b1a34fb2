using Hindsight.Cli.Bench;
using Hindsight.Layers;
using Hindsight.Optimizers;

namespace Hindsight.Tests.Speed;

/// <summary>The opt-in <see cref="TensorArena"/>: same numbers as without it, recycling only inside its scope, no allocations per step.</summary>
public class ArenaTests
{
    private static (Sequential Model, Sgd Optimizer, Tensor X, Tensor Y) Fc(ulong seed)
    {
        var rng = new Rng(seed);
        var model = new Sequential(new Linear(6, 5, rng: rng), new Tanh(), new Linear(5, 3, rng: rng));
        return (model, new Sgd(model.Parameters(), 0.1f), Tensor.Randn(rng, 4, 6), Tensor.Randn(rng, 4, 3));
    }

    private static float TrainStep(Sequential model, Sgd optimizer, Tensor x, Tensor y)
    {
        var loss = Ops.MseLoss(model.Forward(x), y);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return loss.Item();
    }

    [Fact]
    public void TrainingInsideStepsGivesTheSameBitsAsWithout()
    {
        var (plainModel, plainOpt, x, y) = Fc(3);
        var (arenaModel, arenaOpt, _, _) = Fc(3);
        var arena = new TensorArena();
        for (int step = 0; step < 10; step++)
        {
            float plain = TrainStep(plainModel, plainOpt, x, y);
            float recycled;
            using (arena.Step()) recycled = TrainStep(arenaModel, arenaOpt, x, y);
            Assert.Equal(plain, recycled);
        }
        var expected = plainModel.Parameters();
        var actual = arenaModel.Parameters();
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Data, actual[i].Data);
        Assert.True(arena.TensorCount > 0);
    }

    [Fact]
    public void OutputsAreRecycledOnlyByTheNextStepOfTheArena()
    {
        var x = Tensor.Randn(new Rng(1), 2, 3);
        var arena = new TensorArena();
        Tensor first;
        using (arena.Step()) first = Ops.Tanh(x);
        var kept = first.Clone();
        var outside = Ops.Tanh(x);
        Assert.NotSame(first, outside);
        Assert.Equal(kept.Data, first.Data);           // still valid after the scope ends
        Tensor second;
        using (arena.Step()) second = Ops.Scale(x, 2f);
        Assert.Same(first, second);                      // the documented rule: the next step reuses it
        Assert.False(second.IsLeaf && second.RequiresGrad);
    }

    [Fact]
    public void RecycledOutputsStartCleanAndShapesMayChange()
    {
        var w = Tensor.Randn(new Rng(2), 3, 3);
        w.RequiresGrad = true;
        var arena = new TensorArena();
        using (arena.Step())
        {
            var loss = Ops.Sum(Ops.Tanh(w));
            loss.Backward();
        }
        var gradAfterOne = (float[])w.GradData!.Clone();
        using (arena.Step())
        {
            var y = Ops.Tanh(Ops.Reshape(w, 9));         // different shapes at the same positions
            Assert.True(y.HasShape(9));
            Assert.False(y.IsLeaf);
            Ops.Sum(y).Backward();
        }
        for (int i = 0; i < 9; i++) Assert.Equal(2 * gradAfterOne[i], w.GradData![i], 1e-6);
    }

    [Fact]
    public void ScopesDoNotNestAndDisposingDropsAnUnusedTape()
    {
        var w = Tensor.Randn(new Rng(4), 2, 2);
        w.RequiresGrad = true;
        var arena = new TensorArena();
        using (arena.Step())
        {
            Ops.Tanh(w);
            Assert.Throws<InvalidOperationException>(() => new TensorArena().Step());
        }
        Assert.Equal(0, Tape.Count);
    }

    /// <summary>
    /// Steady-state steps allocate nothing. The minimum over several windows is taken so that one-off allocations of
    /// the runtime (JIT tiering) do not count; an allocation made by every step shows in every window.
    /// </summary>
    [Theory]
    [InlineData("W1")]
    [InlineData("W2")]
    [InlineData("W3")]
    [InlineData("W4")]
    public void WarmedUpWorkloadStepsAllocateNothing(string name)
    {
        var workload = Workload.Create(name);
        int steps = name == "W4" ? 3 : 20;
        for (int i = 0; i < 15 * steps; i++) workload.Step();
        long best = long.MaxValue;
        for (int window = 0; window < 6; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++) workload.Step();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, best);
    }
}
