namespace Hindsight.Forecasting;

/// <summary>
/// Global linear autoregression AR(p) with intercept, <c>z_t = c + sum_{k=1..p} a_k z_{t-k}</c>, on each series standardised by
/// its own <see cref="SeriesScaler"/>; the coefficients are pooled over every window of every series and solved in closed
/// form (least squares through the normal equations in double precision, with a ridge of 1e-8 times the mean diagonal
/// against exactly collinear lags). Multi-step forecasts are recursive: each prediction becomes the next input.
/// </summary>
public sealed class LinearArForecaster : Forecaster
{
    private float[]? _coefficients; // [c, a_1 .. a_p]

    /// <summary>Creates AR(<paramref name="lags"/>).</summary>
    public LinearArForecaster(int lags)
    {
        if (lags < 1) throw new ArgumentOutOfRangeException(nameof(lags), lags, "ar: the number of lags must be at least 1.");
        Lags = lags;
    }

    /// <summary>Number of lags p.</summary>
    public int Lags { get; }
    /// <summary>The scaler fitted on the training series.</summary>
    public SeriesScaler? Scaler { get; private set; }
    /// <summary>Intercept then lag coefficients a_1 (most recent) .. a_p, in scaled units.</summary>
    public IReadOnlyList<float> Coefficients => _coefficients ?? throw new InvalidOperationException("ar: not fitted.");
    /// <inheritdoc/>
    public override string Name => "ar";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => true;
    /// <inheritdoc/>
    public override int MinHistory => Lags + 1;

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        Scaler = SeriesScaler.Fit(series, s => series[s].Length);
        int n = Lags + 1;
        var xtx = new double[n, n];
        var xty = new double[n];
        var row = new double[n];
        for (int s = 0; s < series.Count; s++)
        {
            var z = Scaler.Transform(s, series[s]);
            for (int t = Lags; t < z.Length; t++)
            {
                row[0] = 1;
                for (int k = 1; k <= Lags; k++) row[k] = z[t - k];
                for (int i = 0; i < n; i++)
                {
                    xty[i] += row[i] * z[t];
                    for (int j = 0; j < n; j++) xtx[i, j] += row[i] * row[j];
                }
            }
        }
        double ridge = 0;
        for (int i = 0; i < n; i++) ridge += xtx[i, i];
        ridge = 1e-8 * ridge / n;
        for (int i = 0; i < n; i++) xtx[i, i] += ridge;
        _coefficients = Solve(xtx, xty).Select(v => (float)v).ToArray();
    }

    /// <summary>Restores a fitted model (from a model file).</summary>
    public void Restore(SeriesScaler scaler, float[] coefficients)
    {
        if (coefficients.Length != Lags + 1) throw new ArgumentException($"ar: {coefficients.Length} coefficients for {Lags} lags (expected {Lags + 1}).");
        Scaler = scaler; _coefficients = coefficients;
        MarkFitted(new float[scaler.Mean.Length][]);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        var a = _coefficients!;
        return inputs.Select(input =>
        {
            var z = Scaler!.Transform(input.Series, input.History.Span[^Lags..]);
            var buffer = new double[Lags + horizon];
            for (int i = 0; i < Lags; i++) buffer[i] = z[i];
            var f = new float[horizon];
            for (int h = 0; h < horizon; h++)
            {
                double y = a[0];
                for (int k = 1; k <= Lags; k++) y += a[k] * buffer[Lags + h - k];
                buffer[Lags + h] = y;
                f[h] = Scaler.Inverse(input.Series, (float)y);
            }
            return f;
        }).ToArray();
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (Math.Abs(a[pivot, c]) < 1e-300) throw new ArgumentException("ar: the lag matrix is singular (too few distinct training windows).");
            if (pivot != c)
            {
                for (int j = 0; j < n; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
                (b[c], b[pivot]) = (b[pivot], b[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int j = c; j < n; j++) a[r, j] -= f * a[c, j];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int j = r + 1; j < n; j++) s -= a[r, j] * x[j];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
