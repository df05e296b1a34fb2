using Hindsight.Data;
using Hindsight.Optimizers;

namespace Hindsight.Images;

/// <summary>One epoch of training.</summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="Loss">Mean cross-entropy over the epoch's batches.</param>
/// <param name="TrainAccuracy">Share of training images whose logits (before the step) put the true class first.</param>
public sealed record ImageEpoch(int Epoch, double Loss, double TrainAccuracy);

/// <summary>Held-out accuracy of one class.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Images">Held-out images of the class.</param>
/// <param name="Correct">Classified correctly.</param>
/// <param name="Accuracy">Correct / images.</param>
public sealed record ImageClassScore(string Class, int Images, int Correct, double Accuracy);

/// <summary>Held-out results.</summary>
/// <param name="Accuracy">Correct / images.</param>
/// <param name="Correct">Images classified correctly.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="PerClass">Accuracy per class, in class order.</param>
/// <param name="Confusion">[true class][predicted class] counts.</param>
public sealed record ImageEvaluation(double Accuracy, int Correct, int Images, double Loss, IReadOnlyList<ImageClassScore> PerClass, int[][] Confusion);

/// <summary>
/// Trains an <see cref="ImageClassifier"/> as the seed trains its image model, done right: logits (no softmax before the
/// loss), cross-entropy, plain SGD on shuffled mini-batches of real labelled images, scaled to [0, 1].
/// </summary>
public static class ImageTrainer
{
    /// <summary>Trains on the rows <paramref name="train"/> of <paramref name="data"/>; <paramref name="onEpoch"/> sees each epoch.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite, or grew without bound.</exception>
    public static (ImageClassifier Model, IReadOnlyList<ImageEpoch> Epochs) Train(ImageSet data, int[] train, ImageTrainOptions options, Action<ImageEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Length == 0) throw new ArgumentException("train: no training images.", nameof(train));
        var rng = new Rng(options.Seed);
        var model = new ImageClassifier(data.Shape, data.Classes, options.Hidden, rng);
        var sgd = new Sgd(model.Network.Parameters(), options.LearningRate);
        var guard = new DivergenceGuard("training", "lower the learningRate.");
        var order = (int[])train.Clone();
        var epochs = new List<ImageEpoch>();
        int classes = data.Classes.Count, step = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            double sum = 0;
            int batches = 0, correct = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                var idx = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                var labels = Labels(data, idx);
                sgd.ZeroGrad();
                var logits = model.Network.Forward(data.Rows(idx)); // (B, classes)
                var loss = Ops.CrossEntropyLoss(logits, labels);
                float value = loss.Item();
                step++;
                if (!float.IsFinite(value))
                {
                    Tape.Clear();
                    throw new TrainingDivergedException($"training diverged: loss is {value} at step {step} (epoch {epoch}); lower the learningRate.");
                }
                for (int i = 0; i < labels.Length; i++)
                    if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Data.AsSpan(i * classes, classes)) == labels[i]) correct++;
                loss.Backward();
                sgd.Step();
                sum += value; batches++;
            }
            guard.Check(epoch, sum / batches);
            var e = new ImageEpoch(epoch, sum / batches, (double)correct / order.Length);
            epochs.Add(e);
            onEpoch?.Invoke(e);
        }
        return (model, epochs);
    }

    /// <summary>Accuracy, per-class accuracy and confusion matrix of <paramref name="model"/> on the rows <paramref name="rows"/>.</summary>
    public static ImageEvaluation Evaluate(ImageClassifier model, ImageSet data, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rows);
        if (data.Shape != model.Shape) throw new ArgumentException($"data: images are {data.Shape}, the model reads {model.Shape}.", nameof(data));
        int classes = model.Classes.Count;
        var confusion = new int[classes][];
        for (int c = 0; c < classes; c++) confusion[c] = new int[classes];
        double lossSum = 0;
        using (Tape.NoGrad())
            for (int start = 0; start < rows.Length; start += 256)
            {
                var idx = rows.AsSpan(start, Math.Min(256, rows.Length - start));
                var labels = Labels(data, idx);
                var logits = model.Logits(data.Rows(idx));   // the network's inference path: Forward's bits
                lossSum += Ops.CrossEntropyLoss(logits, labels).Item() * idx.Length;
                for (int i = 0; i < idx.Length; i++)
                    confusion[labels[i]][System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Data.AsSpan(i * classes, classes))]++;
            }
        var perClass = new ImageClassScore[classes];
        int correct = 0;
        for (int c = 0; c < classes; c++)
        {
            int n = confusion[c].Sum();
            correct += confusion[c][c];
            perClass[c] = new ImageClassScore(model.Classes[c], n, confusion[c][c], n == 0 ? 0 : (double)confusion[c][c] / n);
        }
        return new ImageEvaluation(rows.Length == 0 ? 0 : (double)correct / rows.Length, correct, rows.Length, rows.Length == 0 ? 0 : lossSum / rows.Length, perClass, confusion);
    }

    private static int[] Labels(ImageSet data, ReadOnlySpan<int> idx)
    {
        var y = new int[idx.Length];
        for (int i = 0; i < idx.Length; i++) y[i] = data.Labels[idx[i]];
        return y;
    }
}
