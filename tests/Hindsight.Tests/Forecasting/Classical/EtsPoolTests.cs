using Hindsight.Forecasting.Classical.Ets;
using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>
/// The fast paths of automatic ETS held bit-equal to the general ones: the inverted Nelder-Mead search against
/// <see cref="NelderMead.Minimize(NelderMead.Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/>,
/// the four-model lanes against the scalar recursion, and pooled candidate fits against one-at-a-time fits.
/// </summary>
public class EtsPoolTests
{
    private static NelderMeadResult Drive(NelderMeadSearch search, NelderMead.Objective f, List<double[]> points)
    {
        while (!search.Done)
        {
            points.Add((double[])search.Point.Clone());
            search.Tell(f(search.Point));
        }
        return search.Result;
    }

    public static TheoryData<string, int> SearchCases => new()
    {
        { "rosenbrock", 500 }, { "rosenbrock", 40 }, { "quadratic", 2000 }, { "walled", 500 }, { "noise", 5000 }, { "rosenbrock", 0 },
    };

    /// <summary>The test functions; "noise" depends only on the number of calls so far (the same in both drivers), so
    /// the simplex shrinks until it collapses and stops with fail 10.</summary>
    private static NelderMead.Objective Function(string name)
    {
        int calls = 0;
        return p => name == "noise" ? (calls++ * 7919 % 101) / 101.0 : Function(name, p);
    }

