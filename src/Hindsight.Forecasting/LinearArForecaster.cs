namespace Hindsight.Forecasting;

/// <summary>
/// Global linear autoregression AR(p) with intercept, <c>z_t = c + sum_{k=1..p} a_k z_{t-k}</c>, on each series standardised by
/// its own <see cref="SeriesScaler"/>; the coefficients are pooled over every window of every series and solved in closed
/// form (least squares through the normal equations in double precision, with a ridge of 1e-8 times the mean diagonal
/// against exactly collinear lags). Multi-step forecasts are recursive: each prediction becomes the next input.
/// </summary>
/// <remarks>
/// The order p is chosen by AIC, as R's <c>ar()</c> does, over 1..cap with
/// <c>cap = min(lags, floor(10 log10 n), n - 1)</c>, n the length of the shortest training series (and lowered further
/// until the pooled windows outnumber the cap's coefficients). Every order is fitted on the same windows (those after the
/// first cap values of each series), so their AIC values <c>m ln(RSS/m) + 2(p + 1)</c> (m windows) compare; ties go to the
/// smaller order. So an 80-point series with lags 40 gets at most AR(18), not AR(40) on 40 windows.
/// </remarks>
public sealed class LinearArForecaster : Forecaster
{
    /// <summary>Largest order ever considered (10 log10 n stays below 94 for any series an array holds), so a huge lookback allocates nothing.</summary>
    public const int MaxOrder = 100;

    private float[]? _coefficients; // [c, a_1 .. a_Lags], zero beyond Order

    /// <summary>Creates AR(p), p chosen by AIC up to <paramref name="lags"/> (at most <see cref="MaxOrder"/>).</summary>
    public LinearArForecaster(int lags)
    {
        if (lags < 1) throw new ArgumentOutOfRangeException(nameof(lags), lags, "ar: the number of lags must be at least 1.");
        Lags = Math.Min(lags, MaxOrder);
    }

    /// <summary>Largest order considered: the requested lags, at most <see cref="MaxOrder"/>; <see cref="Coefficients"/> has <c>Lags + 1</c> values.</summary>
    public int Lags { get; }
    /// <summary>The order p chosen by AIC (0 before fitting).</summary>
    public int Order { get; private set; }
    /// <summary>The scaler fitted on the training series.</summary>
    public SeriesScaler? Scaler { get; private set; }
    /// <summary>Intercept then lag coefficients a_1 (most recent) .. a_Lags, in scaled units; those beyond <see cref="Order"/> are 0.</summary>
    public IReadOnlyList<float> Coefficients => _coefficients ?? throw new InvalidOperationException("ar: not fitted.");
    /// <inheritdoc/>
    public override string Name => "ar";
    /// <inheritdoc/>
    public override bool RequiresTraining => true;
    /// <inheritdoc/>
    public override bool IsGlobal => true;
    /// <inheritdoc/>
    /// <remarks>Before fitting 3 (AR(1) with intercept needs two windows); after, the chosen order.</remarks>
    public override int MinHistory => Order > 0 ? Order : 3;

    /// <summary>The largest order tried for series of these lengths (see the class remarks).</summary>
    public static int OrderCap(int lags, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) throw new ArgumentException("ar: no series.", nameof(lengths));
        int n = lengths.Min();
        int cap = Math.Min(Math.Min(lags, MaxOrder), Math.Min(n - 1, (int)Math.Floor(10 * Math.Log10(Math.Max(n, 1)))));
        while (cap > 1 && lengths.Sum(l => (long)(l - cap)) <= cap + 1) cap--;
        return Math.Max(cap, 1);
    }

    /// <inheritdoc/>
    protected override void FitCore(IReadOnlyList<float[]> series)
    {
        Scaler = SeriesScaler.Fit(series, s => series[s].Length);
        int cap = OrderCap(Lags, series.Select(s => s.Length).ToArray());
        int n = cap + 1;
        var xtx = new double[n, n];
        var xty = new double[n];
        var row = new double[n];
        double yty = 0;
        long m = 0;
        for (int s = 0; s < series.Count; s++)
        {
            var z = Scaler.Transform(s, series[s]);
            for (int t = cap; t < z.Length; t++)
            {
                row[0] = 1;
                for (int k = 1; k <= cap; k++) row[k] = z[t - k];
                for (int i = 0; i < n; i++)
                {
                    xty[i] += row[i] * z[t];
                    for (int j = 0; j < n; j++) xtx[i, j] += row[i] * row[j];
                }
                yty += (double)z[t] * z[t];
                m++;
            }
        }
        // Each order p uses the leading (p+1) block; RSS = y'y - 2 b'X'y + b'X'Xb, floored so exact fits tie (the smaller order wins).
        double floor = Math.Max(1e-12 * yty, 1e-300);
        double bestAic = double.PositiveInfinity;
        double[] best = [];
        for (int p = 1; p <= cap; p++)
        {
            int q = p + 1;
            var a = new double[q, q];
            var b = new double[q];
            double ridge = 0;
            for (int i = 0; i < q; i++) ridge += xtx[i, i];
            ridge = 1e-8 * ridge / q;
            for (int i = 0; i < q; i++)
            {
                b[i] = xty[i];
                for (int j = 0; j < q; j++) a[i, j] = xtx[i, j];
                a[i, i] += ridge;
            }
            double[] coef;
            try { coef = Solve(a, b); }
            catch (ArgumentException) when (best.Length > 0) { break; } // a larger order is singular: keep the last that solved
            double rss = yty;
            for (int i = 0; i < q; i++)
            {
                rss -= 2 * coef[i] * xty[i];
                for (int j = 0; j < q; j++) rss += coef[i] * xtx[i, j] * coef[j];
            }
            double aic = m * Math.Log(Math.Max(rss, floor) / m) + 2.0 * q;
            if (aic < bestAic - 1e-9 * Math.Abs(bestAic) || best.Length == 0) { bestAic = aic; best = coef; }
        }
        Order = best.Length - 1;
        _coefficients = new float[Lags + 1];
        for (int i = 0; i < best.Length; i++) _coefficients[i] = (float)best[i];
    }

    /// <summary>Restores a fitted model (from a model file).</summary>
    public void Restore(SeriesScaler scaler, float[] coefficients)
    {
        if (coefficients.Length != Lags + 1) throw new ArgumentException($"ar: {coefficients.Length} coefficients for {Lags} lags (expected {Lags + 1}).");
        Scaler = scaler; _coefficients = coefficients;
        int order = Lags;
        while (order > 1 && coefficients[order] == 0) order--;
        Order = order;
        MarkFitted(new float[scaler.Mean.Length][]);
    }

    /// <inheritdoc/>
    protected override float[][] PredictCore(IReadOnlyList<ForecastInput> inputs, int horizon)
    {
        var a = _coefficients!;
        return inputs.Select(input =>
        {
            int p = Order;
            var z = Scaler!.Transform(input.Series, input.History.Span[^p..]);
            var buffer = new double[p + horizon];
            for (int i = 0; i < p; i++) buffer[i] = z[i];
            var f = new float[horizon];
            for (int h = 0; h < horizon; h++)
            {
                double y = a[0];
                for (int k = 1; k <= p; k++) y += a[k] * buffer[p + h - k];
                buffer[p + h] = y;
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
