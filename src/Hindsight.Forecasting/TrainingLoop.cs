using Hindsight.Data;
using Hindsight.Optimizers;

namespace Hindsight.Forecasting;

/// <summary>
/// The loop every global forecaster trains with (<see cref="NeuralTrainer"/>, <see cref="EsRnn.EsRnnForecaster"/>): epochs of
/// shuffled mini-batches, each step zeroing the gradients, taking the model's loss, clipping the gradient norm to 1 and
/// stepping every optimiser (and its learning-rate schedule, <see cref="LrDecays"/>); at most <see cref="Epochs"/> epochs and <see cref="Steps"/> steps (whichever ends first, as
/// NeuralForecast's <c>max_steps</c>); with validation windows, the epoch with the lowest validation loss is remembered,
/// its weights restored at the end, and training stops after <see cref="Patience"/> epochs without improvement.
/// </summary>
internal sealed class TrainingLoop
{
    /// <summary>Model name, for messages.</summary>
    public required string Name { get; init; }
    /// <summary>Most epochs.</summary>
    public required int Epochs { get; init; }
    /// <summary>Most optimiser steps.</summary>
    public required int Steps { get; init; }
    /// <summary>Windows per step.</summary>
    public required int BatchSize { get; init; }
    /// <summary>Epochs without a better validation loss before stopping (0: never).</summary>
    public required int Patience { get; init; }
    /// <summary>
    /// Halvings of the learning rate over the steps the run will take (NeuralForecast's <c>num_lr_decays</c>: StepLR with
    /// gamma 0.5 and step size steps / this, the steps being <see cref="Steps"/> or, when the epochs end training first,
    /// <see cref="Epochs"/> x the batches per epoch); 0 keeps it constant.
    /// </summary>
    public required int LrDecays { get; init; }
    /// <summary>Seed of the shuffling.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Epochs the run takes unless early stopping ends it: <see cref="Epochs"/>, or fewer when <see cref="Steps"/> runs out first.</summary>
    public int PlannedEpochs(int trainCount)
    {
        long perEpoch = Math.Max(1, (trainCount + (long)BatchSize - 1) / BatchSize);
        return (int)Math.Min(Epochs, (Steps + perEpoch - 1) / perEpoch);
    }

    /// <summary>
    /// Trains on <paramref name="trainCount"/> windows. <paramref name="loss"/> takes a batch of window indices and returns
    /// the loss to differentiate and the value to report (the loss without penalties); <paramref name="validate"/> (null: no
    /// validation) returns the validation loss; <paramref name="training"/> switches the model to training (true) or evaluation;
    /// <paramref name="onEpoch"/> gets each epoch's number, the planned epochs (<see cref="PlannedEpochs"/>), and its losses.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A training or validation loss that is not finite, or one that grows without bound.</exception>
    public TrainingSummary Run(
        IReadOnlyList<Tensor> parameters, IReadOnlyList<Adam> optimisers, int trainCount, int validationCount,
        Func<int[], (Tensor Loss, float Value)> loss, Func<double>? validate, Action<bool> training,
        Action<int, int, double, double?>? onEpoch = null)
    {
        var shuffle = new Rng(Seed ^ 0x9E3779B97F4A7C15UL);
        var best = validate is null ? null : parameters.Select(p => (float[])p.Data.Clone()).ToArray();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, stale = 0, epoch = 0, steps = 0;
        var losses = new List<double>();
        var valLosses = new List<double>();
        var guard = new DivergenceGuard(Name);
        int planned = PlannedEpochs(trainCount);
        long budget = Math.Min(Steps, (long)planned * Math.Max(1, (trainCount + (long)BatchSize - 1) / BatchSize));
        var schedules = LrDecays > 0 ? optimisers.Select(o => new StepLr(o, (int)Math.Max(1, budget / LrDecays), 0.5)).ToArray() : [];
        while (epoch < Epochs && steps < Steps)
        {
            epoch++;
            training(true);
            var order = shuffle.Permutation(trainCount);
            double sum = 0;
            int seen = 0;
            for (int start = 0; start < trainCount && steps < Steps; start += BatchSize, steps++)
            {
                int n = Math.Min(BatchSize, trainCount - start);
                var batch = order.AsSpan(start, n).ToArray();
                foreach (var o in optimisers) o.ZeroGrad();
                var (total, value) = loss(batch);
                float differentiated = total.Item();
                if (!float.IsFinite(differentiated))
                    throw new TrainingDivergedException($"{Name}: the training loss became {differentiated} in epoch {epoch} (lower the learningRate).");
                total.Backward();
                GradClip.ClipGradNorm(parameters, 1f);
                foreach (var o in optimisers) o.Step();
                foreach (var schedule in schedules) schedule.Step();
                sum += (double)value * n;
                seen += n;
            }
            losses.Add(sum / seen);
            guard.Check(epoch, losses[^1]);
            double? valLoss = null;
            if (validate is not null)
            {
                training(false);
                valLoss = validate();
                if (!double.IsFinite(valLoss.Value))
                    throw new TrainingDivergedException($"{Name}: the validation loss became {valLoss.Value} in epoch {epoch} (lower the learningRate).");
                valLosses.Add(valLoss.Value);
                if (valLoss < bestLoss)
                {
                    bestLoss = valLoss.Value; bestEpoch = epoch; stale = 0;
                    for (int i = 0; i < parameters.Count; i++) parameters[i].Data.AsSpan().CopyTo(best![i]);
                }
                else stale++;
            }
            onEpoch?.Invoke(epoch, planned, losses[^1], valLoss);
            if (validate is not null && Patience > 0 && stale >= Patience) break;
        }
        if (best is not null)
            for (int i = 0; i < parameters.Count; i++) best[i].AsSpan().CopyTo(parameters[i].Data);
        else bestEpoch = epoch;
        training(false);
        return new TrainingSummary(trainCount, validationCount, epoch, bestEpoch, validate is null ? null : bestLoss, losses.ToArray(), valLosses.ToArray())
        {
            Steps = steps,
        };
    }
}