    private static double Function(string name, ReadOnlySpan<double> p) => name switch
    {
        "rosenbrock" => 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]) + (1 - p[0]) * (1 - p[0]),
        "quadratic" => (p[0] - 1) * (p[0] - 1) + 10 * (p[1] + 2) * (p[1] + 2) + 100 * (p[2] - 3) * (p[2] - 3) + p[0] * p[1],
        // infinite outside a box and NaN on a strip: the search's replacement by R's big value and its shrink steps
        "walled" => p[0] > 0.7 ? double.PositiveInfinity : Math.Abs(p[1] - 0.3) < 0.01 ? double.NaN : (p[0] - 2) * (p[0] - 2) + Math.Abs(p[1]),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(SearchCases))]
    public void Search_evaluates_the_points_of_nmmin_and_reaches_the_same_result(string name, int maxit)
    {
        double[] start = name == "quadratic" ? [0.5, 0.5, 0.5] : [-1.2, 1.0];
        var expectedPoints = new List<double[]>();
        var f = Function(name);
        var expected = NelderMead.Minimize(p => { expectedPoints.Add(p.ToArray()); return f(p); }, start, maxit);
        var points = new List<double[]>();
        var actual = Drive(new NelderMeadSearch(start, maxit), Function(name), points);
        Assert.Equal(expectedPoints.Count, points.Count);
        for (int i = 0; i < points.Count; i++) Assert.Equal(expectedPoints[i], points[i]);
        Assert.Equal(expected.Evaluations, actual.Evaluations);
        Assert.Equal(expected.Fail, actual.Fail);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Parameters, actual.Parameters);
    }

    [Fact]
    public void Search_reaches_every_stop_rule()
    {
        var fails = new HashSet<int>();
        foreach (var (name, maxit) in new[] { ("rosenbrock", 500), ("rosenbrock", 40), ("noise", 5000) })
            fails.Add(Drive(new NelderMeadSearch([-1.2, 1.0], maxit), Function(name), []).Fail);
        Assert.Equal([0, 1, 10], fails.Order());
    }

    [Fact]
    public void Search_fails_where_nmmin_throws()
    {
        var search = new NelderMeadSearch([1.0, 2.0]);
        search.Tell(double.NaN);
        Assert.True(search.Done && search.Failed);
        Assert.Throws<InvalidOperationException>(() => search.Tell(1.0));
    }

    [Fact]
    public void Centroid_has_the_bits_of_nmmins_scalar_loop()
    {
        var rng = new Random(3);
        for (int n = 1; n <= 19; n++)
        {
            int n1 = n + 1;
            var p = Enumerable.Range(0, n1 + 1).Select(_ => Enumerable.Range(0, n).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 9))).ToArray()).ToArray();
            int h = rng.Next(n1);
            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                double temp = -p[h][i];
                for (int j = 0; j < n1; j++) temp += p[j][i];
                expected[i] = temp / n;
            }
            var actual = new double[n];
            NelderMead.Centroid(p, h, n1, actual);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>The Schur-Cohn test as first written (one coefficient array, reversed reads), the reference for the fast one.</summary>
    private static bool RootsWithinReference(ReadOnlySpan<double> coef, double radius)
    {
        int n = coef.Length - 1;
        var c = new double[n + 1];
        double scale = 1;
        for (int i = 0; i <= n; i++)
        {
            c[i] = coef[n - i] * scale;
            scale *= radius;
        }
        var next = new double[n + 1];
        for (int deg = n; deg >= 1; deg--)
        {
            double lead = c[deg];
            if (lead == 0 || !double.IsFinite(lead)) return false;
            double k = c[0] / lead;
            if (!(Math.Abs(k) < 1)) return false;
            for (int i = 0; i < deg; i++) next[i] = c[i + 1] - k * c[deg - 1 - i];
            next.AsSpan(0, deg).CopyTo(c);
        }
        return true;
    }

    [Fact]
    public void Admissibility_root_test_agrees_with_the_one_array_recursion_on_ets_polynomials()
    {
        // ETS's characteristic polynomials at random parameters, many near the boundary of the admissible region
        var rng = new Random(11);
        int inside = 0, outside = 0;
        foreach (int m in new[] { 2, 4, 7, 12, 24 })
        {
            var group = new List<(double[] Coef, bool Inside)>();
            for (int t = 0; t < 3000; t++)
            {
                double alpha = rng.NextDouble() * 1.2, beta = rng.NextDouble() * alpha * 1.5 - 0.1, gamma = rng.NextDouble() * 1.2 - 0.1, phi = 0.8 + 0.21 * rng.NextDouble();
                var coef = new double[m + 2];
                coef[0] = 1;
                coef[1] = alpha + beta - phi;
                for (int i = 0; i < m - 2; i++) coef[2 + i] = alpha + beta - alpha * phi;
                coef[m] = alpha + beta - alpha * phi + gamma - 1;
                coef[m + 1] = phi * (1 - alpha - gamma);
                bool expected = RootsWithinReference(coef, 1 + 1e-10);
                Assert.Equal(expected, EtsBoundsCheck.RootsWithin(coef, 1 + 1e-10));
                if (expected) inside++; else outside++;
                // the four-lane test on groups of 1 to 4 polynomials
                group.Add((coef, expected));
                if (group.Count == 1 + t % 4)
                {
                    var answers = new bool[group.Count];
                    EtsBoundsCheck.RootsWithinLanes(group.SelectMany(g => g.Coef).ToArray(), group.Count, 1 + 1e-10, answers);
                    Assert.Equal(group.Select(g => g.Inside), answers);
                    group.Clear();
                }
            }
        }
        Assert.True(inside > 1000 && outside > 1000, $"{inside} inside, {outside} outside");
    }

    private static readonly EtsSpec[] LaneSpecs = [.. new[] { "ANN", "ANA", "AAN", "AAdN", "AAA", "AAdA", "MNN", "MNA", "MNM", "MAN", "MAdN", "MAA", "MAdA", "MAM", "MAdM" }
        .Select(c => new EtsSpec(c[0] == 'M' ? EtsForm.Multiplicative : EtsForm.Additive, c[1] == 'A' ? EtsForm.Additive : EtsForm.None,
            c[^1] switch { 'A' => EtsForm.Additive, 'M' => EtsForm.Multiplicative, _ => EtsForm.None }, c.Contains('d')))];

    /// <summary>A random full state (l, b?, s_1..s_m) for <paramref name="spec"/>; <paramref name="wild"/> gives states
    /// whose forecasts reach zero, huge values or R's NA marker.</summary>
    private static double[] State(EtsSpec spec, int m, Random rng, bool wild)
    {
        var s = new List<double> { wild ? rng.Next(4) switch { 0 => 0.0, 1 => -99999.0, 2 => 1e300, _ => -50 + 100 * rng.NextDouble() } : 80 + 40 * rng.NextDouble() };
        if (spec.Trend != EtsForm.None) s.Add(wild ? 1e3 * (rng.NextDouble() - 0.5) : rng.NextDouble() - 0.5);
        if (spec.Season == EtsForm.Multiplicative)
            for (int j = 0; j < m; j++) s.Add(wild && rng.Next(3) == 0 ? rng.Next(2) * 1e-12 : 0.7 + 0.6 * rng.NextDouble());
        else if (spec.Season == EtsForm.Additive)
            for (int j = 0; j < m; j++) s.Add(wild && rng.Next(3) == 0 ? 1e200 : 10 * (rng.NextDouble() - 0.5));
        return [.. s];
    }

    [Fact]
    public void Lanes_give_each_models_scalar_lik_bit_for_bit()
    {
        if (!System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) return;
        var rng = new Random(7);
        const int m = 12;
        var y = Enumerable.Range(0, 150).Select(t => (100 + 0.3 * t) * (1 + 0.1 * Math.Sin(2 * Math.PI * t / m)) + 3 * (rng.NextDouble() - 0.5)).ToArray();
        y[40] = 0; // a zero observation for the multiplicative updates
        var lanes = new EtsRecursionLanes(m);
        var scalar = new EtsRecursion(y.Length, m, 1);
        var lik = new double[EtsRecursionLanes.Width];
        int markers = 0, infinite = 0, finite = 0;
        for (int round = 0; round < 400; round++)
        {
            bool wild = round % 4 == 3;
            var specs = new EtsSpec[EtsRecursionLanes.Width];
            var states = new double[EtsRecursionLanes.Width][];
            var pars = new (double A, double B, double G, double P)[EtsRecursionLanes.Width];
            for (int k = 0; k < EtsRecursionLanes.Width; k++)
            {
                specs[k] = LaneSpecs[rng.Next(LaneSpecs.Length)];
                int mm = specs[k].Season == EtsForm.None ? 1 : m;
                states[k] = State(specs[k], mm, rng, wild);
                double a = 0.0001 + 0.9998 * rng.NextDouble();
                pars[k] = (a, a * rng.NextDouble(), (1 - a) * rng.NextDouble(), specs[k].Damped ? 0.8 + 0.18 * rng.NextDouble() : 1.0);
                lanes.Load(k, specs[k], states[k], pars[k].A, pars[k].B, pars[k].G, pars[k].P);
            }
            lanes.Run(y, lik);
            for (int k = 0; k < EtsRecursionLanes.Width; k++)
            {
                var (a, b, g, p) = pars[k];
                double expected = scalar.Run(y, states[k], specs[k], a, b, g, p, false, default);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(lik[k]));
                if (expected == EtsRecursion.NaMarker) markers++;
                else if (double.IsFinite(expected)) finite++;
                else infinite++;
            }
        }
        // every kind of outcome was reached
        Assert.True(markers > 0 && infinite > 0 && finite > 0, $"{markers} markers, {infinite} non-finite, {finite} finite");
    }

    public static TheoryData<int> FixtureSeries => [.. Enumerable.Range(0, EtsFixture.All.Count)];

    [Theory]
    [MemberData(nameof(FixtureSeries))]
    public void Pooled_candidates_equal_one_at_a_time_fits(int index)
    {
        var s = EtsFixture.All[index];
        var y = s.Train;
        var options = new EtsOptions();
        var specs = LaneSpecs.Where(c => y.Min() > 0 || c.Error == EtsForm.Additive)
            .Where(c => c.Season == EtsForm.None || (s.Season > 1 && s.Season <= 24 && y.Length > s.Season)).ToList();
        var fits = new EtsModel?[specs.Count];
        var failures = new string?[specs.Count];
        Ets.FitCandidates(y, s.Season, specs, options, fits, failures);
        for (int i = 0; i < specs.Count; i++)
        {
            EtsModel? expected = null;
            string? failure = null;
            try { expected = Ets.FitModel(y, s.Season, specs[i], options); }
            catch (ArgumentException ex) { failure = ex.Message; }
            Assert.Equal(failure, failures[i]);
            if (expected is null) { Assert.Null(fits[i]); continue; }
            var actual = fits[i]!;
            Assert.Equal(expected.Spec, actual.Spec);
            Assert.Equal([expected.Alpha, expected.Beta ?? 0, expected.Gamma ?? 0, expected.Phi ?? 0, expected.LogLikelihood, expected.Aicc],
                [actual.Alpha, actual.Beta ?? 0, actual.Gamma ?? 0, actual.Phi ?? 0, actual.LogLikelihood, actual.Aicc]);
            Assert.Equal(expected.InitialStates, actual.InitialStates);
            Assert.Equal(expected.FinalStates, actual.FinalStates);
        }
    }
}
