using Hindsight.Data;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Optimizers;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// An ES-RNN-style hybrid (Smyl 2020, the M4 winner): per-series exponential smoothing (<see cref="SeriesSmoothing"/>:
/// level and multiplicative season with learned per-series coefficients and initial seasonal indices) normalises each
/// window (<see cref="NormalisedWindows"/>), one global recurrent network (<see cref="EsRnnNet"/>) forecasts the
/// normalised future, and the forecast is re-leveled and re-seasonalised: <c>exp(net_k) l[n-1] S[n + k mod m]</c>.
/// The smoothing parameters and the network are trained together by backpropagation with Adam on a pinball loss
/// (<see cref="EsRnnOptions.Quantile"/>) plus the level wiggliness penalty.
/// </summary>
/// <remarks>
/// Positive data: the multiplicative model takes logs, so a series with a value at or below 0 is shifted up by
/// -min + (max - min) (or -min + 1 for a constant series) for fitting and forecasting, and shifted back (a warning says
/// so). A season of 1 gives a level-only model. Training as <see cref="NeuralForecaster"/> (the shared
/// <see cref="TrainingLoop"/>): at most <see cref="ForecastSettings.Steps"/> steps and <see cref="ForecastSettings.Epochs"/>
/// epochs; with a validation tail (<see cref="ForecastSettings.Validation"/>) the epoch with the lowest validation loss is
/// kept. Deterministic: the same seed, data and settings give the same forecasts. With a quantile or distribution head
/// (<see cref="Head"/>, <see cref="ForecastSettings.Probabilistic"/>) the network predicts the head's outputs in the
/// normalised log space instead and trains on their pinball loss or likelihood (EsRnnForecaster.Probabilistic.cs).
/// </remarks>
public sealed partial class EsRnnForecaster : Forecaster
{
    private float[] _shift = [];

    /// <summary>The settings (season, lookback, horizon, network size, training, <see cref="ForecastSettings.EsRnn"/>).</summary>
    public ForecastSettings Settings { get; }
    /// <summary>The members' global networks (fresh until fitted or restored), one per ensemble member (<see cref="ForecastSettings.Ensemble"/>).</summary>
    public IReadOnlyList<EsRnnNet> Nets { get; private set; }
    /// <summary>The members' per-series smoothing (empty until fitted or restored).</summary>
    public IReadOnlyList<SeriesSmoothing> Smoothings { get; private set; } = [];
    /// <summary>The first member's network.</summary>
    public EsRnnNet Net => Nets[0];
    /// <summary>The first member's smoothing (null until fitted or restored).</summary>
    public SeriesSmoothing? Smoothing => Smoothings.Count > 0 ? Smoothings[0] : null;
    /// <summary>What is added to each series before the multiplicative model (0 for positive series).</summary>
    public IReadOnlyList<float> Shift => _shift;
    /// <summary>What the last fit did.</summary>
    public TrainingSummary? Summary { get; private set; }
    /// <summary>Called after every epoch of the first member (members train at the same time).</summary>
    public Action<EpochProgress>? OnEpoch { get; set; }
    /// <summary>
    /// Whether forecasts run the networks through an <see cref="EsRnnPredictor"/> (the same bits as their <c>Forward</c>,
    /// faster); false runs <c>Forward</c> under <c>Tape.NoGrad()</c> (for tests and benchmarks).
    /// </summary>
    internal bool UseInferencePath { get; set; } = true;

    /// <summary>What the network predicts per step: a point, quantiles or a Gaussian or Student-t distribution (<see cref="HeadOf"/>).</summary>
    public OutputHead Head { get; }

    /// <summary>Creates an untrained model.</summary>
    /// <exception cref="ArgumentException">A negative binomial head (parameter <c>distribution</c>), or a bad quantile list.</exception>
    public EsRnnForecaster(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Head = HeadOf(settings);
        Nets = Enumerable.Range(0, settings.Ensemble).Select(NewNet).ToArray();
    }

