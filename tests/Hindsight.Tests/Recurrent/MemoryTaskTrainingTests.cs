using System.Diagnostics;
using Hindsight.Data;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Optimizers;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// A task that needs memory of order: a string of 5 letters holds one 'a' and one 'b' among fillers x/y/z; the class is
/// which of the two came first. The baseline is a fully connected model of similar size that sees every letter of the
/// string but not their order (the mean of the one-hot letters): with exactly one 'a' and one 'b' in every string its
/// input carries no information about the class, so its held-out loss stays near ln 2 = 0.693. The seed's
/// <see cref="RnnCell"/>, trained letter by letter with NLL and SGD, and <see cref="Jordan"/> must get far below it.
/// </summary>
public class MemoryTaskTrainingTests(ITestOutputHelper output)
{
    private const string Alphabet = "abxyz";
    private const int Length = 5;

    /// <summary>Lines (T, N, A) one-hot, the order-free mean (N, A), and the labels (0 = 'a' first).</summary>
    private static (Tensor Lines, Tensor Bag, int[] Labels) Make(int n, Rng rng)
    {
        var lines = new Tensor(Length, n, Alphabet.Length);
        var bag = new Tensor(n, Alphabet.Length);
        var labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            var word = new char[Length];
            for (int t = 0; t < Length; t++) word[t] = Alphabet[2 + rng.NextInt(3)];
            int i = rng.NextInt(Length), j = rng.NextInt(Length - 1);
            if (j >= i) j++;
            word[i] = 'a'; word[j] = 'b';
            labels[s] = i < j ? 0 : 1;
            var oneHot = OneHot.Word(new string(word), Alphabet); // (T, 1, A)
            for (int t = 0; t < Length; t++)
                for (int a = 0; a < Alphabet.Length; a++)
                {
                    float v = oneHot.Data[t * Alphabet.Length + a];
                    lines.Data[(t * n + s) * Alphabet.Length + a] = v;
                    bag.Data[s * Alphabet.Length + a] += v / Length;
                }
        }
        return (lines, bag, labels);
    }

    private static readonly (Tensor Lines, Tensor Bag, int[] Labels) Train = Make(128, new Rng(1));
    private static readonly (Tensor Lines, Tensor Bag, int[] Labels) Test = Make(256, new Rng(2));

    private static Tensor CellLastOutput(RnnCell cell, Tensor lines)
    {
        var h = cell.InitHidden(lines.Dim(1));
        Tensor o = null!;
        for (int t = 0; t < lines.Dim(0); t++) (o, h) = cell.Forward(Ops.Select(lines, 0, t), h);
        return o;
    }

    private static float HeldOut(Func<Tensor> logProbabilities)
    {
        using var _ = Tape.NoGrad();
        return Ops.NllLoss(logProbabilities(), Test.Labels).Item();
    }

    private float Fit(Module model, Optimizer opt, int steps, Func<Tensor> trainLogProbabilities, string name)
    {
        var sw = Stopwatch.StartNew();
        float loss = 0;
        for (int step = 0; step < steps; step++)
        {
            opt.ZeroGrad();
            var l = Ops.NllLoss(trainLogProbabilities(), Train.Labels);
            l.Backward();
            opt.Step();
            loss = l.Item();
        }
        output.WriteLine($"{name}: {model.ParameterCount} parameters, train loss {loss:F4} after {steps} steps, {sw.ElapsedMilliseconds} ms");
        return loss;
    }

    private float FullyConnectedHeldOutLoss()
    {
        var fc = new Sequential(new Linear(Alphabet.Length, 48, rng: new Rng(3)), new Tanh(), new Linear(48, 2, rng: new Rng(4)));
        Fit(fc, new Adam(fc.Parameters(), 0.01f), 300, () => Ops.LogSoftmax(fc.Forward(Train.Bag), 1), "fully connected (letters without order)");
        float test = HeldOut(() => Ops.LogSoftmax(fc.Forward(Test.Bag), 1));
        output.WriteLine($"fully connected held-out loss {test:F4}");
        return test;
    }

    [Fact]
    public void SeedRnnCellLearnsOrderThatAFullyConnectedModelCannot()
    {
        var cell = new RnnCell(Alphabet.Length, 16, 2, new Rng(5));
        Fit(cell, new Sgd(cell.Parameters(), 0.1f), 400, () => CellLastOutput(cell, Train.Lines), "seed RnnCell");
        float rnn = HeldOut(() => CellLastOutput(cell, Test.Lines));
        output.WriteLine($"seed RnnCell held-out loss {rnn:F4}");
        float fc = FullyConnectedHeldOutLoss();
        Assert.True(fc > 0.6f, $"the order-free baseline should stay near ln 2, got {fc}");
        Assert.True(rnn < 0.2f, $"RnnCell held-out loss {rnn} did not fall below 0.2");
    }

    [Fact]
    public void JordanLearnsOrderThatAFullyConnectedModelCannot()
    {
        var net = new Jordan(Alphabet.Length, 16, 2, rng: new Rng(6));
        Tensor Last(Tensor lines) => Ops.LogSoftmax(Ops.Select(net.Forward(lines).LastOutput, 0, 0), 1);
        Fit(net, new Adam(net.Parameters(), 0.02f), 300, () => Last(Train.Lines), "Jordan");
        float jordan = HeldOut(() => Last(Test.Lines));
        output.WriteLine($"Jordan held-out loss {jordan:F4}");
        float fc = FullyConnectedHeldOutLoss();
        Assert.True(fc > 0.6f, $"the order-free baseline should stay near ln 2, got {fc}");
        Assert.True(jordan < 0.2f, $"Jordan held-out loss {jordan} did not fall below 0.2");
    }
}
