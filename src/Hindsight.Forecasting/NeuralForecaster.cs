using Hindsight.Data;
using Hindsight.Optimizers;

namespace Hindsight.Forecasting;

/// <summary>One finished epoch of a <see cref="NeuralForecaster"/> (for progress displays).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Most epochs.</param>
/// <param name="TrainLoss">Mean MSE over the epoch's training windows (scaled units).</param>
/// <param name="ValidationLoss">MSE on the validation windows, or null without validation.</param>
public readonly record struct EpochProgress(string Model, int Epoch, int Epochs, double TrainLoss, double? ValidationLoss);

/// <summary>What fitting a <see cref="NeuralForecaster"/> did.</summary>
/// <param name="TrainWindows">Training windows per epoch.</param>
/// <param name="ValidationWindows">Validation windows (0: none, every epoch kept).</param>
/// <param name="EpochsRun">Epochs trained before stopping.</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="BestValidationLoss">Its validation MSE (scaled units), or null.</param>
/// <param name="TrainLosses">Mean training MSE per epoch.</param>
/// <param name="ValidationLosses">Validation MSE per epoch (empty without validation).</param>
public sealed record TrainingSummary(int TrainWindows, int ValidationWindows, int EpochsRun, int BestEpoch, double? BestValidationLoss, double[] TrainLosses, double[] ValidationLosses);

/// <summary>
/// A global neural forecaster (one network for all series, as NeuralForecast's models): windows of
/// <see cref="NeuralConfig.Lookback"/> values to the next <see cref="NeuralConfig.Horizon"/> values in one shot (direct
/// multi-step head), or one step fed back recursively (<see cref="NeuralConfig.Recursive"/>), trained with Adam on
/// mini-batches of every window of every series, shuffled each epoch.
/// </summary>
/// <remarks>
/// Scaling: each series is standardised by a <see cref="SeriesScaler"/> fitted on its training part only (the values
/// before the validation tail); then each window is shifted by its last input value, so the network sees the window's
/// shape and predicts changes from the last value (a level outside the training range needs no extrapolation).
/// Validation and early stopping: the last <see cref="NeuralConfig.Validation"/> values of each series are kept out
/// of the training targets; windows whose target reaches into that tail form the validation set, the epoch with the
/// lowest validation MSE is remembered and its weights restored at the end, and training stops after
/// <see cref="NeuralConfig.Patience"/> epochs without improvement. Deterministic: the same seed, data and settings
/// give the same weights and forecasts.
/// </remarks>
public sealed class NeuralForecaster : Forecaster
{
    /// <summary>Settings.</summary>
    public NeuralConfig Config { get; }
    /// <summary>The network (fresh until fitted or restored).</summary>
    public ForecastNet Net { get; private set; }
    /// <summary>The per-series scaler fitted on the training part.</summary>
    public SeriesScaler? Scaler { get; private set; }
    /// <summary>What the last fit did.</summary>
    public TrainingSummary? Summary { get; private set; }
    /// <summary>Called after every epoch.</summary>
    public Action<EpochProgress>? OnEpoch { get; set; }

    /// <summary>Creates an untrained model.</summary>
    public NeuralForecaster(NeuralConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Net = new ForecastNet(config, new Rng(config.Seed));
    }

    /// <inheritdoc/>
    public override string Name => Config.Kind.ModelName();
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => true;
    /// <inheritdoc/>
    public override int MinHistory => Config.ShortestInput;
    /// <inheritdoc/>
    public override int? MaxHorizon => Config.Recursive ? null : Config.Horizon;

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        int l = Config.Lookback, h = Config.OutputSteps, v = Config.Validation;
        int TrainEnd(int s) => series[s].Length - v;
        Scaler = SeriesScaler.Fit(series, TrainEnd);
        var train = new List<(int S, int T)>();
        var val = new List<(int S, int T)>();
        var z = new float[series.Count][];
        for (int s = 0; s < series.Count; s++)
        {
            z[s] = Scaler.Transform(s, series[s]);
            int end = TrainEnd(s);
            for (int t = Config.ShortestInput; t + h <= end; t++) train.Add((s, t));
            if (v > 0) for (int t = Math.Max(Config.ShortestInput, end - h + 1); t + h <= series[s].Length; t++) val.Add((s, t));
        }
        if (train.Count == 0)
            throw new ArgumentException($"{Name}: no training window: a series needs at least {(Config.MinInput is null ? "lookback" : "min-history")} {Config.ShortestInput} + horizon {h} + validation {v} = {Config.ShortestInput + h + v} values; the longest has {series.Max(x => x.Length)}.");

