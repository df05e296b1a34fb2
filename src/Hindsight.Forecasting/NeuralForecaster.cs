namespace Hindsight.Forecasting;

/// <summary>One finished epoch of a <see cref="NeuralForecaster"/> (for progress displays).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs the training takes unless early stopping ends it (the epoch limit, or fewer when the step limit comes first).</param>
/// <param name="TrainLoss">Mean training loss over the epoch's windows (<see cref="NeuralConfig.Loss"/>).</param>
/// <param name="ValidationLoss">The same loss on the validation windows, or null without validation.</param>
public readonly record struct EpochProgress(string Model, int Epoch, int Epochs, double TrainLoss, double? ValidationLoss);

/// <summary>What fitting a <see cref="NeuralForecaster"/> did.</summary>
/// <param name="TrainWindows">Training windows per epoch.</param>
/// <param name="ValidationWindows">Validation windows (0: none, every epoch kept).</param>
/// <param name="EpochsRun">Epochs trained before stopping.</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="BestValidationLoss">Its validation loss, or null.</param>
/// <param name="TrainLosses">Mean training loss per epoch.</param>
/// <param name="ValidationLosses">Validation loss per epoch (empty without validation).</param>
public sealed record TrainingSummary(int TrainWindows, int ValidationWindows, int EpochsRun, int BestEpoch, double? BestValidationLoss, double[] TrainLosses, double[] ValidationLosses)
{
    /// <summary>Optimiser steps taken.</summary>
    public int Steps { get; init; }
}

/// <summary>One network of a <see cref="NeuralForecaster"/>: its settings (lookback, loss and seed of its own), weights and training.</summary>
/// <param name="Config">The member's settings (<see cref="NeuralConfig.Ensemble"/> 1).</param>
/// <param name="Net">Its network.</param>
public sealed record NeuralMember(NeuralConfig Config, ForecastNet Net)
{
    /// <summary>What its training did (null when restored from a file).</summary>
    public TrainingSummary? Summary { get; init; }
}

/// <summary>
/// A global neural forecaster (one network for all series, as NeuralForecast's models): windows of
/// <see cref="NeuralConfig.Lookback"/> values to the next <see cref="NeuralConfig.Horizon"/> values in one shot (direct
/// multi-step head), or one step fed back recursively (<see cref="NeuralConfig.Recursive"/>), trained with Adam on
/// mini-batches of every window of every series, shuffled each epoch, on the loss <see cref="NeuralConfig.Loss"/>.
/// With <see cref="NeuralConfig.Ensemble"/> above 1 it trains that many networks (<see cref="NeuralEnsemble"/>: lookbacks x
/// losses x seeds, on all cores) and forecasts their median.
/// </summary>
/// <remarks>
/// Scaling: each series is standardised by a <see cref="SeriesScaler"/> fitted on its training part only (the values
/// before the validation tail); then each window is shifted by its last input value (the window's level), so the network
/// sees the window's shape in units of the series' spread and predicts changes from the level.
/// Lookback: the configured lookback is the longest; for short data <see cref="WindowPlan"/> shortens it so a series of
/// median length still gives a horizon's worth of training windows (a note in <see cref="Forecaster.Warnings"/> says so).
/// Data too short for any training window is an <see cref="ArgumentException"/> naming the series.
/// Validation and early stopping: the last <see cref="NeuralConfig.Validation"/> values of each series are kept out
/// of the training targets; windows whose target reaches into that tail form the validation set, the epoch with the
/// lowest validation loss is remembered and its weights restored at the end, and training stops after
/// <see cref="NeuralConfig.Patience"/> epochs without improvement. Deterministic: the same seed, data and settings
/// give the same weights and forecasts (members train independently, so the thread count does not matter).
/// </remarks>
public sealed partial class NeuralForecaster : Forecaster
{
    private readonly Lock _progress = new();

