using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Optimizers;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// A task that needs memory: inputs are white noise x_t ~ U(-1, 1), the target is the input two steps back,
/// y_t = x_{t-2} (0 for t &lt; 2). A model that sees only the current step can do no better than predicting 0
/// (MSE 0.8 * 1/3 ≈ 0.267 at T = 10); a recurrent layer with a Linear head on every step can remember.
/// </summary>
public class RecurrentTrainingTests(ITestOutputHelper output)
{
    private const int T = 10, Batch = 32, Steps = 400;

    private static (Tensor X, Tensor Y) Batch_(Rng rng, int batch)
    {
        var x = Tensor.Uniform(-1, 1, rng, batch, T, 1);
        var y = new Tensor(batch, T, 1);
        for (int b = 0; b < batch; b++)
            for (int t = 2; t < T; t++) y[b, t, 0] = x[b, t - 2, 0];
        return (x, y);
    }

    /// <summary>Trains <paramref name="forward"/> with Adam and returns the MSE on a held-out batch.</summary>
    private static float Train(Func<Tensor, Tensor> forward, IEnumerable<Tensor> parameters)
    {
        var rng = new Rng(100);
        var opt = new Adam(parameters, lr: 0.01f);
        for (int step = 0; step < Steps; step++)
        {
            var (x, y) = Batch_(rng, Batch);
            opt.ZeroGrad();
            var loss = Ops.MseLoss(forward(x), y);
            loss.Backward();
            opt.Step();
        }
        var (tx, ty) = Batch_(new Rng(999), 256);
        using (Tape.NoGrad()) return Ops.MseLoss(forward(tx), ty).Item();
    }

    /// <summary>Linear(1,h) Tanh Linear(h,h) Tanh Linear(h,1) on each step, with h chosen so the size matches <paramref name="count"/>.</summary>
    private static Sequential FullyConnected(int count, Rng rng)
    {
        int h = 1;
        while ((h + 1) * (h + 1) + 4 * (h + 1) + 1 <= count) h++;
        return new Sequential(new Linear(1, h, rng: rng), new Tanh(), new Linear(h, h, rng: rng), new Tanh(), new Linear(h, 1, rng: rng));
    }

    public static TheoryData<string> Kinds => new() { "rnn", "lstm", "gru" };

    [Theory, MemberData(nameof(Kinds))]
    public void RecurrentLayerLearnsWhatAFullyConnectedModelOfTheSameSizeCannot(string kind)
    {
        var rng = new Rng(7);
        const int hidden = 8;
        RecurrentBase layer = kind switch
        {
            "rnn" => new Rnn(1, hidden, batchFirst: true, rng: rng),
            "lstm" => new Lstm(1, hidden, batchFirst: true, rng: rng),
            _ => new Gru(1, hidden, batchFirst: true, rng: rng),
        };
        var head = new Linear(hidden, 1, rng: rng);
        Tensor Recurrent(Tensor x) => head.Forward(layer switch
        {
            Rnn r => r.Forward(x).Output,
            Lstm l => l.Forward(x).Output,
            Gru g => g.Forward(x).Output,
            _ => throw new InvalidOperationException(),
        });
        int count = layer.ParameterCount + head.ParameterCount;
        float recurrentLoss = Train(Recurrent, [.. layer.Parameters(), .. head.Parameters()]);

        var fc = FullyConnected(count, new Rng(8));
        float fcLoss = Train(fc.Forward, fc.Parameters());
        output.WriteLine($"{kind}: {count} parameters, held-out MSE {recurrentLoss:F4}; fully connected {fc.ParameterCount} parameters, MSE {fcLoss:F4}");

        Assert.InRange(fc.ParameterCount, count * 0.9, count * 1.1);
        Assert.True(recurrentLoss < 0.03f, $"{kind} reached only {recurrentLoss}");
        Assert.True(fcLoss > 0.2f, $"fully connected model reached {fcLoss}: the task does not need memory");
    }
}
