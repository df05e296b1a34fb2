using System.Diagnostics;
using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Optimizers;

namespace Hindsight.Lesson;

/// <summary>
/// The seed tutorial's experiment (fully connected vs RNN on a table of series), reproduced faithfully and measured
/// over several seeds. Per model and seed: fresh weights, SGD with the given learning rate, MSE on every predicted
/// step, <see cref="LessonOptions.Epochs"/> epochs of <see cref="WindowLoader"/> batches.
/// </summary>
/// <remarks>
/// Differences from the seed's code, on purpose: each epoch's loss is the mean of that epoch's batch losses for every
/// model (the seed's RNN loop never resets <c>epoch_losses</c>, so its curve is a running mean over all epochs so
/// far); everything runs in float32 (the seed runs the FC in float64). Kept on purpose: the RNN skips a last batch
/// that is not full and the FC trains on it (see <see cref="ISequenceModel.SkipsShortBatch"/>).
/// </remarks>
public static class LessonExperiment
{
    /// <summary>Scales <paramref name="raw"/>, then races every model at every hidden size over every seed.</summary>
    /// <exception cref="DataFormatException">Too few periods for the window, or too few rows for a model that needs full batches.</exception>
    /// <exception cref="ArgumentException">A setting out of range.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite, or an epoch's loss grew past the bounds of <see cref="DivergenceGuard"/>.</exception>
    public static LessonResult Run(WideSeries raw, SeriesScaling scaling, LessonOptions options, Action<LessonProgress>? progress = null)
        => Run(raw, scaling, options, progress, epochEnd: null);

    /// <summary>
    /// As <see cref="Run(WideSeries, SeriesScaling, LessonOptions, Action{LessonProgress}?)"/>, and calls
    /// <paramref name="epochEnd"/> on the training thread after every epoch of every run, with copies of that epoch's
    /// first batch and first-layer weight. Watching changes no number: the callback only receives copies.
    /// </summary>
    public static LessonResult Run(WideSeries raw, SeriesScaling scaling, LessonOptions options, Action<LessonProgress>? progress, Action<LessonEpoch>? epochEnd)
    {
        options.Validate();
        raw.RequirePeriods(options.SeqLength + 1, $"a window of seqLength {options.SeqLength} plus its one-step-later target");
        var data = RowScaler.Fit(raw, scaling).Transform(raw);
        foreach (var name in options.Models)
            if (LessonModels.Create(name, options.SeqLength, options.Hidden[0], options.BatchRows, new Rng(0)).SkipsShortBatch && data.Rows < options.BatchRows)
                throw new DataFormatException(data.Source, null, null,
                    $"{data.Rows} series rows, fewer than batchRows {options.BatchRows}; model '{name}' (like the seed's RNN) skips batches that are not full, so it would never train. Use batchRows {data.Rows} or fewer.");
        var races = new List<ModelRace>();
        foreach (int hidden in options.Hidden)
        {
            var group = new List<ModelRace>();
            foreach (var name in options.Models)
                group.Add(Race(data, name, hidden, options, progress, epochEnd));
            races.AddRange(WithLeadEpochs(group));
        }
        return new LessonResult(raw.Source, raw.Rows, raw.PeriodCount, scaling, options, races);
    }

