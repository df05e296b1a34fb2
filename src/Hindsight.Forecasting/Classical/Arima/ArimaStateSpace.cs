namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// The state-space form of an ARIMA as R's <c>makeARIMA</c> builds it: an ARMA block of size r = max(p, q + 1) with the
/// differencing (d + mD lags) in the state, observation <c>Z = (1, 0, ..., 0, Delta)</c>, transition T, innovation
/// covariance <c>V = R R'</c> with <c>R = (1, theta, 0)</c>, filtered state <see cref="A"/> and covariance <see cref="P"/>,
/// and the prior covariance <see cref="Pn"/> (Gardner et al. (1980) for the ARMA block, <c>kappa</c> on the differences).
/// Matrices are column-major as in R (<c>P[i + rd * j]</c>).
/// </summary>
internal sealed class ArimaStateSpace
{
    /// <summary>Expanded AR coefficients (length p).</summary>
    public double[] Phi { get; }
    /// <summary>Expanded MA coefficients padded with zeros to at least r - 1.</summary>
    public double[] Theta { get; }
    /// <summary>Differencing coefficients (see <see cref="ArimaOrder.Delta"/>).</summary>
    public double[] Delta { get; }
    /// <summary>Size of the ARMA block.</summary>
    public int R { get; }
    /// <summary>Size of the state.</summary>
    public int Rd { get; }
    /// <summary>State (after filtering: the filtered state at the last observation).</summary>
    public double[] A { get; }
    /// <summary>State covariance (after filtering: at the last observation; after a low-rank filter recomputed by the full
    /// recursion from the saved prior when first read).</summary>
    public double[] P
    {
        get
        {
            if (_priorPending) Refilter();
            return FilteredCovariance;
        }
    }
    /// <summary>The storage of <see cref="P"/> as the filter leaves it (stale after a low-rank filter).</summary>
    internal double[] FilteredCovariance { get; }
    /// <summary>Prior covariance at the first observation; overwritten by the filter with the last prediction covariance (as R does).</summary>
    public double[] Pn { get; }

    /// <summary>R: <c>makeARIMA(phi, theta, Delta, kappa)</c> with the default <c>SSinit = "Gardner1980"</c>.</summary>
    public ArimaStateSpace(ReadOnlySpan<double> phi, ReadOnlySpan<double> theta, double[] delta, double kappa = 1e6)
    {
        int p = phi.Length, q = theta.Length;
        int r = Math.Max(p, q + 1), d = delta.Length, rd = r + d;
        Phi = phi.ToArray();
        Theta = new double[Math.Max(q, r - 1)];
        theta.CopyTo(Theta);
        Delta = delta;
        R = r;
        Rd = rd;
        A = new double[rd];
        FilteredCovariance = new double[rd * rd];
        Pn = new double[rd * rd];
        SetArmaPrior(Pn, rd, Phi, Theta);
        for (int i = 0; i < d; i++) Pn[(r + i) + rd * (r + i)] = kappa;
    }

    // the prior and series of the last low-rank filter, to recompute P (and A, Pn) by the full recursion when P is read
    private double[] _priorA = [], _priorPn = [], _series = [];
    private int _seriesLength;
    private bool _priorPending;

    /// <summary>Saves the prior (<see cref="A"/>, <see cref="Pn"/>) and <paramref name="y"/> before a low-rank filter.</summary>
    internal void SavePrior(ReadOnlySpan<double> y)
    {
        if (_priorA.Length != Rd) { _priorA = new double[Rd]; _priorPn = new double[Rd * Rd]; }
        if (_series.Length < y.Length) _series = new double[y.Length];
        A.CopyTo(_priorA, 0);
        Pn.CopyTo(_priorPn, 0);
        y.CopyTo(_series);
        _seriesLength = y.Length;
        _priorPending = false;
    }

    /// <summary>Whether the last filter finished in low-rank form (<see cref="P"/> not yet recomputed).</summary>
    internal bool PriorPending => _priorPending;

    /// <summary>The filter finished in low-rank form: <see cref="P"/> and <see cref="Pn"/> are stale.</summary>
    internal void MarkPriorPending() => _priorPending = true;

    /// <summary>The filter finished in full form: nothing to recompute.</summary>
    internal void ForgetPrior() => _priorPending = false;

    private void Refilter()
    {
        _priorPending = false;
        _priorA.CopyTo(A, 0);
        _priorPn.CopyTo(Pn, 0);
        ArimaKalman.Filter(_series.AsSpan(0, _seriesLength), this, [], new double[ArimaKalman.ScratchLength(Rd)], lowRank: false);
    }

    /// <summary>Writes the ARMA block's stationary covariance into the top-left r x r of <paramref name="pn"/> (R: <c>upARIMA</c>,
    /// computed by <see cref="StationaryCovariance"/>).</summary>
    public static void SetArmaPrior(double[] pn, int rd, ReadOnlySpan<double> phi, ReadOnlySpan<double> theta)
    {
        int r = Math.Max(phi.Length, theta.Length + 1);
        if (r > 1)
        {
            if (r > 350) throw new ArgumentException("maximum supported lag is 350");
            // Gardner's AS 154 (R's getQ0) costs O(r^6); the autocovariance route gives the same matrix up to rounding in
            // O(r^2); Gardner stays for AR parts that are not stationary (CSS or fixed coefficients), where only it is R's
            var q0 = StationaryCovariance.Compute(phi, theta) ?? GardnerQ0.Compute(phi, theta);
            for (int j = 0; j < r; j++)
                for (int i = 0; i < r; i++)
                    pn[i + rd * j] = q0[i + r * j];
        }
        else pn[0] = phi.Length > 0 ? 1 / (1 - phi[0] * phi[0]) : 1;
    }

    /// <summary>The full transition matrix T (column-major) as <c>makeARIMA</c>.</summary>
    public double[] Transition()
    {
        int r = R, rd = Rd, d = Delta.Length;
        var t = new double[rd * rd];
        for (int i = 0; i < Phi.Length; i++) t[i] = Phi[i];
        for (int i = 1; i < r; i++) t[(i - 1) + rd * i] = 1;
        if (d > 0)
        {
            var z = Observation();
            for (int j = 0; j < rd; j++) t[r + rd * j] = z[j];
            for (int i = 1; i < d; i++) t[(r + i) + rd * (r + i - 1)] = 1;
        }
        return t;
    }

    /// <summary>The observation vector <c>Z = (1, 0, ..., 0, Delta)</c>.</summary>
    public double[] Observation()
    {
        var z = new double[Rd];
        z[0] = 1;
        for (int i = 0; i < Delta.Length; i++) z[R + i] = Delta[i];
        return z;
    }

    /// <summary>The innovation covariance <c>V = R R'</c>, <c>R = (1, theta, 0...)</c>.</summary>
    public double[] Innovation()
    {
        var rv = new double[Rd];
        rv[0] = 1;
        for (int i = 0; i < R - 1 && i < Theta.Length; i++) rv[i + 1] = Theta[i];
        var v = new double[Rd * Rd];
        for (int j = 0; j < Rd; j++)
            for (int i = 0; i < Rd; i++)
                v[i + Rd * j] = rv[i] * rv[j];
        return v;
    }
}
