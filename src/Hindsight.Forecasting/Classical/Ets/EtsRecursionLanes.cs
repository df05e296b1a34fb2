using System.Runtime.Intrinsics;

namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// R's likelihood recursion (<c>etscalc</c> with nmmse = 0, as <see cref="EtsRecursion"/>) for four different models at
/// once, one per lane of a <see cref="Vector256{T}"/>: each lane has its own error (A/M), trend (none or additive, damped
/// or not) and season (none, A or M; one period for all seasonal lanes), parameters and initial state. Automatic ETS
/// uses it to advance the Nelder-Mead searches of its candidate models together, so each lane is a useful evaluation.
/// </summary>
/// <remarks>
/// Every lane performs the scalar recursion's IEEE operations in the same order (no fused multiply-adds), so its lik is
/// bit-identical to <see cref="EtsRecursion.Run"/> for its model. The lane's form is applied by selecting between the
/// additive and multiplicative results, and an absent component is held at exactly zero: no growth (b = 0 after every
/// step, so <c>l + phi b = l</c>) or no season (s = 0, so <c>f + s = f</c> and <c>y - s = y</c>); the only difference from
/// the scalar loop, a level of -0 turning into +0, changes no lik (a zero forecast gives an infinite error either way).
/// The step's cost is the additive-trend recursion's loop-carried chain (level, growth), which leaves room for the four
/// lanes' divisions. Multiplicative trends are not supported (they need <c>pow</c>).
/// </remarks>
internal sealed class EtsRecursionLanes
{
    /// <summary>Lanes per run.</summary>
    public const int Width = 4;
    private const double Tol = 1.0e-10, HugeN = 1.0e10;
    private readonly int _m;
    private readonly Vector256<double>[] _ring;
    // staged lane inputs: scalars per lane; seasons as _season[j * Width + lane], s_1 (most recent) first
    private readonly double[] _l = new double[Width], _b = new double[Width], _alpha = new double[Width], _beta = new double[Width],
        _gamma = new double[Width], _phi = new double[Width];
    private readonly long[] _trend = new long[Width], _seasonal = new long[Width], _multSeason = new long[Width], _multError = new long[Width];
    private readonly double[] _season;

    /// <summary>Lanes for seasonal models of period <paramref name="m"/> (and nonseasonal ones).</summary>
    public EtsRecursionLanes(int m)
    {
        _m = Math.Max(m, 1);
        _ring = new Vector256<double>[_m];
        _season = new double[_m * Width];
    }

    /// <summary>Whether the lanes can run <paramref name="spec"/> (no multiplicative trend) with season period
    /// <paramref name="m"/> (the lanes' period, or no season).</summary>
    public bool Supports(EtsSpec spec, int m) =>
        spec.Trend != EtsForm.Multiplicative && (spec.Season == EtsForm.None || m == _m);

    /// <summary>Stages one lane: the model's form and parameters and its full state (l, b?, s_1..s_m) as
    /// <see cref="EtsRecursion.Run"/> takes them.</summary>
    public void Load(int lane, EtsSpec spec, ReadOnlySpan<double> state, double alpha, double beta, double gamma, double phi)
    {
        bool trend = spec.Trend != EtsForm.None, seasonal = spec.Season != EtsForm.None;
        _l[lane] = state[0];
        _b[lane] = trend ? state[1] : 0.0;
        _alpha[lane] = alpha;
        _beta[lane] = trend ? beta : 0.0;
        _gamma[lane] = seasonal ? gamma : 0.0;
        _phi[lane] = trend ? phi : 1.0;
        _trend[lane] = trend ? -1L : 0L;
        _seasonal[lane] = seasonal ? -1L : 0L;
        _multSeason[lane] = spec.Season == EtsForm.Multiplicative ? -1L : 0L;
        _multError[lane] = spec.Error == EtsForm.Multiplicative ? -1L : 0L;
        int first = trend ? 2 : 1;
        for (int j = 0; j < _m; j++) _season[j * Width + lane] = seasonal ? state[first + j] : 0.0;
    }

    /// <summary>Copies lane <paramref name="from"/>'s staged inputs to lane <paramref name="to"/> (to fill unused lanes).</summary>
    public void Repeat(int from, int to)
    {
        _l[to] = _l[from]; _b[to] = _b[from]; _alpha[to] = _alpha[from]; _beta[to] = _beta[from]; _gamma[to] = _gamma[from]; _phi[to] = _phi[from];
        _trend[to] = _trend[from]; _seasonal[to] = _seasonal[from]; _multSeason[to] = _multSeason[from]; _multError[to] = _multError[from];
        for (int j = 0; j < _m; j++) _season[j * Width + to] = _season[j * Width + from];
    }