    /// <summary>
    /// The seed of ensemble member <paramref name="member"/>: <paramref name="seed"/> itself for the first, then steps of
    /// 2^64 / golden ratio, so the members of seeds 0, 1, 2 share no seed.
    /// </summary>
    public static ulong MemberSeed(ulong seed, int member) => unchecked(seed + (ulong)member * 0x9E3779B97F4A7C15UL);

    private ulong SeedOf(int member) => MemberSeed(Settings.Seed, member);

    private EsRnnNet NewNet(int member) => new(Settings.EsRnn.Cell, Settings.Hidden, Settings.Layers, Settings.Horizon, new Rng(SeedOf(member)), Head.Width);

    /// <inheritdoc/>
    public override string Name => "esrnn";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => true;
    /// <inheritdoc/>
    public override int MinHistory => Settings.Lookback;
    /// <inheritdoc/>
    public override int? MaxHorizon => Settings.Horizon;

    /// <summary>The shift that makes <paramref name="values"/> positive: 0 when they are, else -min + (max - min) (-min + 1 when constant).</summary>
    public static float PositiveShift(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values) { min = MathF.Min(min, v); max = MathF.Max(max, v); }
        if (min > 0) return 0f;
        return -min + (max > min ? max - min : 1f);
    }

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        int l = Settings.Lookback, h = Settings.Horizon, v = Settings.Validation, count = series.Count;
        int TrainEnd(int s) => series[s].Length - v;
        string needs = v > 0 ? $"lookback {l} + horizon {h} + validation {v}" : $"lookback {l} + horizon {h}";
        _shift = new float[count];
        var y = new float[count][];
        var smoothing = new SeriesSmoothing(count, Settings.SeasonalPeriod);
        var train = new List<(int S, int T)>();
        var val = new List<(int S, int T)>();
        for (int s = 0; s < count; s++)
        {
            _shift[s] = PositiveShift(series[s]);
            if (_shift[s] != 0) Warn(s, $"{Name}: the series has values at or below 0; the multiplicative model runs on it shifted up by {_shift[s]:G6} (forecasts shifted back).");
            y[s] = Positive(series[s], _shift[s]);
            smoothing.InitialiseSeason(s, y[s].AsSpan(0, Math.Max(0, TrainEnd(s))));
            int before = train.Count;
            for (int t = l; t + h <= TrainEnd(s); t++) train.Add((s, t));
            if (train.Count == before) Warn(s, $"{Name}: the series has {series[s].Length} values, fewer than {needs}; it trains no window and keeps its initial smoothing.");
            for (int t = Math.Max(l, TrainEnd(s) - h + 1); t + h <= series[s].Length; t++) val.Add((s, t));
        }
        if (train.Count == 0)
            throw new ArgumentException($"{Name}: no training window: a series needs at least {needs} = {l + h + v} values; the longest has {series.Max(x => x.Length)}.");

        int members = Settings.Ensemble;
        var nets = new EsRnnNet[members];
        var smoothings = new SeriesSmoothing[members];
        for (int i = 0; i < members; i++)
        {
            var memberSmoothing = new SeriesSmoothing(count, Settings.SeasonalPeriod);
            memberSmoothing.LoadStateDict(smoothing.StateDict());
            (nets[i], smoothings[i]) = (NewNet(i), memberSmoothing);
        }
        // Members are independent (own network, smoothing, seed), so they train on all cores with the same results.
        var summaries = NeuralEnsemble.TrainAll(members, i => TrainMember(i, nets[i], smoothings[i], y, train, val, TrainEnd));
        Summary = summaries[0];
        Nets = nets;
        Smoothings = smoothings;
    }

    // Trains member i (its network and smoothing) on the windows in the shared loop (the best validation epoch's weights kept).
    private TrainingSummary TrainMember(int member, EsRnnNet net, SeriesSmoothing smoothing, float[][] y, List<(int S, int T)> train, List<(int S, int T)> val, Func<int, int> trainEnd)
    {
        int l = Settings.Lookback, h = Settings.Horizon;
        var parameters = net.Parameters().Concat(smoothing.Parameters()).ToList();
        var adam = new Adam(net.Parameters(), Settings.LearningRate);
        var seriesAdam = new Adam(smoothing.Parameters(), Settings.LearningRate * Settings.EsRnn.SeriesLearningRate);
        float[] quantile = [Settings.EsRnn.Quantile];
        float penaltyWeight = Settings.EsRnn.LevelPenalty;
        int epochs = Settings.Epochs;
        var loop = new TrainingLoop
        {
            Name = Name, Epochs = epochs, Steps = Settings.Steps, BatchSize = Settings.BatchSize, Patience = Settings.Patience, LrDecays = Settings.LrDecays, Seed = SeedOf(member),
        };
        return loop.Run(parameters, [adam, seriesAdam], train.Count, val.Count,
            order =>
            {
                var batch = order.Select(i => train[i]).ToArray();
                var z = NormalisedWindows.Build(smoothing, y, batch, l, h);           // (B, L + H)
                var forecast = net.Forward(Ops.Slice(z, 1, 0, l));                  // (B, H x W)
                var loss = Loss(forecast, Ops.Slice(z, 1, l, h), quantile);
                float value = loss.Item();
                if (penaltyWeight > 0) loss = Ops.Add(loss, NormalisedWindows.LevelPenalty(smoothing, y, batch.Select(w => w.S), trainEnd, penaltyWeight));
                return (loss, value);
            },
            val.Count > 0 ? () => ValidationLoss(net, smoothing, y, val, quantile) : null,
            isTraining => { if (isTraining) net.Train(); else net.Eval(); },
            member == 0 ? (epoch, planned, loss, valLoss) => OnEpoch?.Invoke(new EpochProgress(Name, epoch, planned, loss, valLoss)) : null);
    }

    private double ValidationLoss(EsRnnNet net, SeriesSmoothing smoothing, float[][] y, List<(int S, int T)> val, float[] quantile)
    {
        int l = Settings.Lookback, h = Settings.Horizon;
        net.Eval();
        using (Tape.NoGrad())
        {
            var z = NormalisedWindows.Build(smoothing, y, val, l, h);
            return Loss(net.Forward(Ops.Slice(z, 1, 0, l)), Ops.Slice(z, 1, l, h), quantile).Item();
        }
    }

    // The training loss of the network's output (B, H x W) against the normalised targets (B, H): the pinball loss at the
    // esrnn quantile for a point forecast, else the head's (pinball over its levels, or negative log-likelihood).
    private Tensor Loss(Tensor output, Tensor target, float[] quantile) =>
        Head.IsProbabilistic ? HeadOutputs.Loss(Head, output, target) : Ops.PinballLoss(output, target, quantile);

    // The values shifted up by shift, floored at a millionth of their largest magnitude (at least 1e-30) so logs stay finite.
    internal static float[] Positive(ReadOnlySpan<float> values, float shift)
    {
        var y = new float[values.Length];
        float largest = 0;
        for (int i = 0; i < y.Length; i++) { y[i] = values[i] + shift; largest = MathF.Max(largest, MathF.Abs(y[i])); }
        float floor = MathF.Max(largest * 1e-6f, 1e-30f);
        for (int i = 0; i < y.Length; i++) y[i] = MathF.Max(y[i], floor);
        return y;
    }

    /// <summary>Restores a trained model from a model file: each member's smoothing, and the shifts; the networks' weights are already loaded into <see cref="Nets"/>.</summary>
    /// <exception cref="ArgumentException">Not one smoothing per member, or the smoothing and the shifts disagree on the number of series or the season.</exception>
    public void Restore(IReadOnlyList<SeriesSmoothing> smoothings, float[] shift)
    {
        ArgumentNullException.ThrowIfNull(smoothings);
        ArgumentNullException.ThrowIfNull(shift);
        if (smoothings.Count != Nets.Count) throw new ArgumentException($"{Name}: {smoothings.Count} smoothings for {Nets.Count} members.", nameof(smoothings));
        foreach (var smoothing in smoothings)
        {
            if (shift.Length != smoothing.SeriesCount) throw new ArgumentException($"{Name}: {shift.Length} shifts for {smoothing.SeriesCount} series.", nameof(shift));
            if (smoothing.Season != Settings.SeasonalPeriod) throw new ArgumentException($"{Name}: smoothing of season {smoothing.Season}, settings say {Settings.SeasonalPeriod}.", nameof(smoothings));
        }
        Smoothings = smoothings.ToArray();
        _shift = (float[])shift.Clone();
        foreach (var net in Nets) net.Eval();
        MarkFitted(new float[shift.Length][]);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        if (Head.IsProbabilistic) return Quantiles(inputs, horizon, [0.5]).Select(q => q[0]).ToArray(); // the median
        int n = inputs.Count, members = Nets.Count;
        var histories = Histories(inputs);
        var byMember = Enumerable.Range(0, members).Select(j => PredictMember(j, inputs, histories, horizon)).ToArray();
        var result = new float[n][];
        var values = new float[members];
        for (int i = 0; i < n; i++)
        {
            result[i] = new float[horizon];
            for (int k = 0; k < horizon; k++)
            {
                for (int j = 0; j < members; j++) values[j] = byMember[j][i][k];
                result[i][k] = Median(values);
            }
        }
        return result;
    }

    // The median of the members' forecasts (the mean of the middle two for an even count), as the N-BEATS ensemble.
    private static float Median(float[] values)
    {
        Array.Sort(values);
        int c = values.Length;
        return c % 2 == 1 ? values[c / 2] : (float)(0.5 * ((double)values[c / 2 - 1] + values[c / 2]));
    }

    // The inputs' histories shifted to positive values (a warning when one reaches the floor).
    private float[][] Histories(IReadOnlyList<ForecastInput> inputs)
    {
        var histories = new float[inputs.Count][];
        for (int i = 0; i < inputs.Count; i++)
        {
            int s = inputs[i].Series;
            var history = inputs[i].History.Span;
            histories[i] = Positive(history, _shift[s]);
            for (int k = 0; k < history.Length; k++)
                if (history[k] + _shift[s] <= 0) { Warn(s, $"{Name}: the history has a value at or below the shifted model's floor; forecasts may be poor."); break; }
        }
        return histories;
    }

    // Member j's network output after each input (n, H x W) in the normalised log space, and the factors level x season
    // (n x H) that take exp(output) back to the (shifted) data's units.
    private (Tensor Output, double[] Scale) Normalised(int member, IReadOnlyList<ForecastInput> inputs, float[][] histories)
    {
        int l = Settings.Lookback, h = Settings.Horizon, n = inputs.Count;
        var x = new Tensor(n, l);
        var scale = new double[n * h];
        for (int i = 0; i < n; i++)
            NormalisedWindows.Origin(Smoothings[member], inputs[i].Series, histories[i], x.Data.AsSpan(i * l, l), scale.AsSpan(i * h, h));
        var net = Nets[member];
        net.Eval();
        if (!UseInferencePath) using (Tape.NoGrad()) return (net.Forward(x), scale);
        var predictor = EsRnnPredictor.Kept.Rent(net)!;
        try
        {
            var output = new Tensor(n, predictor.OutputSize);
            predictor.Run(x.Data, n, l, output.Data);
            return (output, scale);
        }
        finally { EsRnnPredictor.Kept.Return(net, predictor); }
    }

    // Member j's forecasts in data units: exp(normalised forecast) x level x season, shifted back.
    private float[][] PredictMember(int member, IReadOnlyList<ForecastInput> inputs, float[][] histories, int horizon)
    {
        int h = Settings.Horizon, n = inputs.Count;
        var (z, scale) = Normalised(member, inputs, histories);                         // (n, H) normalised log forecasts
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            result[i] = new float[horizon];
            float shift = _shift[inputs[i].Series];
            for (int k = 0; k < horizon; k++) result[i][k] = (float)(Math.Exp(z.Data[i * h + k]) * scale[i * h + k]) - shift;
        }
        return result;
    }
}
