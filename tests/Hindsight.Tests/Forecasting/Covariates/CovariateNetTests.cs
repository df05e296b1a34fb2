using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>Shapes and gradients of <see cref="ForecastNet"/> with covariates (the covariate inputs and every weight against central differences).</summary>
public class CovariateNetTests
{
    private static readonly CovariateEncoder Encoder = new(
        new CovariateSchema(["p"], ["f1", "f2"], ["g"], [true], [true, false]), [0], [1], [0, 0], [1, 1], [0], [1], [["a", "b", "c"]]);

    private static CovariateBatch Batch(Rng rng, int b, int l, int o)
    {
        var batch = CovariateBatch.Create(Encoder, b, l, o);
        for (int i = 0; i < batch.Steps.Length; i++) batch.Steps.Data[i] = (float)rng.NextGaussian();
        for (int i = 0; i < batch.Head.Length; i++) batch.Head.Data[i] = (float)rng.NextGaussian();
        batch.Steps.RequiresGrad = true;
        batch.Head.RequiresGrad = true;
        return batch;
    }

    [Fact]
    public void BatchFillPlacesPastFutureAndStaticInputs()
    {
        var batch = CovariateBatch.Create(Encoder, 1, 3, 2);
        Assert.Equal([1, 3, 3], batch.Steps.Shape.ToArray());
        Assert.Equal([1, 2 * 2 + 3], batch.Head.Shape.ToArray());
        var c = new EncodedCovariates([[10, 11, 12, 13]], [[20, 21, 22, 23, 24], [30, 31, 32, 33, 34]], [0, 1, 0]);
        batch.Fill(0, c, t: 3, m: 2); // inputs at 1, 2; targets at 3, 4
        Assert.Equal([11f, 21, 31, 12, 22, 32, 0, 0, 0], batch.Steps.Data);
        Assert.Equal([23f, 33, 24, 34, 0, 1, 0], batch.Head.Data);
    }

    // rnn, gru and lstm reach the head covariates through their decoder (Networks.RecurrentDecoder): with a quantile head
    // of 3 levels (3 outputs per step) and with one step (a recursive network).
    [Theory]
    [InlineData(NeuralKind.Mlp, 1, false)]
    [InlineData(NeuralKind.Gru, 1, false)]
    [InlineData(NeuralKind.Lstm, 1, false)]
    [InlineData(NeuralKind.NHits, 1, false)]
    [InlineData(NeuralKind.Rnn, 3, false, 12)]
    [InlineData(NeuralKind.Gru, 3, true, 12)]
    public void GradientsMatchCentralDifferences(NeuralKind kind, int width, bool recursive, ulong seed = 11)
    {
        const int b = 3, l = 5;
        var head = width == 1 ? Hindsight.Forecasting.Probabilistic.OutputHead.Point
            : new Hindsight.Forecasting.Probabilistic.OutputHead(Hindsight.Forecasting.Probabilistic.HeadKind.Quantiles, [0.1f, 0.5f, 0.9f]);
        var config = new NeuralConfig { Kind = kind, Lookback = l, Horizon = 2, Hidden = 6, BlockWidth = 6, BlockLayers = 1, Stacks = 2, StackBlocks = 1, Head = head, Recursive = recursive };
        int o = config.OutputSteps;
        var net = new ForecastNet(config, new Rng(seed), Encoder);
        Assert.True(net.TakesCovariates);
        var rng = new Rng(12);
        var x = Tensor.Randn(rng, b, l);
        x.RequiresGrad = true;
        var cov = Batch(rng, b, l, o);
        var g = Tensor.Randn(rng, b, o * width);
        Tape.Clear();
        net.ZeroGrad();
        var y = net.Forward(x, null, cov);
        Assert.Equal([b, o * width], y.Shape.ToArray());
        Ops.Sum(Ops.Mul(y, g)).Backward();
        var tensors = new List<(string Name, Tensor T)> { ("x", x), ("steps", cov.Steps), ("head", cov.Head) };
        tensors.AddRange(net.NamedParameters());
        int checkedCount = 0, skipped = 0;
        foreach (var (name, t) in tensors)
        {
            var analytic = (float[])t.Grad!.Data.Clone();
            for (int j = 0; j < t.Length; j++)
            {
                // a ReLU kink (the decoders' hidden layers) within a step bends the difference quotient: such elements are
                // skipped when the quotients over three steps disagree
                double n1 = Numeric(net, x, cov, g, t, j, 1e-2f), n2 = Numeric(net, x, cov, g, t, j, 5e-3f), n3 = Numeric(net, x, cov, g, t, j, 1e-3f);
                if (Math.Abs(n1 - n2) > 5e-4 * (1 + Math.Abs(n1)) || Math.Abs(n2 - n3) > 5e-4 * (1 + Math.Abs(n2))) { skipped++; continue; }
                double err = Math.Abs(n1 - analytic[j]) / (1 + Math.Abs(analytic[j]));
                Assert.True(err <= 3e-3, $"{kind}: d/d {name}[{j}] analytic {analytic[j]:G6} vs numeric {n1:G6}");
                checkedCount++;
            }
        }
        Assert.True(skipped <= checkedCount / 10, $"{skipped} of {checkedCount + skipped} elements disagree between steps");
        Assert.True(cov.Head.Grad!.Data.Any(v => v != 0) && cov.Steps.Grad!.Data.Any(v => v != 0), "the covariates reach the output");
    }

    [Fact]
    public void ANetworkBuiltWithCovariatesNeedsThem()
    {
        var net = new ForecastNet(new NeuralConfig { Kind = NeuralKind.Mlp, Lookback = 4, Horizon = 2, Hidden = 4 }, new Rng(1), Encoder);
        Assert.Throws<ArgumentException>(() => net.Forward(new Tensor(1, 4)));
        Assert.Throws<ArgumentException>(() => new ForecastNet(new NeuralConfig { Kind = NeuralKind.Jordan, Lookback = 4, Horizon = 2, Hidden = 4 }, new Rng(1), Encoder));
    }

    private static double Numeric(ForecastNet net, Tensor x, CovariateBatch cov, Tensor g, Tensor t, int j, float h)
    {
        float v = t.Data[j];
        t.Data[j] = v + h; double fp = Objective(net, x, cov, g);
        t.Data[j] = v - h; double fm = Objective(net, x, cov, g);
        t.Data[j] = v;
        return (fp - fm) / (2.0 * h);
    }

    private static double Objective(ForecastNet net, Tensor x, CovariateBatch cov, Tensor g)
    {
        using var _ = Tape.NoGrad();
        var y = net.Forward(x, null, cov);
        return y.Data.Select((v, i) => (double)v * g.Data[i]).Sum();
    }
}
