using System.Runtime.Intrinsics;
using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>The result of <see cref="Ets.Fit"/>: the chosen model and the notes R would print as warnings.</summary>
/// <param name="Model">The fitted (chosen) model.</param>
/// <param name="Warnings">Fallbacks taken (e.g. the season dropped for a period above 24).</param>
public sealed record EtsFit(EtsModel Model, IReadOnlyList<string> Warnings);

/// <summary>
/// Exponential smoothing state-space models as R's <c>forecast::ets()</c> (forecast 8.20): one model or the automatic
/// choice by AICc over the allowed error/trend/season/damping combinations, each estimated by Nelder-Mead on R's
/// objective with R's starting values and bounds.
/// </summary>
public static class Ets
{
    /// <summary>Fits R's <c>ets(y, ...)</c> to <paramref name="y"/> with seasonal period <paramref name="period"/> (R's
    /// <c>frequency(y)</c>).</summary>
    /// <exception cref="ArgumentException">Bad input or a model R refuses (one line, as R's error), or a series so short
    /// that R falls back to Holt-Winters (not ported).</exception>
    public static EtsFit Fit(ReadOnlySpan<double> y, int period, EtsOptions? options = null)
    {
        options ??= new EtsOptions();
        var warnings = new List<string>();
        int n = y.Length;
        if (n == 0) throw new ArgumentException("ets: empty series.");
        foreach (var v in y)
            if (!double.IsFinite(v)) throw new ArgumentException("ets: the series has a missing or non-finite value.");
        if (options.Nmse < 1 || options.Nmse > 30) throw new ArgumentException("ets: nmse out of range.");
        for (int i = 0; i < 4; i++)
            if (options.Upper[i] < options.Lower[i]) throw new ArgumentException("ets: lower limits must be less than upper limits.");
        int m = period;
        if (options.Model is null && IsConstant(y)) return new EtsFit(ConstantFit(y, m), ["ets: constant series; simple exponential smoothing with alpha 0.99999 (as R's ets)"]);
        string model = (options.Model ?? "ZZZ").Trim().ToUpperInvariant();
        if (model.Length != 3) throw new ArgumentException($"ets: model '{options.Model}' must have three letters (error, trend, season), e.g. ZZZ, ANN, MAM.");
        char e = model[0], t = model[1], s = model[2];
        if (e is not ('M' or 'A' or 'Z')) throw new ArgumentException("ets: invalid error type.");
        if (t is not ('N' or 'A' or 'M' or 'Z')) throw new ArgumentException("ets: invalid trend type.");
        if (s is not ('N' or 'A' or 'M' or 'Z')) throw new ArgumentException("ets: invalid season type.");
        if (m < 1 || n <= m) s = 'N';
        if (m == 1)
        {
            if (s is 'A' or 'M') throw new ArgumentException("ets: nonseasonal data (period 1) for a seasonal model.");
            s = 'N';
        }
        if (m > 24)
        {
            if (s is 'A' or 'M') throw new ArgumentException("ets: frequency too high (period above 24).");
            if (s == 'Z')
            {
                warnings.Add("ets: period above 24; seasonality ignored (as R's ets)");
                s = 'N';
            }
        }
        if (options.Restrict && ((e == 'A' && (t == 'M' || s == 'M')) || (e == 'M' && t == 'M' && s == 'A')
            || (options.AdditiveOnly && (e == 'M' || t == 'M' || s == 'M'))))
            throw new ArgumentException("ets: forbidden model combination.");
        double min = double.PositiveInfinity;
        foreach (var v in y) min = Math.Min(min, v);
        bool positive = min > 0;
        if (!positive && e == 'M') throw new ArgumentException("ets: inappropriate model for data with negative or zero values.");
        if (options.Damped == true && t == 'N') throw new ArgumentException("ets: forbidden model combination (damped without trend).");
        int npars = 2;
        if (t is 'A' or 'M') npars += 2;
        if (s is 'A' or 'M') npars += m;
        if (options.Damped is bool d) npars += d ? 1 : 0;
        if (n <= npars + 4)
            throw new ArgumentException($"ets: {n} values are too few for an optimised model with {npars} parameters (R falls back to Holt-Winters, not ported).");

        var errors = e == 'Z' ? new[] { EtsForm.Additive, EtsForm.Multiplicative } : [Form(e)];
        var trends = t == 'Z'
            ? (options.AllowMultiplicativeTrend ? new[] { EtsForm.None, EtsForm.Additive, EtsForm.Multiplicative } : [EtsForm.None, EtsForm.Additive])
            : [Form(t)];
        var seasons = s == 'Z' ? new[] { EtsForm.None, EtsForm.Additive, EtsForm.Multiplicative } : [Form(s)];
        var dampings = options.Damped is bool dd ? new[] { dd } : [true, false];
        var candidates = new List<EtsSpec>();
        foreach (var ei in errors)
            foreach (var ti in trends)
                foreach (var si in seasons)
                    foreach (var di in dampings)
                    {
                        if (ti == EtsForm.None && di) continue;
                        if (options.Restrict)
                        {
                            if (ei == EtsForm.Additive && (ti == EtsForm.Multiplicative || si == EtsForm.Multiplicative)) continue;
                            if (ei == EtsForm.Multiplicative && ti == EtsForm.Multiplicative && si == EtsForm.Additive) continue;
                            if (options.AdditiveOnly && (ei == EtsForm.Multiplicative || ti == EtsForm.Multiplicative || si == EtsForm.Multiplicative)) continue;
                        }
                        if (!positive && ei == EtsForm.Multiplicative) continue;
                        candidates.Add(new EtsSpec(ei, ti, si, di));
                    }
        var fits = new EtsModel?[candidates.Count];
        var failures = new string?[candidates.Count];
        FitCandidates(y.ToArray(), m, candidates, options, fits, failures);
        EtsModel? best = null;
        double bestIc = double.PositiveInfinity;
        string? lastError = failures.LastOrDefault(f => f is not null);
        foreach (var fit in fits)
        {
            if (fit is null) continue;
            double ic = options.InformationCriterion switch
            {
                EtsInformationCriterion.Aic => fit.Aic,
                EtsInformationCriterion.Bic => fit.Bic,
                _ => fit.Aicc,
            };
            if (!double.IsNaN(ic) && ic < bestIc)
            {
                best = fit;
                bestIc = ic;
            }
        }
        if (best is null || double.IsPositiveInfinity(bestIc))
            throw new ArgumentException("ets: no model able to be fitted" + (lastError is null ? "." : $" ({lastError})"));
        // R: sigma2 = sum(residuals^2) / (n - length(par)), par including the fixed smoothing parameters
        double sse = 0;
        foreach (var r in best.Residuals) sse += r * r;
        int fixedCount = (options.Alpha is null ? 0 : 1) + (options.Beta is not null && best.Spec.Trend != EtsForm.None ? 1 : 0)
            + (options.Gamma is not null && best.Spec.Season != EtsForm.None ? 1 : 0) + (options.Phi is not null && best.Spec.Damped ? 1 : 0);
        best.Sigma2 = sse / (n - (best.ParameterCount + fixedCount));
        return new EtsFit(best, warnings);
    }