    private static ModelRace Race(WideSeries data, string name, int hidden, LessonOptions o, Action<LessonProgress>? progress, Action<LessonEpoch>? epochEnd)
    {
        int modelIndex = IndexOf(name);
        var losses = new double[o.Seeds][];
        var snapshots = new List<BatchSnapshot>();
        float[] initialWeight = [];
        int[] weightShape = [];
        string weightName = "";
        int parameters = 0, updates = 0, done = 0, total = o.Seeds * o.Epochs;
        var clock = Stopwatch.StartNew();
        for (int run = 0; run < o.Seeds; run++)
        {
            ulong seed = o.Seed + (ulong)run;
            var model = LessonModels.Create(name, o.SeqLength, hidden, o.BatchRows, new Rng(Derive(seed, 1 + (ulong)modelIndex)));
            parameters = model.Module.ParameterCount;
            if (run == 0)
            {
                (weightName, var w) = model.FirstWeight;
                initialWeight = (float[])w.Data.Clone();
                weightShape = w.Shape.ToArray();
            }
            // Same loader seed for every model in a run: they see the same shuffles and windows (until the RNN skips a batch).
            var loader = new WindowLoader(data, o.SeqLength, o.BatchRows, new Rng(Derive(seed, 0)));
            var sgd = new Sgd(model.Module.Parameters(), o.LearningRate);
            losses[run] = new double[o.Epochs];
            int steps = 0;
            var guard = new DivergenceGuard($"model '{name}' (hidden {hidden}, seed {seed})", "lower the learningRate.");
            for (int epoch = 0; epoch < o.Epochs; epoch++)
            {
                double sum = 0; int batches = 0;
                BatchSnapshot? first = null;
                int firstRows = 0;
                foreach (var batch in loader.Epoch(model.SkipsShortBatch))
                {
                    var output = model.Forward(batch.X);          // (B,T)
                    var loss = Ops.MseLoss(output, batch.Y);
                    float value = loss.Item();
                    steps++;
                    if (!float.IsFinite(value))
                    {
                        Tape.Clear();
                        throw new TrainingDivergedException($"model '{name}' (hidden {hidden}, seed {seed}) diverged: loss is {value} at step {steps} (epoch {epoch + 1}); lower the learningRate.");
                    }
                    if ((run == 0 || epochEnd is not null) && batches == 0)
                    {
                        first = new BatchSnapshot(epoch + 1, (float[])output.Data.Clone(), (float[])batch.Y.Data.Clone(), (float[])batch.X.Data.Clone());
                        firstRows = batch.X.Dim(0);
                        if (run == 0) snapshots.Add(first);
                    }
                    sgd.ZeroGrad();
                    loss.Backward();
                    sgd.Step();
                    sum += value; batches++;
                }
                losses[run][epoch] = sum / batches;
                guard.Check(epoch + 1, losses[run][epoch]);
                progress?.Invoke(new LessonProgress(name, hidden, ++done, total, losses[run][epoch]));
                if (epochEnd is not null)
                {
                    var (wName, w) = model.FirstWeight;
                    epochEnd(new LessonEpoch(name, hidden, run, seed, epoch + 1, o.Epochs, losses[run][epoch], first!, firstRows,
                        wName, (float[])w.Data.Clone(), w.Shape.ToArray()));
                }
            }
            updates = steps;
        }
        var (mean, sd) = MeanSd(losses, o.Epochs);
        return new ModelRace(name, hidden, parameters, mean, sd, losses, clock.Elapsed.TotalSeconds, updates, weightName, initialWeight, weightShape, snapshots);
    }

    private static IEnumerable<ModelRace> WithLeadEpochs(List<ModelRace> group)
    {
        foreach (var race in group)
        {
            var others = group.Where(g => !ReferenceEquals(g, race)).ToList();
            var (first, from) = LeadEpochs(race.EpochMean, others.Select(o => o.EpochMean).ToList());
            int wins = 0;
            if (others.Count > 0)
                for (int run = 0; run < race.EpochLosses.Length; run++)
                    if (others.All(other => race.EpochLosses[run][^1] < other.EpochLosses[run][^1])) wins++;
            yield return race with { FirstLeadEpoch = first, LeadsFromEpoch = from, SeedWins = wins };
        }
    }

    /// <summary>
    /// For one model's per-epoch mean loss against the others': the first 1-based epoch at which it is below all of
    /// them, and the epoch from which it stays below all of them up to the last epoch (null when it never leads, or
    /// does not lead at the end). Both are null without other models.
    /// </summary>
    internal static (int? First, int? From) LeadEpochs(double[] mean, IReadOnlyList<double[]> others)
    {
        if (others.Count == 0) return (null, null);
        bool Leads(int e) => others.All(o => mean[e] < o[e]);
        int? first = null;
        for (int e = 0; e < mean.Length && first is null; e++)
            if (Leads(e)) first = e + 1;
        int? from = null;
        for (int e = mean.Length - 1; e >= 0 && Leads(e); e--) from = e + 1;
        return (first, from);
    }

    /// <summary>Per-epoch mean and sample standard deviation (n - 1; 0 for a single run) over runs.</summary>
    internal static (double[] Mean, double[] Sd) MeanSd(double[][] runs, int epochs)
    {
        var mean = new double[epochs];
        var sd = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            double m = 0;
            foreach (var r in runs) m += r[e];
            m /= runs.Length;
            double ss = 0;
            foreach (var r in runs) ss += (r[e] - m) * (r[e] - m);
            mean[e] = m;
            sd[e] = runs.Length > 1 ? Math.Sqrt(ss / (runs.Length - 1)) : 0;
        }
        return (mean, sd);
    }

    private static int IndexOf(string name)
    {
        for (int i = 0; i < LessonModels.Available.Count; i++) if (LessonModels.Available[i] == name) return i;
        throw new ArgumentException($"unknown model '{name}'.");
    }

    /// <summary>A seed for stream <paramref name="stream"/> of run seed <paramref name="seed"/> (SplitMix64 finaliser: nearby inputs give unrelated streams).</summary>
    private static ulong Derive(ulong seed, ulong stream)
    {
        ulong z = seed * 0x9E3779B97F4A7C15UL + stream * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
