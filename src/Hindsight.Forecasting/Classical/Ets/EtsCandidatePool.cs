using System.Runtime.Intrinsics;
using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>
/// Runs the Nelder-Mead searches of several candidate models together (automatic ETS): each search waits for one point at
/// a time, and up to four waiting points, from different candidates, are evaluated in one pass of
/// <see cref="EtsRecursionLanes"/>. Each search takes exactly the path of its own <see cref="NelderMead.Minimize(NelderMead.Objective, ReadOnlySpan{double}, int, double, double, double, double, double)"/>
/// (the same points, values and result), so the candidates' fits are those of one-at-a-time fitting; the four lanes cost
/// about one scalar evaluation, bound by the recursion's loop-carried chain.
/// </summary>
internal static class EtsCandidatePool
{
    /// <summary>Whether a model can join a pool: the likelihood criterion, hardware-accelerated 256-bit vectors and no
    /// multiplicative trend (<see cref="Ets.ScalarOnly"/> turns pooling off).</summary>
    public static bool Supports(EtsSpec spec, EtsOptions options) =>
        options.Criterion == EtsCriterion.Likelihood && Vector256.IsHardwareAccelerated && spec.Trend != EtsForm.Multiplicative && !Ets.ScalarOnly;

    /// <summary>
    /// Minimises the objectives of <paramref name="candidates"/> (each <see cref="Supports"/>ed; seasonal ones of period
    /// <paramref name="period"/>) over <paramref name="y"/> from their starts with R's settings and at most
    /// <paramref name="maxit"/> evaluations each. Returns each result, or null where the objective is not finite at the
    /// start (R: "function cannot be evaluated at initial parameters").
    /// </summary>
    public static NelderMeadResult?[] Minimize(IReadOnlyList<Ets.Candidate> candidates, ReadOnlySpan<double> y, int period, int maxit)
    {
        int count = candidates.Count;
        var searches = new NelderMeadSearch[count];
        for (int i = 0; i < count; i++)
            searches[i] = new NelderMeadSearch(candidates[i].Start, maxit, double.NegativeInfinity, NelderMead.DefaultRelTol, 1, 0.5, 2);
        var lanes = new EtsRecursionLanes(period);
        const int width = EtsRecursionLanes.Width;
        int polyLength = period + 2;
        Span<int> laneOf = stackalloc int[width];
        Span<double> lik = stackalloc double[width];
        Span<bool> inLane = stackalloc bool[count];
        // admissibility polynomials whose root test is due, tested four at a time
        Span<double> roots = stackalloc double[width * polyLength];
        Span<int> rootLane = stackalloc int[width];
        Span<bool> inside = stackalloc bool[width];
        int next = 0;
        while (true)
        {
            // one waiting point per unfinished search, taken in turn from `next`, until the lanes are full; points R's
            // checks reject are answered at once (+Inf) and the search's next point is taken instead
            int k = 0;
            inLane.Clear();
            while (k < width)
            {
                int filled = k, due = 0;
                for (int t = 0; t < count && k < width; t++)
                {
                    int i = (next + t) % count;
                    if (inLane[i]) continue;
                    var search = searches[i];
                    while (!search.Done)
                    {
                        if (candidates[i].Target.Load(search.Point, lanes, k, roots.Slice(due * polyLength, polyLength), out bool rootsNeeded))
                        {
                            if (rootsNeeded) rootLane[due++] = k;
                            inLane[i] = true;
                            laneOf[k++] = i;
                            break;
                        }
                        search.Tell(double.PositiveInfinity);
                    }
                }
                if (k == filled) break;
                if (due == 0) continue;
                EtsBoundsCheck.RootsWithinLanes(roots[..(due * polyLength)], due, EtsBoundsCheck.RootRadius, inside);
                // drop the new lanes whose roots fail (their searches are answered +Inf and may fill a lane again)
                int keep = filled;
                for (int q = filled, d = 0; q < k; q++)
                {
                    bool ok = true;
                    if (d < due && rootLane[d] == q) ok = inside[d++];
                    int i = laneOf[q];
                    if (!ok)
                    {
                        inLane[i] = false;
                        searches[i].Tell(double.PositiveInfinity);
                        continue;
                    }
                    if (keep != q) lanes.Repeat(q, keep);
                    laneOf[keep++] = i;
                }
                k = keep;
            }
            if (k == 0) break;
            next = (laneOf[k - 1] + 1) % count;
            if (k == 1)
            {
                // one search left waiting: the scalar recursion is as fast and needs no lane copies
                var search = searches[laneOf[0]];
                search.Tell(candidates[laneOf[0]].Target.Evaluate(search.Point));
                continue;
            }
            for (int q = k; q < width; q++) lanes.Repeat(0, q);
            lanes.Run(y, lik);
            for (int q = 0; q < k; q++) searches[laneOf[q]].Tell(Ets.EtsTarget.Clean(lik[q]));
        }
        var results = new NelderMeadResult?[count];
        for (int i = 0; i < count; i++) results[i] = searches[i].Failed ? null : searches[i].Result;
        return results;
    }
}