    /// <summary>
    /// Fits every candidate (R's loop over the allowed models, whose fits are independent): the ones
    /// <see cref="EtsCandidatePool"/> supports in pools of searches advanced together (one pool per core, at most
    /// <see cref="EtsRecursionLanes.Width"/> candidates' worth of work each), the others one at a time, all in parallel.
    /// <paramref name="fits"/> receives each model (null where R's criterion is infinite), <paramref name="failures"/> the
    /// message of each model R's <c>etsmodel</c> errors on.
    /// </summary>
    internal static void FitCandidates(double[] y, int period, IReadOnlyList<EtsSpec> candidates, EtsOptions options, EtsModel?[] fits, string?[] failures)
    {
        var prepared = new Candidate?[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            try { prepared[i] = Prepare(y, period, candidates[i], options); }
            catch (ArgumentException ex) { failures[i] = ex.Message; }
        }
        var pooled = Enumerable.Range(0, candidates.Count).Where(i => prepared[i] is not null && EtsCandidatePool.Supports(candidates[i], options)).ToList();
        if (pooled.Count < 2) pooled.Clear();
        // the most parameters (seasonal models, which run to the evaluation limit) first, dealt in turn to the pools
        pooled = pooled.OrderByDescending(i => prepared[i]!.Start.Length).ThenBy(i => i).ToList();
        int pools = Math.Min(Environment.ProcessorCount, (pooled.Count + EtsRecursionLanes.Width - 1) / EtsRecursionLanes.Width);
        var work = new List<(bool Pool, int[] Group)>();
        for (int p = 0; p < pools; p++) work.Add((true, pooled.Where((_, r) => r % pools == p).ToArray()));
        var single = Enumerable.Range(0, candidates.Count).Where(i => prepared[i] is not null && !pooled.Contains(i))
            .OrderBy(i => candidates[i].Season == EtsForm.None ? 1 : 0).ThenBy(i => i);
        foreach (int i in single) work.Add((false, [i]));
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(work, loadBalance: true), item =>
        {
            var group = item.Group;
            if (item.Pool)
            {
                var results = EtsCandidatePool.Minimize(group.Select(i => prepared[i]!).ToArray(), y, period, options.MaxIterations);
                for (int r = 0; r < group.Length; r++)
                {
                    int i = group[r];
                    if (results[r] is { } result) fits[i] = Finish(y, prepared[i]!, result.Parameters, options);
                    else failures[i] = NelderMead.StartNotFiniteMessage;
                }
                return;
            }
            int c = group[0];
            var candidate = prepared[c]!;
            try
            {
                var result = NelderMead.Minimize(candidate.Target.Evaluate, candidate.Target.Batch, candidate.Start, options.MaxIterations,
                    double.NegativeInfinity, NelderMead.DefaultRelTol, 1, 0.5, 2);
                fits[c] = Finish(y, candidate, result.Parameters, options);
            }
            catch (ArgumentException ex) { failures[c] = ex.Message; }
        });
    }

    private static EtsForm Form(char c) => c switch { 'A' => EtsForm.Additive, 'M' => EtsForm.Multiplicative, _ => EtsForm.None };

    /// <summary>R: <c>forecast:::is.constant</c> (all values equal to the first within <c>all.equal</c>'s 1.5e-8 relative tolerance).</summary>
    internal static bool IsConstant(ReadOnlySpan<double> y)
    {
        double sumDiff = 0, sumTarget = 0;
        foreach (var v in y) { sumDiff += Math.Abs(v - y[0]); sumTarget += Math.Abs(y[0]); }
        double meanTarget = sumTarget / y.Length, meanDiff = sumDiff / y.Length;
        if (meanDiff == 0) return true;
        double xy = meanTarget > 0 && double.IsFinite(meanTarget) ? meanDiff / meanTarget : meanDiff;
        return xy < 1.5e-8;
    }

    /// <summary>R's constant-series fallback <c>ses(y, alpha = 0.99999, initial = "simple")</c>: the level starts at y_1.</summary>
    private static EtsModel ConstantFit(ReadOnlySpan<double> y, int m)
    {
        var spec = new EtsSpec(EtsForm.Additive, EtsForm.None, EtsForm.None, false);
        const double alpha = 0.99999;
        double l = y[0], sse = 0;
        var res = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            res[i] = y[i] - l;
            sse += res[i] * res[i];
            l += alpha * (y[i] - l);
        }
        return new EtsModel(spec, 1, alpha, null, null, null, [y[0]], [l], 2)
        {
            Sigma2 = sse / y.Length,
            Residuals = res,
            Length = y.Length,
        };
    }

    /// <summary>R: <c>forecast:::etsmodel</c>: estimates one model; null when R returns an infinite criterion (too many
    /// parameters for the data).</summary>
    /// <exception cref="ArgumentException">Starting parameters out of range or the objective not finite at the start (R errors; ets skips the model).</exception>
    internal static EtsModel? FitModel(ReadOnlySpan<double> y, int period, EtsSpec spec, EtsOptions options)
    {
        var candidate = Prepare(y, period, spec, options);
        if (candidate is null) return null;
        var target = candidate.Target;
        var result = NelderMead.Minimize(target.Evaluate, target.Batch, candidate.Start, options.MaxIterations, double.NegativeInfinity,
            NelderMead.DefaultRelTol, 1, 0.5, 2);
        return Finish(y, candidate, result.Parameters, options);
    }

    /// <summary>One model ready for its optimisation: R's starting parameters and the objective.</summary>
    internal sealed class Candidate(EtsSpec spec, int m, EtsTarget target, double[] start, int nsmooth, bool optAlpha, bool optBeta,
        bool optGamma, bool optPhi, double alpha0, double? beta0, double? gamma0, double? phi0)
    {
        public EtsSpec Spec { get; } = spec;
        public int M { get; } = m;
        public EtsTarget Target { get; } = target;
        public double[] Start { get; } = start;
        public int Nsmooth { get; } = nsmooth;
        public bool OptAlpha { get; } = optAlpha;
        public bool OptBeta { get; } = optBeta;
        public bool OptGamma { get; } = optGamma;
        public bool OptPhi { get; } = optPhi;
        public double Alpha0 { get; } = alpha0;
        public double? Beta0 { get; } = beta0;
        public double? Gamma0 { get; } = gamma0;
        public double? Phi0 { get; } = phi0;
    }

    /// <summary>The part of R's <c>etsmodel</c> before <c>optim</c>: starting values, their check, the initial state;
    /// null when R returns an infinite criterion (as many parameters as values).</summary>
    /// <exception cref="ArgumentException">Starting parameters out of range (R errors; ets skips the model).</exception>
    internal static Candidate? Prepare(ReadOnlySpan<double> y, int period, EtsSpec spec, EtsOptions options)
    {
        int m = spec.Season == EtsForm.None ? 1 : period;
        var lower = options.Lower.ToArray();
        var upper = options.Upper.ToArray();
        if (options.Alpha is double ga) { upper[1] = Math.Min(ga, upper[1]); upper[2] = Math.Min(1 - ga, upper[2]); }
        if (options.Beta is double gb) lower[0] = Math.Max(gb, lower[0]);
        if (options.Gamma is double gg) upper[0] = Math.Min(1 - gg, upper[0]);
        bool hasTrend = spec.Trend != EtsForm.None, hasSeason = spec.Season != EtsForm.None;
        double? givenBeta = hasTrend ? options.Beta : null, givenGamma = hasSeason ? options.Gamma : null, givenPhi = spec.Damped ? options.Phi : null;
        var start = EtsInit.InitialParameters(options.Alpha, givenBeta, givenGamma, givenPhi, spec.Trend, spec.Season, spec.Damped,
            (double[])lower.Clone(), (double[])upper.Clone(), m, options.Bounds);
        bool optAlpha = options.Alpha is null, optBeta = hasTrend && givenBeta is null, optGamma = hasSeason && givenGamma is null, optPhi = spec.Damped && givenPhi is null;
        double alpha0 = optAlpha ? start.Alpha : options.Alpha!.Value;
        double? beta0 = hasTrend ? (optBeta ? start.Beta : givenBeta) : null;
        double? gamma0 = hasSeason ? (optGamma ? start.Gamma : givenGamma) : null;
        double? phi0 = spec.Damped ? (optPhi ? start.Phi : givenPhi) : null;
        if (!EtsBoundsCheck.Check(alpha0, beta0, gamma0, phi0, lower, upper, options.Bounds, m))
            throw new ArgumentException($"ets: parameters out of range for {spec}.");
        var init = EtsInit.InitialState(y, spec.Trend, spec.Season, m);
        int nstate = init.Length;
        var par = new List<double>();
        if (optAlpha) par.Add(alpha0);
        if (optBeta) par.Add(beta0!.Value);
        if (optGamma) par.Add(gamma0!.Value);
        if (optPhi) par.Add(phi0!.Value);
        int nsmooth = par.Count;
        par.AddRange(init);
        int np = par.Count;
        if (np >= y.Length - 1) return null;

        var target = new EtsTarget(y.ToArray(), spec, m, nstate, options, lower, upper, optAlpha, optBeta, optGamma, optPhi,
            alpha0, beta0 ?? 0, gamma0 ?? 0, phi0 ?? 1);
        return new Candidate(spec, m, target, par.ToArray(), nsmooth, optAlpha, optBeta, optGamma, optPhi, alpha0, beta0, gamma0, phi0);
    }

    /// <summary>The part of R's <c>etsmodel</c> after <c>optim</c>: the model at the optimised parameters <paramref name="fp"/>.</summary>
    internal static EtsModel Finish(ReadOnlySpan<double> y, Candidate candidate, double[] fp, EtsOptions options)
    {
        var spec = candidate.Spec;
        int m = candidate.M, np = fp.Length;
        bool hasTrend = spec.Trend != EtsForm.None, hasSeason = spec.Season != EtsForm.None;
        int j = 0;
        double alpha = candidate.OptAlpha ? fp[j++] : candidate.Alpha0;
        double? beta = hasTrend ? (candidate.OptBeta ? fp[j++] : candidate.Beta0) : null;
        double? gamma = hasSeason ? (candidate.OptGamma ? fp[j++] : candidate.Gamma0) : null;
        double? phi = spec.Damped ? (candidate.OptPhi ? fp[j++] : candidate.Phi0) : null;
        var states = FullState(fp.AsSpan(candidate.Nsmooth), spec, m);
        var rec = new EtsRecursion(y.Length, m, options.Nmse);
        var final = new double[states.Length];
        double lik = rec.Run(y, states, spec, alpha, beta ?? 0, gamma ?? 0, phi ?? 1, true, final);
        if (Math.Abs(lik - EtsRecursion.NaMarker) < 1e-7) lik = double.NaN;
        int k = np + 1, ny = y.Length;
        double aic = lik + 2 * k;
        return new EtsModel(spec, m, alpha, beta, gamma, phi, states, final, np)
        {
            LogLikelihood = -0.5 * lik,
            Aic = aic,
            Bic = lik + Math.Log(ny) * k,
            Aicc = aic + 2.0 * k * (k + 1) / (ny - k - 1),
            Mse = rec.Amse[0],
            Residuals = (double[])rec.Errors.Clone(),
            Length = ny,
            Sigma2 = SumSquares(rec.Errors) / (ny - np),
        };
    }

    private static double SumSquares(double[] e)
    {
        double s = 0;
        foreach (var v in e) s += v * v;
        return s;
    }

    /// <summary>The initial states with the last seasonal state implied by R's normalisation: m (multiplicative) or 0
    /// (additive) minus the sum of the others.</summary>
    internal static double[] FullState(ReadOnlySpan<double> free, EtsSpec spec, int m)
    {
        if (spec.Season == EtsForm.None) return free.ToArray();
        var s = new double[free.Length + 1];
        free.CopyTo(s);
        double sum = 0;
        for (int i = spec.Trend != EtsForm.None ? 2 : 1; i < free.Length; i++) sum += free[i];
        s[^1] = (spec.Season == EtsForm.Multiplicative ? m : 0) - sum;
        return s;
    }

    /// <summary>Forces one objective evaluation at a time (the benchmark compares both ways; the results are identical).</summary>
    internal static bool ScalarOnly { get; set; }

    /// <summary>R's optimiser objective (forecast's C++ <c>EtsTargetFunction::eval</c>).</summary>
    internal sealed class EtsTarget(double[] y, EtsSpec spec, int m, int nstate, EtsOptions options, double[] lower, double[] upper,
        bool optAlpha, bool optBeta, bool optGamma, bool optPhi, double alpha0, double beta0, double gamma0, double phi0)
    {
        private readonly EtsRecursion _rec = new(y.Length, m, options.Nmse);
        private readonly double[] _state = new double[nstate + (spec.Season != EtsForm.None ? 1 : 0)];
        private readonly bool _needAmse = options.Criterion is EtsCriterion.Mse or EtsCriterion.Amse;

        /// <summary>The batched objective, or null when the batched recursion does not apply (then single evaluations).</summary>
        public NelderMead.BatchObjective? Batch =>
            options.Criterion == EtsCriterion.Likelihood && EtsRecursionBatch.Supports(spec) && !ScalarOnly ? EvaluateBatch : null;

        private EtsRecursionBatch? _batch;
        private double[]? _batchStates;

        /// <summary>Reads the parameters and fills the full state; false when R's checks reject them (objective +Inf).</summary>
        private bool Prepare(ReadOnlySpan<double> par, Span<double> state, out double alpha, out double beta, out double gamma, out double phi) =>
            Prepare(par, state, out alpha, out beta, out gamma, out phi, default, out _);

        /// <summary><see cref="Prepare(ReadOnlySpan{double}, Span{double}, out double, out double, out double, out double)"/>,
        /// the admissibility's root test left to the caller when <paramref name="deferredRoots"/> is not empty (see
        /// <see cref="EtsBoundsCheck.Check(double, double?, double?, double?, IReadOnlyList{double}, IReadOnlyList{double}, EtsBounds, int, bool, bool, bool, bool, Span{double}, out bool)"/>;
        /// a conjunction of tests, so the order does not change the answer).</summary>
        private bool Prepare(ReadOnlySpan<double> par, Span<double> state, out double alpha, out double beta, out double gamma, out double phi,
            Span<double> deferredRoots, out bool rootsNeeded)
        {
            int j = 0;
            alpha = optAlpha ? par[j++] : alpha0;
            beta = optBeta ? par[j++] : beta0;
            gamma = optGamma ? par[j++] : gamma0;
            phi = optPhi ? par[j++] : phi0;
            bool hasTrend = spec.Trend != EtsForm.None, hasSeason = spec.Season != EtsForm.None;
            if (!EtsBoundsCheck.Check(alpha, hasTrend ? beta : null, hasSeason ? gamma : null, spec.Damped ? phi : null, lower, upper,
                options.Bounds, m, optAlpha, optBeta, optGamma, optPhi, deferredRoots, out rootsNeeded))
                return false;
            par.Slice(par.Length - nstate, nstate).CopyTo(state);
            if (hasSeason)
            {
                double sum = 0;
                for (int i = hasTrend ? 2 : 1; i < nstate; i++) sum += state[i];
                state[nstate] = (spec.Season == EtsForm.Multiplicative ? m : 0) - sum;
                if (spec.Season == EtsForm.Multiplicative)
                {
                    double min = double.PositiveInfinity;
                    for (int i = hasTrend ? 2 : 1; i < state.Length; i++) min = Math.Min(min, state[i]);
                    if (min < 0) return false;
                }
            }
            return true;
        }

        /// <summary>R's treatment of the recursion's lik in <c>EtsTargetFunction::eval</c>.</summary>
        internal static double Clean(double lik)
        {
            if (lik < -1e10) lik = -1e10;
            if (double.IsNaN(lik)) lik = double.PositiveInfinity;
            if (Math.Abs(lik + 99999) < 1e-7) lik = double.PositiveInfinity;
            return lik;
        }

        /// <summary>The likelihood objective at up to four points, the admissible ones run together by <see cref="EtsRecursionBatch"/>.</summary>
        private void EvaluateBatch(ReadOnlySpan<double> points, Span<double> values)
        {
            int k = values.Length, np = points.Length / k, len = _state.Length;
            _batch ??= new EtsRecursionBatch(m);
            _batchStates ??= new double[NelderMead.BatchSize * len];
            Span<double> a = stackalloc double[4], b = stackalloc double[4], g = stackalloc double[4], ph = stackalloc double[4];
            Span<bool> ok = stackalloc bool[4];
            int valid = 0, first = -1;
            for (int q = 0; q < k; q++)
            {
                ok[q] = Prepare(points.Slice(q * np, np), _batchStates.AsSpan(q * len, len), out a[q], out b[q], out g[q], out ph[q]);
                if (ok[q]) { valid++; if (first < 0) first = q; }
            }
            if (valid <= 1)
            {
                for (int q = 0; q < k; q++)
                    values[q] = ok[q] ? Clean(_rec.Run(y, _batchStates.AsSpan(q * len, len), spec, a[q], b[q], g[q], ph[q], false, default)) : double.PositiveInfinity;
                return;
            }
            // lanes without an admissible point repeat the first admissible one (their results are dropped)
            for (int q = 0; q < 4; q++)
            {
                if (q < k && ok[q]) continue;
                _batchStates.AsSpan(first * len, len).CopyTo(_batchStates.AsSpan(q * len, len));
                a[q] = a[first]; b[q] = b[first]; g[q] = g[first]; ph[q] = ph[first];
            }
            Span<double> lik = stackalloc double[4];
            _batch.Run(y, _batchStates, len, spec, Vector256.Create(a[0], a[1], a[2], a[3]), Vector256.Create(b[0], b[1], b[2], b[3]),
                Vector256.Create(g[0], g[1], g[2], g[3]), Vector256.Create(ph[0], ph[1], ph[2], ph[3]), lik);
            for (int q = 0; q < k; q++) values[q] = ok[q] ? Clean(lik[q]) : double.PositiveInfinity;
        }

        /// <summary>Stages the point <paramref name="par"/> in lane <paramref name="lane"/> of <paramref name="lanes"/>; false
        /// (nothing staged) when R's checks reject it, i.e. the objective is +Inf. When <paramref name="rootsNeeded"/>, the
        /// point is admissible only if the polynomial left in <paramref name="deferredRoots"/> (m + 2 values) has its roots
        /// within <see cref="EtsBoundsCheck.RootRadius"/>: the caller tests that.</summary>
        public bool Load(ReadOnlySpan<double> par, EtsRecursionLanes lanes, int lane, Span<double> deferredRoots, out bool rootsNeeded)
        {
            if (!Prepare(par, _state, out double alpha, out double beta, out double gamma, out double phi, deferredRoots, out rootsNeeded)) return false;
            lanes.Load(lane, spec, _state, alpha, beta, gamma, phi);
            return true;
        }

        /// <summary>The objective at <paramref name="par"/> (R's value, +Inf where R's checks reject the point).</summary>
        public double Evaluate(ReadOnlySpan<double> par)
        {
            var state = _state.AsSpan();
            if (!Prepare(par, state, out double alpha, out double beta, out double gamma, out double phi)) return double.PositiveInfinity;
            double lik = Clean(_rec.Run(y, state, spec, alpha, beta, gamma, phi, _needAmse, default));
            switch (options.Criterion)
            {
                case EtsCriterion.Likelihood: return lik;
                case EtsCriterion.Mse: return _rec.Amse[0];
                case EtsCriterion.Amse:
                {
                    double mean = 0;
                    for (int i = 0; i < options.Nmse; i++) mean += _rec.Amse[i] / options.Nmse;
                    return mean;
                }
                case EtsCriterion.Sigma:
                {
                    double mean = 0;
                    foreach (var v in _rec.Errors) mean += v * v / y.Length;
                    return mean;
                }
                default:
                {
                    double mean = 0;
                    foreach (var v in _rec.Errors) mean += Math.Abs(v) / y.Length;
                    return mean;
                }
            }
        }
    }
}
