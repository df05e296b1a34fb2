using Hindsight.Data;
using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Optimizers;

using Hindsight.Settings;

namespace Hindsight.Lesson.Digits;

/// <summary>Settings of <see cref="VectorModelTask"/>.</summary>
public sealed record VectorModelOptions
{
    /// <summary>Passes over the training rows.</summary>
    [Setting("Passes over the training rows", Min = 1, Max = SizeLimits.Epochs)]
    public int Epochs { get; init; } = 30;
    /// <summary>Rows per SGD step.</summary>
    [Setting("Rows per SGD step", Min = 1, Max = SizeLimits.Batch)]
    public int BatchSize { get; init; } = 32;
    /// <summary>SGD learning rate (the regression uses at most 0.05).</summary>
    [Setting("SGD learning rate", Min = 0, MinExclusive = true)]
    public float LearningRate { get; init; } = 0.1f;
    /// <summary>Share of rows held out for testing.</summary>
    [Setting("Share of rows held out for testing", Min = 0, MinExclusive = true, Max = 1, MaxExclusive = true)]
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Multiplies every feature (digits: 1/16 puts pixels in [0, 1]).</summary>
    public float FeatureScale { get; init; } = 1f / 16f;
    /// <summary>Seed of the split, the shuffling and the initial weights.</summary>
    [Setting("Seed of split, shuffling and initial weights")]
    public ulong Seed { get; init; } = 0;
}

/// <summary>Result of <see cref="VectorModelTask"/>: held-out metrics and per-epoch training loss.</summary>
public sealed record VectorModelResult(string Task, int TrainRows, int TestRows, int Parameters, double TestAccuracy, double TestLoss, double? TestRmse, float[] EpochLosses);

/// <summary>
/// The seed's "everything becomes a vector" example on real data: flattened inputs fed to <c>Linear</c>, trained with SGD.
/// Classification uses <c>Linear(in, classes)</c> on logits with cross-entropy (softmax applied only to report
/// probabilities, not before the loss as the seed's code does twice); regression is the same model with
/// <c>out_features = 1</c> and MSE.
/// </summary>
public static class VectorModelTask
{
    /// <summary>Trains softmax regression (Linear + cross-entropy) and reports held-out accuracy.</summary>
    public static VectorModelResult Classify(LabeledVectors data, VectorModelOptions options, Action<int, float>? onEpoch = null) =>
        Run(data, options, regression: false, onEpoch);

    /// <summary>Trains <c>Linear(in, 1)</c> with MSE to predict the label as a number; accuracy counts rounded predictions.</summary>
    public static VectorModelResult Regress(LabeledVectors data, VectorModelOptions options, Action<int, float>? onEpoch = null) =>
        Run(data, options, regression: true, onEpoch);

    private static VectorModelResult Run(LabeledVectors data, VectorModelOptions o, bool regression, Action<int, float>? onEpoch)
    {
        SettingTable.Check(o);
        var rng = new Rng(o.Seed);
        var order = rng.Permutation(data.Count);
        int testCount = Math.Max(1, (int)Math.Round(data.Count * o.TestFraction));
        if (testCount >= data.Count)
        {
            int need = 2;
            while (Math.Max(1, (int)Math.Round(need * o.TestFraction)) >= need) need++;
            throw new DataFormatException(data.Source, null, null,
                $"{data.Count} row{(data.Count == 1 ? "" : "s")}: the test split (testFraction {o.TestFraction}) takes {testCount} and leaves {data.Count - testCount} for training; " +
                $"the training and the test split each need at least 1 row, so use at least {need} rows.");
        }
        var test = order[..testCount];
        var train = order[testCount..];
        int classes = data.ClassCount;
        var model = new Linear(data.FeatureCount, regression ? 1 : classes, rng: rng);
        var sgd = new Sgd(model.Parameters(), o.LearningRate);
        var losses = new float[o.Epochs];
        var guard = new DivergenceGuard("training", "lower the learning rate.");
        int step = 0;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            rng.Shuffle(train.AsSpan());
            double sum = 0; int batches = 0;
            for (int start = 0; start < train.Length; start += o.BatchSize)
            {
                var idx = train.AsSpan(start, Math.Min(o.BatchSize, train.Length - start));
                var x = data.Rows(idx, o.FeatureScale);
                sgd.ZeroGrad();
                var output = model.Forward(x);
                var loss = regression ? Ops.MseLoss(output, Targets(data, idx)) : Ops.CrossEntropyLoss(output, Labels(data, idx));
                float value = loss.Item();
                step++;
                if (!float.IsFinite(value))
                {
                    Tape.Clear();
                    throw new TrainingDivergedException($"training diverged: loss is {value} at step {step} (epoch {epoch + 1}); lower the learning rate.");
                }
                loss.Backward();
                sgd.Step();
                sum += value; batches++;
            }
            guard.Check(epoch + 1, sum / batches);
            losses[epoch] = (float)(sum / batches);
            onEpoch?.Invoke(epoch + 1, losses[epoch]);
        }
        using var _ = Tape.NoGrad();
        var xt = data.Rows(test, o.FeatureScale);
        // the test rows forward only (the same bits as model.Forward(xt))
        var pred = new Tensor(test.Length, model.OutFeatures);
        new SequentialPredictor([model]).Run(xt.Data, test.Length, pred.Data);
        int correct = 0;
        double testLoss;
        double? rmse = null;
        if (regression)
        {
            testLoss = Ops.MseLoss(pred, Targets(data, test)).Item();
            rmse = Math.Sqrt(testLoss);
            for (int i = 0; i < test.Length; i++)
                if ((int)Math.Round(Math.Clamp(pred.Data[i], 0, classes - 1)) == data.Labels[test[i]]) correct++;
        }
        else
        {
            testLoss = Ops.CrossEntropyLoss(pred, Labels(data, test)).Item();
            for (int i = 0; i < test.Length; i++)
            {
                var row = pred.Data.AsSpan(i * classes, classes);
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == data.Labels[test[i]]) correct++;
            }
        }
        return new VectorModelResult(regression ? "regression" : "classification", train.Length, test.Length, model.ParameterCount,
            (double)correct / test.Length, testLoss, rmse, losses);
    }

    private static int[] Labels(LabeledVectors data, ReadOnlySpan<int> idx)
    {
        var y = new int[idx.Length];
        for (int i = 0; i < idx.Length; i++) y[i] = data.Labels[idx[i]];
        return y;
    }

    private static Tensor Targets(LabeledVectors data, ReadOnlySpan<int> idx)
    {
        var y = new Tensor(idx.Length, 1);
        for (int i = 0; i < idx.Length; i++) y.Data[i] = data.Labels[idx[i]];
        return y;
    }
}
