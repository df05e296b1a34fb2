namespace Hindsight.Forecasting.Covariates;

/// <summary>A series' covariates as a network reads them: numeric columns standardised, categories one-hot.</summary>
/// <param name="Past">Per past covariate, its scaled values (index as the series).</param>
/// <param name="Future">Per future covariate, its scaled values (reaching past the series' end).</param>
/// <param name="Static">The static inputs: scaled numeric values, then each categorical covariate one-hot over its levels.</param>
public sealed record EncodedCovariates(float[][] Past, float[][] Future, float[] Static);

/// <summary>
/// How a neural forecaster encodes covariates, fitted on the training part only: each numeric past, future (file) and
/// static covariate is standardised with the mean and population standard deviation of its training values over all
/// series (Std 1 for a constant); calendar and holiday columns stay as they are; a categorical static covariate becomes
/// one-hot over the levels seen in training (a one-hot input into the first layer is a learned embedding of the level).
/// </summary>
/// <param name="Schema">The covariates.</param>
/// <param name="PastMean">Mean of each past covariate.</param>
/// <param name="PastStd">Standard deviation of each past covariate.</param>
/// <param name="FutureMean">Mean of each future covariate (0 for an unscaled one).</param>
/// <param name="FutureStd">Standard deviation of each future covariate (1 for an unscaled one).</param>
/// <param name="StaticMean">Mean of each static covariate over the series (0 for a categorical one).</param>
/// <param name="StaticStd">Standard deviation of each static covariate (1 for a categorical one).</param>
/// <param name="Levels">Per static covariate, its levels in ordinal order (empty for a numeric one).</param>
public sealed record CovariateEncoder(CovariateSchema Schema, float[] PastMean, float[] PastStd, float[] FutureMean, float[] FutureStd,
    float[] StaticMean, float[] StaticStd, string[][] Levels)
{
    /// <summary>Past channels per step.</summary>
    public int PastWidth => Schema.Past.Length;
    /// <summary>Future channels per step.</summary>
    public int FutureWidth => Schema.Future.Length;
    /// <summary>Static inputs (numeric ones plus every level of the categorical ones).</summary>
    public int StaticWidth => Levels.Sum(l => l.Length == 0 ? 1 : l.Length);

    /// <summary>Fits the encoder on the first <paramref name="trainLength"/>(s) periods of each series' covariates.</summary>
    public static CovariateEncoder Fit(CovariateSchema schema, IReadOnlyList<SeriesCovariates> covariates, Func<int, int> trainLength)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(trainLength);
        (float Mean, float Std) Moments(IEnumerable<float> values)
        {
            double sum = 0, sq = 0; long count = 0;
            foreach (var v in values) { sum += v; sq += (double)v * v; count++; }
            if (count == 0) return (0, 1);
            double mean = sum / count, sd = Math.Sqrt(Math.Max(0, sq / count - mean * mean));
            return ((float)mean, sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? (float)sd : 1f);
        }
        IEnumerable<float> Train(Func<SeriesCovariates, float[]> column) =>
            covariates.SelectMany((c, s) => column(c).Take(Math.Max(1, trainLength(s))));
        var past = schema.Past.Select((_, j) => Moments(Train(c => c.Past[j]))).ToArray();
        var future = schema.Future.Select((_, j) => schema.FutureScaled[j] ? Moments(Train(c => c.Future[j])) : (0f, 1f)).ToArray();
        var levels = schema.Static.Select((_, j) => schema.StaticCategorical[j]
            ? covariates.Select(c => c.Static[j]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : []).ToArray();
        var statics = schema.Static.Select((_, j) => schema.StaticCategorical[j]
            ? (0f, 1f)
            : Moments(covariates.Select(c => float.Parse(c.Static[j], System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        return new CovariateEncoder(schema, past.Select(p => p.Mean).ToArray(), past.Select(p => p.Std).ToArray(),
            future.Select(p => p.Item1).ToArray(), future.Select(p => p.Item2).ToArray(),
            statics.Select(p => p.Item1).ToArray(), statics.Select(p => p.Item2).ToArray(), levels);
    }

    /// <summary>The encoded covariates of one series.</summary>
    /// <exception cref="ArgumentException">Column counts that differ from the schema, a non-numeric static value of a numeric covariate, or a category not seen in training (names the covariate and the level).</exception>
    public EncodedCovariates Encode(SeriesCovariates covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Past.Length != PastWidth || covariates.Future.Length != FutureWidth || covariates.Static.Length != Schema.Static.Length)
            throw new ArgumentException($"covariates: {covariates.Past.Length} past, {covariates.Future.Length} future and {covariates.Static.Length} static columns; the model was trained with {PastWidth}, {FutureWidth} and {Schema.Static.Length} ({string.Join(", ", Schema.Describe())}).", nameof(covariates));
        var past = covariates.Past.Select((x, j) => Array.ConvertAll(x, v => (v - PastMean[j]) / PastStd[j])).ToArray();
        var future = covariates.Future.Select((x, j) => Array.ConvertAll(x, v => (v - FutureMean[j]) / FutureStd[j])).ToArray();
        var statics = new float[StaticWidth];
        int at = 0;
        for (int j = 0; j < Levels.Length; j++)
        {
            string text = covariates.Static[j];
            if (Levels[j].Length == 0)
            {
                if (!CovariateCsv.IsNumber(text)) throw new ArgumentException($"static covariate '{Schema.Static[j]}': '{text}' is not a number (it was numeric in training).", nameof(covariates));
                statics[at++] = (float.Parse(text, System.Globalization.CultureInfo.InvariantCulture) - StaticMean[j]) / StaticStd[j];
                continue;
            }
            int level = Array.IndexOf(Levels[j], text);
            if (level < 0) throw new ArgumentException($"static covariate '{Schema.Static[j]}': level '{text}' was not seen in training (levels: {string.Join(", ", Levels[j])}).", nameof(covariates));
            statics[at + level] = 1;
            at += Levels[j].Length;
        }
        return new EncodedCovariates(past, future, statics);
    }
}

/// <summary>
/// The covariate inputs of a batch of windows: per input step the past and future channels, and for the head the future
/// channels of every forecast step and the static inputs.
/// </summary>
/// <param name="Steps">(B, L, P + F): at input step k of a window ending before t with m valid steps, the past then the future covariates at t - m + k (zeros after m).</param>
/// <param name="Head">(B, O x F + S): the future covariates at t .. t + O - 1 (step-major), then the static inputs.</param>
public sealed record CovariateBatch(Tensor Steps, Tensor Head)
{
    /// <summary>Channels per input step for a model with <paramref name="encoder"/>.</summary>
    public static int StepWidth(CovariateEncoder encoder) => encoder is null ? 0 : encoder.PastWidth + encoder.FutureWidth;
    /// <summary>Head inputs for a model with <paramref name="encoder"/> predicting <paramref name="outputs"/> steps.</summary>
    public static int HeadWidth(CovariateEncoder encoder, int outputs) => encoder is null ? 0 : outputs * encoder.FutureWidth + encoder.StaticWidth;

    /// <summary>An empty batch of <paramref name="rows"/> windows of <paramref name="lookback"/> inputs and <paramref name="outputs"/> outputs.</summary>
    public static CovariateBatch Create(CovariateEncoder encoder, int rows, int lookback, int outputs)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return new CovariateBatch(new Tensor(rows, lookback, StepWidth(encoder)), new Tensor(rows, HeadWidth(encoder, outputs)));
    }

    /// <summary>Fills row <paramref name="row"/> for the window of <paramref name="m"/> inputs before period <paramref name="t"/> of a series with covariates <paramref name="c"/>.</summary>
    public void Fill(int row, EncodedCovariates c, int t, int m)
    {
        ArgumentNullException.ThrowIfNull(c);
        int l = Steps.Dim(1), w = Steps.Dim(2), p = c.Past.Length, f = c.Future.Length, head = Head.Dim(1), o = f == 0 ? 0 : (head - c.Static.Length) / f;
        var steps = Steps.Data.AsSpan(row * l * w, l * w);
        steps.Clear();
        for (int k = 0; k < m; k++)
        {
            int at = t - m + k;
            for (int j = 0; j < p; j++) steps[k * w + j] = c.Past[j][at];
            for (int j = 0; j < f; j++) steps[k * w + p + j] = c.Future[j][at];
        }
        var h = Head.Data.AsSpan(row * head, head);
        for (int k = 0; k < o; k++)
            for (int j = 0; j < f; j++) h[k * f + j] = t + k < c.Future[j].Length ? c.Future[j][t + k] : 0; // steps past a shorter horizon: discarded
        c.Static.CopyTo(h[(o * f)..]);
    }
}
