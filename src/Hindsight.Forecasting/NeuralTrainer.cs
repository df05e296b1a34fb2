using Hindsight.Data;
using Hindsight.Optimizers;

namespace Hindsight.Forecasting;

/// <summary>
/// The scaled series a <see cref="NeuralForecaster"/> trains on, shared (read-only) by the members of an ensemble: each
/// series standardised by the scaler, its training part (the values before the validation tail), and the per-series
/// constants of the losses (spread, mean, and the MASE scale in scaled units).
/// </summary>
internal sealed class TrainingData
{
    public readonly float[][] Z;
    public readonly int[] TrainEnd;
    public readonly float[] Std, Mean, MaseScale;
    /// <summary>The covariate encoder (null without covariates) and each series' encoded covariates.</summary>
    public readonly Covariates.CovariateEncoder? Encoder;
    public readonly Covariates.EncodedCovariates[]? Encoded;

    public TrainingData(IReadOnlyList<float[]> series, SeriesScaler scaler, int validation, int season,
        Covariates.CovariateEncoder? encoder = null, IReadOnlyList<Covariates.SeriesCovariates>? covariates = null)
    {
        Encoder = encoder;
        if (encoder is not null) Encoded = covariates!.Select(encoder.Encode).ToArray();
        int n = series.Count;
        Z = new float[n][]; TrainEnd = new int[n]; MaseScale = new float[n];
        Std = scaler.Std; Mean = scaler.Mean;
        for (int s = 0; s < n; s++)
        {
            Z[s] = scaler.Transform(s, series[s]);
            TrainEnd[s] = series[s].Length - validation;
            var train = series[s].AsSpan(0, Math.Max(0, TrainEnd[s]));
            // N-BEATS' scale with the season when the training part is longer than it, else with lag 1; in scaled units.
            float scale = Ops.MaseScale(train, train.Length > season ? season : 1);
            MaseScale[s] = scale / Std[s];
        }
    }

    /// <summary>Training windows (s, t) (targets [t, t + outputs) before the tail) and validation windows (targets reaching into it), inputs at least <paramref name="shortest"/> long.</summary>
    public (List<(int S, int T)> Train, List<(int S, int T)> Validation) Windows(int shortest, int outputs)
    {
        var train = new List<(int S, int T)>();
        var val = new List<(int S, int T)>();
        for (int s = 0; s < Z.Length; s++)
        {
            int end = TrainEnd[s];
            for (int t = shortest; t + outputs <= end; t++) train.Add((s, t));
            if (end < Z[s].Length)
                for (int t = Math.Max(shortest, end - outputs + 1); t + outputs <= Z[s].Length; t++) val.Add((s, t));
        }
        return (train, val);
    }
}

/// <summary>
/// Trains one network of a <see cref="NeuralForecaster"/> in the shared <see cref="TrainingLoop"/> (Adam on shuffled
/// mini-batches, gradient norm clipped to 1, at most <see cref="NeuralConfig.Steps"/> steps and
/// <see cref="NeuralConfig.Epochs"/> epochs, early stopping when there is a validation tail) on the member's loss.
/// </summary>
internal sealed class NeuralTrainer(NeuralConfig config, TrainingData data, string name, Action<EpochProgress>? onEpoch)
{
    public NeuralMember Train()
    {
        var (train, val) = data.Windows(config.ShortestInput, config.OutputSteps);
        var net = new ForecastNet(config, new Rng(config.Seed), data.Encoder);
        var parameters = net.Parameters();
        var adam = new Adam(parameters, config.LearningRate);
        var valBatch = val.Count > 0 ? Batch(val, 0, val.Count, null) : null;
        var loop = new TrainingLoop
        {
            Name = name, Epochs = config.Epochs, Steps = config.Steps, BatchSize = config.BatchSize, Patience = config.Patience, LrDecays = config.LrDecays, Seed = config.Seed,
        };
        var summary = loop.Run(parameters, [adam], train.Count, val.Count,
            order =>
            {
                var batch = Batch(train, 0, order.Length, order);
                var loss = Loss(net.Forward(batch.X, batch.Lengths, batch.Covariates), batch);
                return (loss, loss.Item());
            },
            valBatch is null ? null : () =>
            {
                using (Tape.NoGrad()) return Loss(net.Forward(valBatch.X, valBatch.Lengths, valBatch.Covariates), valBatch).Item();
            },
            isTraining => { if (isTraining) net.Train(); else net.Eval(); },
            onEpoch is null ? null : (epoch, planned, loss, valLoss) => onEpoch(new EpochProgress(name, epoch, planned, loss, valLoss)));
        return new NeuralMember(config, net) { Summary = summary };
    }