    private static Vector256<double> V(double[] a) => Vector256.Create(a[0], a[1], a[2], a[3]);

    private static Vector256<double> Mask(long[] a) => Vector256.Create(a[0], a[1], a[2], a[3]).AsDouble();

    /// <summary>Runs the four staged lanes over <paramref name="y"/>; writes each lane's R lik (or
    /// <see cref="EtsRecursion.NaMarker"/>) to <paramref name="likOut"/>.</summary>
    public void Run(ReadOnlySpan<double> y, Span<double> likOut)
    {
        int n = y.Length, m = _m;
        var l = V(_l);
        var b = V(_b);
        var alpha = V(_alpha);
        var beta = V(_beta);
        var gamma = V(_gamma);
        var phi = V(_phi);
        var trendMask = Mask(_trend);
        var seasonMask = Mask(_seasonal);
        var multSeason = Mask(_multSeason);
        var multError = Mask(_multError);
        bool anyMultError = multError != Vector256<double>.Zero;
        var ring = _ring.AsSpan(0, m);
        for (int j = 0; j < m; j++) ring[j] = Vector256.Create(_season[j * Width], _season[j * Width + 1], _season[j * Width + 2], _season[j * Width + 3]);
        var tol = Vector256.Create(Tol);
        var huge = Vector256.Create(HugeN);
        var hi = Vector256.Create(1e150);
        var lo = Vector256.Create(1e-150);
        var marker = Vector256.Create(EtsRecursion.NaMarker);
        var one = Vector256<double>.One;
        var hitMarker = Vector256<double>.Zero;
        var betaOverAlpha = beta / alpha; // R computes (beta/alpha) every step: the same value
        var lik = Vector256<double>.Zero;
        var prod = one;
        Span<long> prodExp = stackalloc long[Width];
        prodExp.Clear();
        int head = 0;
        for (int i = 0; i < n; i++)
        {
            var oldl = l;
            int last = head + m - 1;
            if (last >= m) last -= m;
            var sOld = ring[last];
            var yi = Vector256.Create(y[i]);
            // one-step forecast (R: forecast): l + phi b, plus or times s
            var phib = phi * b;
            var q = oldl + phib;
            var f0 = Vector256.ConditionalSelect(multSeason, q * sOld, q + sOld);
            // the scalar recursion stops with R's NA marker when a forecast is within 1e-10 of it
            hitMarker |= Vector256.LessThan(Vector256.Abs(f0 - marker), tol);
            var ea = yi - f0;
            var ei = anyMultError ? Vector256.ConditionalSelect(multError, ea / f0, ea) : ea;
            // update state (R: update)
            var p = Vector256.ConditionalSelect(multSeason,
                Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(sOld), tol), huge, yi / sOld), yi - sOld);
            l = q + alpha * (p - q);
            b = (phib + betaOverAlpha * ((l - oldl) - phib)) & trendMask;
            var t = Vector256.ConditionalSelect(multSeason,
                Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q), tol), huge, yi / q), yi - q);
            head = last; // the slot of s_m becomes s_1
            ring[head] = (sOld + gamma * (t - sOld)) & seasonMask;
            lik += ei * ei;
            if (anyMultError)
            {
                prod *= Vector256.ConditionalSelect(multError, Vector256.Abs(f0), one);
                if ((Vector256.GreaterThan(prod, hi) | Vector256.LessThan(prod, lo)) != Vector256<double>.Zero)
                    prod = Renormalise(prod, prodExp);
            }
        }
        for (int k = 0; k < Width; k++)
        {
            double v = n * Math.Log(lik.GetElement(k));
            if (_multError[k] != 0) v += 2 * (Math.Log(prod.GetElement(k)) + prodExp[k] * 0.69314718055994530942);
            likOut[k] = hitMarker.GetElement(k) != 0 ? EtsRecursion.NaMarker : v;
        }
    }

    /// <summary>The scalar recursion's renormalisation of the running product of |yhat|, lane by lane.</summary>
    private static Vector256<double> Renormalise(Vector256<double> prod, Span<long> prodExp)
    {
        Span<double> p = stackalloc double[Width];
        prod.CopyTo(p);
        for (int k = 0; k < Width; k++)
        {
            if (p[k] > 1e150 || p[k] < 1e-150)
            {
                if (p[k] == 0 || !double.IsFinite(p[k])) prodExp[k] = 0;
                else
                {
                    int ex = Math.ILogB(p[k]);
                    p[k] = Math.ScaleB(p[k], -ex);
                    prodExp[k] += ex;
                }
            }
        }
        return Vector256.Create(p[0], p[1], p[2], p[3]);
    }
}