    /// <summary>Settings (after fitting a single network: that network's, with the lookback it used).</summary>
    public NeuralConfig Config { get; private set; }
    /// <summary>The networks: one, or the ensemble's members (fresh until fitted or restored).</summary>
    public IReadOnlyList<NeuralMember> Members { get; private set; }
    /// <summary>The first member's network (the only one without an ensemble).</summary>
    public ForecastNet Net => Members[0].Net;
    /// <summary>The per-series scaler fitted on the training part.</summary>
    public SeriesScaler? Scaler { get; private set; }
    /// <summary>What the last fit of the first member did.</summary>
    public TrainingSummary? Summary => Members[0].Summary;
    /// <summary>How the covariates are encoded (fitted on the training part), or null without covariates.</summary>
    public Covariates.CovariateEncoder? CovariateEncoder { get; private set; }
    /// <inheritdoc/>
    /// <remarks>Direct (non-recursive) mlp, rnn, lstm, gru, nbeats, nbeatsi and nhits models.</remarks>
    public override bool SupportsCovariates => !Config.Recursive && Config.Kind is NeuralKind.Mlp or NeuralKind.Rnn or NeuralKind.Lstm or NeuralKind.Gru or NeuralKind.NBeats or NeuralKind.NBeatsInterpretable or NeuralKind.NHits;
    /// <summary>Called after every epoch of the first member.</summary>
    public Action<EpochProgress>? OnEpoch { get; set; }
    /// <summary>
    /// Whether forecasts run the networks through a <see cref="ForecastNetPredictor"/> (the same bits as
    /// their <c>Forward</c>, faster); false runs <c>Forward</c> under <c>Tape.NoGrad()</c> (for tests and benchmarks).
    /// </summary>
    internal bool UseInferencePath { get; set; } = true;

    // The member's inference path for one prediction call, or null (switched off). Give it back with Return to
    // keep it for the next call; one not given back is only not reused.
    private ForecastNetPredictor? Rent(NeuralMember member) => UseInferencePath ? ForecastNetPredictor.Kept.Rent(member.Net) : null;

    private static void Return(NeuralMember member, ForecastNetPredictor? predictor) => ForecastNetPredictor.Kept.Return(member.Net, predictor);

    /// <summary>Creates an untrained model.</summary>
    public NeuralForecaster(NeuralConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Members = [new NeuralMember(config with { Ensemble = 1, Losses = [config.Loss] }, new ForecastNet(config, new Rng(config.Seed)))];
    }

    /// <inheritdoc/>
    public override string Name => Config.Kind.ModelName();
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => true;
    /// <inheritdoc/>
    /// <remarks>Before fitting: the shortest input the window plan may choose; after: the longest input of any member.</remarks>
    public override int MinHistory => IsFitted
        ? Members.Max(m => m.Config.ShortestInput)
        : Math.Min(Config.ShortestInput, WindowPlan.MinLookback(Config.Lookback, Config.Horizon, Config.SeasonalPeriod));
    /// <inheritdoc/>
    public override int? MaxHorizon => Config.Recursive ? null : Config.Horizon;

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        int v = Config.Validation, o = Config.OutputSteps;
        CheckCounts(series);
        Scaler = SeriesScaler.Fit(series, s => series[s].Length - v);
        CovariateEncoder = FitCovariates is null ? null : Covariates.CovariateEncoder.Fit(CovariateSchema!, FitCovariates, s => series[s].Length - v);
        var data = new TrainingData(series, Scaler, v, Config.SeasonalPeriod, CovariateEncoder, FitCovariates);
        var configs = NeuralEnsemble.Members(Config, series.Select(x => x.Length).ToList());
        var plan = configs[0];
        if (plan.Lookback < Config.Lookback)
            Warn(-1, $"{Name}: lookback {plan.Lookback} instead of {Config.Lookback}, so a series of median length gives {WindowPlan.TargetWindows(Config.Horizon)} or more training windows.");
        int longest = Enumerable.Range(0, series.Count).MaxBy(s => series[s].Length);
        foreach (var c in configs.DistinctBy(c => c.ShortestInput))
            if (data.Windows(c.ShortestInput, o).Train.Count == 0)
                throw TooShort(longest, v > 0
                    ? $"has {series[longest].Length} values; the model needs at least {c.ShortestInput} + {o} + {v} = {c.ShortestInput + o + v} to train (lookback {c.ShortestInput}, {(Config.Recursive ? "one step" : $"horizon {o}")}, validation {v})."
                    : $"has {series[longest].Length} values; the model needs at least {c.ShortestInput} + {o} = {c.ShortestInput + o} to train (lookback {c.ShortestInput}, {(Config.Recursive ? "one step" : $"horizon {o}")}).");