    // A batch: inputs X (B, L), targets Y (B, O) (both minus the last input), and per row its series and last input.
    private sealed record WindowBatch(Tensor X, Tensor Y, int[]? Lengths, int[] Series, float[] Last, Covariates.CovariateBatch? Covariates);

    // The member's loss of the network's output (B, O) (changes of the scaled series from the last input) on the batch.
    private Tensor Loss(Tensor output, WindowBatch b)
    {
        int rows = b.Series.Length;
        if (config.Head.IsProbabilistic) return HeadLoss(output, b);
        switch (config.Loss)
        {
            case NeuralLoss.Mse: return Ops.MseLoss(output, b.Y);
            case NeuralLoss.Mae: return Ops.L1Loss(output, b.Y);
            case NeuralLoss.Mase:
                var scale = new Tensor(rows);
                for (int i = 0; i < rows; i++) scale.Data[i] = data.MaseScale[b.Series[i]];
                return Ops.MaseLoss(output, b.Y, scale);
            default:
                // sMAPE in the data's units: value = (change + last) * std + mean, per row an affine map of the output.
                int o = output.Dim(1);
                var slope = new Tensor(rows, 1);
                var offset = new Tensor(rows, 1);
                var target = new Tensor(rows, o);
                for (int i = 0; i < rows; i++)
                {
                    int s = b.Series[i];
                    slope.Data[i] = data.Std[s];
                    offset.Data[i] = b.Last[i] * data.Std[s] + data.Mean[s];
                    for (int k = 0; k < o; k++) target.Data[i * o + k] = b.Y.Data[i * o + k] * slope.Data[i] + offset.Data[i];
                }
                return Ops.SmapeLoss(Ops.Add(Ops.Mul(output, slope), offset), target);
        }
    }

    // A quantile or distribution head's loss (the member's NeuralLoss does not apply): pinball or likelihood on the
    // scaled changes, or, for the negative binomial, the likelihood of the counts in the data's units with each window's
    // scale 1 + mean of its values (DeepAR).
    private Tensor HeadLoss(Tensor output, WindowBatch b)
    {
        if (config.Head.Kind != Probabilistic.HeadKind.NegativeBinomial) return Probabilistic.HeadOutputs.Loss(config.Head, output, b.Y);
        int rows = b.Series.Length, l = b.X.Dim(1), o = b.Y.Dim(1);
        var counts = new Tensor(rows, o);
        var scale = new Tensor(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            int s = b.Series[i];
            float std = data.Std[s], mean = data.Mean[s], last = b.Last[i];
            for (int k = 0; k < o; k++) counts.Data[i * o + k] = (b.Y.Data[i * o + k] + last) * std + mean;
            int m = b.Lengths?[i] ?? l;
            scale.Data[i] = Probabilistic.CountScale.Of(b.X.Data.AsSpan(i * l, m), last, std, mean);
        }
        return Probabilistic.HeadOutputs.Loss(config.Head, output, counts, scale);
    }

    // Windows (s, t): input z[s][t-m..t) with m = min(L, t), in the row's first m places (zeros after), and target
    // z[s][t..t+O), both minus the last input z[s][t-1]. Lengths only when some window is shorter than L.
    private WindowBatch Batch(List<(int S, int T)> windows, int start, int n, int[]? order)
    {
        int l = config.Lookback, h = config.OutputSteps;
        var x = new Tensor(n, l);
        var y = new Tensor(n, h);
        var lengths = new int[n];
        var series = new int[n];
        var lasts = new float[n];
        bool short_ = false;
        var covariates = data.Encoder is null ? null : Covariates.CovariateBatch.Create(data.Encoder, n, l, h);
        for (int i = 0; i < n; i++)
        {
            var (s, t) = windows[order is null ? start + i : order[start + i]];
            covariates?.Fill(i, data.Encoded![s], t, Math.Min(l, t));
            var z = data.Z[s];
            int m = Math.Min(l, t);
            lengths[i] = m;
            short_ |= m < l;
            float last = z[t - 1];
            series[i] = s; lasts[i] = last;
            for (int k = 0; k < m; k++) x.Data[i * l + k] = z[t - m + k] - last;
            for (int k = 0; k < h; k++) y.Data[i * h + k] = z[t + k] - last;
        }
        return new WindowBatch(x, y, short_ ? lengths : null, series, lasts, covariates);
    }
}