        var rng = new Rng(Config.Seed);
        Net = new ForecastNet(Config, rng);
        var shuffle = new Rng(Config.Seed ^ 0x9E3779B97F4A7C15UL);
        var parameters = Net.Parameters();
        var adam = new Adam(parameters, Config.LearningRate);
        var (valX, valY, valLengths) = val.Count > 0 ? Batch(z, val, 0, val.Count, null) : (null, null, null);
        var best = parameters.Select(p => (float[])p.Data.Clone()).ToArray();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, stale = 0, epoch = 0;
        var losses = new List<double>();
        var valLosses = new List<double>();
        var guard = new DivergenceGuard(Name);
        while (epoch < Config.Epochs)
        {
            epoch++;
            Net.Train();
            var order = shuffle.Permutation(train.Count);
            double sum = 0;
            for (int start = 0; start < train.Count; start += Config.BatchSize)
            {
                int n = Math.Min(Config.BatchSize, train.Count - start);
                var (x, y, lengths) = Batch(z, train, start, n, order);
                adam.ZeroGrad();
                var loss = Ops.MseLoss(Net.Forward(x, lengths), y);
                float value = loss.Item();
                if (!float.IsFinite(value)) throw new TrainingDivergedException($"{Name}: the training loss became {value} in epoch {epoch} (lower the learningRate).");
                loss.Backward();
                GradClip.ClipGradNorm(parameters, 1f);
                adam.Step();
                sum += (double)value * n;
            }
            losses.Add(sum / train.Count);
            guard.Check(epoch, losses[^1]);
            double? valLoss = null;
            if (valX is not null)
            {
                Net.Eval();
                using (Tape.NoGrad()) valLoss = Ops.MseLoss(Net.Forward(valX, valLengths), valY!).Item();
                valLosses.Add(valLoss.Value);
                if (valLoss < bestLoss)
                {
                    bestLoss = valLoss.Value; bestEpoch = epoch; stale = 0;
                    for (int i = 0; i < parameters.Count; i++) parameters[i].Data.AsSpan().CopyTo(best[i]);
                }
                else stale++;
            }
            OnEpoch?.Invoke(new EpochProgress(Name, epoch, Config.Epochs, losses[^1], valLoss));
            if (valX is not null && Config.Patience > 0 && stale >= Config.Patience) break;
        }
        if (valX is not null)
            for (int i = 0; i < parameters.Count; i++) best[i].AsSpan().CopyTo(parameters[i].Data);
        else bestEpoch = epoch;
        Net.Eval();
        Summary = new TrainingSummary(train.Count, val.Count, epoch, bestEpoch, valX is null ? null : bestLoss, losses.ToArray(), valLosses.ToArray());
    }

    // Windows (s, t): input z[s][t-m..t) with m = min(L, t), in the row's first m places (zeros after), and target
    // z[s][t..t+H), both minus the last input z[s][t-1]. Lengths only when some window is shorter than L.
    private (Tensor X, Tensor Y, int[]? Lengths) Batch(float[][] z, List<(int S, int T)> windows, int start, int n, int[]? order)
    {
        int l = Config.Lookback, h = Config.OutputSteps;
        var x = new Tensor(n, l);
        var y = new Tensor(n, h);
        var lengths = new int[n];
        bool short_ = false;
        for (int i = 0; i < n; i++)
        {
            var (s, t) = windows[order is null ? start + i : order[start + i]];
            int m = Math.Min(l, t);
            lengths[i] = m;
            short_ |= m < l;
            float last = z[s][t - 1];
            for (int k = 0; k < m; k++) x.Data[i * l + k] = z[s][t - m + k] - last;
            for (int k = 0; k < h; k++) y.Data[i * h + k] = z[s][t + k] - last;
        }
        return (x, y, short_ ? lengths : null);
    }

    /// <summary>Restores a trained model (from a model file): the scaler and the weights already loaded into <see cref="Net"/>.</summary>
    public void Restore(SeriesScaler scaler)
    {
        Scaler = scaler ?? throw new ArgumentNullException(nameof(scaler));
        Net.Eval();
        MarkFitted(new float[scaler.Mean.Length][]);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        int l = Config.Lookback, o = Config.OutputSteps, n = inputs.Count;
        // z[i]: the last m[i] = min(L, history) scaled values of history i, then each predicted step (recursive models feed them back).
        var m = inputs.Select(input => Math.Min(l, input.History.Length)).ToArray();
        var z = inputs.Select((input, i) => Scaler!.Transform(input.Series, input.History.Span[^m[i]..]).Concat(new float[horizon]).ToArray()).ToArray();
        Net.Eval();
        for (int done = 0; done < horizon; done += o)
        {
            var x = new Tensor(n, l);
            var lengths = new int[n];
            bool short_ = false;
            for (int i = 0; i < n; i++)
            {
                int len = Math.Min(l, m[i] + done), from = m[i] + done - len;
                lengths[i] = len;
                short_ |= len < l;
                float last = z[i][m[i] + done - 1];
                for (int k = 0; k < len; k++) x.Data[i * l + k] = z[i][from + k] - last;
            }
            Tensor y;
            using (Tape.NoGrad()) y = Net.Forward(x, short_ ? lengths : null); // (n, O), changes from the last input
            for (int i = 0; i < n; i++)
            {
                float last = z[i][m[i] + done - 1];
                for (int k = 0; k < o && done + k < horizon; k++) z[i][m[i] + done + k] = y.Data[i * o + k] + last;
            }
        }
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            result[i] = new float[horizon];
            for (int k = 0; k < horizon; k++) result[i][k] = Scaler!.Inverse(inputs[i].Series, z[i][m[i] + k]);
        }
        return result;
    }
}