        var members = NeuralEnsemble.TrainAll(configs.Count, j => new NeuralTrainer(configs[j], data, Name, j == 0 ? Report : null).Train());
        Members = members;
        if (members.Length == 1) Config = members[0].Config;
    }

    private void Report(EpochProgress p)
    {
        lock (_progress) OnEpoch?.Invoke(p);
    }

    /// <summary>
    /// Restores a trained model (from a model file): the scaler, and the members (null: the single network already holding
    /// its weights in <see cref="Net"/>). <paramref name="load"/> fills member i's weights before the model is marked fitted.
    /// </summary>
    /// <remarks>With <paramref name="covariates"/> (the encoder the model was trained with) the networks take covariates.</remarks>
    public void Restore(SeriesScaler scaler, IReadOnlyList<NeuralConfig>? members = null, Action<int, ForecastNet>? load = null, Covariates.CovariateEncoder? covariates = null)
    {
        Scaler = scaler ?? throw new ArgumentNullException(nameof(scaler));
        CovariateEncoder = covariates;
        RestoreCovariates(covariates?.Schema);
        if (members is not null || covariates is not null)
        {
            var configs = members ?? Members.Select(m => m.Config).ToList();
            if (configs.Count == 0) throw new ArgumentException("Restore: no members.", nameof(members));
            Members = configs.Select(c => new NeuralMember(c, new ForecastNet(c, new Rng(c.Seed), covariates))).ToArray();
        }
        for (int i = 0; i < Members.Count; i++)
        {
            load?.Invoke(i, Members[i].Net);
            Members[i].Net.Eval();
        }
        Config = Members.Count == 1 ? Members[0].Config : Config with { Ensemble = Members.Count };
        MarkFitted(new float[scaler.Mean.Length][]);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        if (Config.Head.IsProbabilistic) return PredictMedian(inputs, horizon);
        var forecasts = Members.Select(m => PredictMember(m, inputs, horizon)).ToArray();
        if (forecasts.Length == 1) return forecasts[0];
        var result = new float[inputs.Count][];
        var column = new float[forecasts.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new float[horizon];
            for (int k = 0; k < horizon; k++)
            {
                for (int j = 0; j < forecasts.Length; j++) column[j] = forecasts[j][i][k];
                result[i][k] = NeuralEnsemble.Median(column);
            }
        }
        return result;
    }

    // Each input's covariates encoded as the model was trained (null without covariates); unreadable ones name the series.
    private Covariates.EncodedCovariates[]? EncodeCovariates(IReadOnlyList<ForecastInput> inputs) =>
        CovariateEncoder is null ? null : inputs.Select(input =>
        {
            try { return CovariateEncoder.Encode(input.Covariates!); }
            catch (ArgumentException ex) { throw TooShort(input.Series, $"has covariates the model cannot read: {ex.Message.Replace(" (Parameter 'covariates')", "", StringComparison.Ordinal)}"); }
        }).ToArray();

    // One member's forecasts in the data's units.
    private float[][] PredictMember(NeuralMember member, IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        int l = member.Config.Lookback, o = member.Config.OutputSteps, n = inputs.Count;
        // z[i]: the last m[i] = min(L, history) scaled values of history i, then each predicted step (recursive models feed them back).
        var m = inputs.Select(input => Math.Min(l, input.History.Length)).ToArray();
        var z = inputs.Select((input, i) => Scaler!.Transform(input.Series, input.History.Span[^m[i]..]).Concat(new float[horizon]).ToArray()).ToArray();
        var net = member.Net;
        net.Eval();
        var encoded = EncodeCovariates(inputs);
        var predictor = Rent(member);   // given back at the end (an exception only loses it)
        var x = new Tensor(n, l);
        var lengths = new int[n];
        var y = predictor is null ? null : new float[n * o];
        var covariates = encoded is null ? null : Covariates.CovariateBatch.Create(CovariateEncoder!, n, l, o);  // refilled at every step
        for (int done = 0; done < horizon; done += o)
        {
            Array.Clear(x.Data);
            bool short_ = false;
            for (int i = 0; i < n; i++)
            {
                int len = Math.Min(l, m[i] + done), from = m[i] + done - len;
                lengths[i] = len;
                short_ |= len < l;
                float last = z[i][m[i] + done - 1];
                for (int k = 0; k < len; k++) x.Data[i * l + k] = z[i][from + k] - last;
            }
            if (covariates is not null)
                for (int i = 0; i < n; i++) covariates.Fill(i, encoded![i], inputs[i].History.Length + done, lengths[i]);
            // (n, O), changes from the last input
            if (predictor is not null && (!short_ || predictor.TakesLengths))
                predictor.Run(x.Data, n, l, short_ ? lengths : default, covariates is null ? default : covariates.Steps.Data,
                    covariates is null ? default : covariates.Head.Data, y);
            else using (Tape.NoGrad()) y = net.Forward(x, short_ ? lengths : null, covariates).Data;
            for (int i = 0; i < n; i++)
            {
                float last = z[i][m[i] + done - 1];
                for (int k = 0; k < o && done + k < horizon; k++) z[i][m[i] + done + k] = y![i * o + k] + last;
            }
        }
        Return(member, predictor);
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            result[i] = new float[horizon];
            for (int k = 0; k < horizon; k++) result[i][k] = Scaler!.Inverse(inputs[i].Series, z[i][m[i] + k]);
        }
        return result;
    }
}
