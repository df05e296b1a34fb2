namespace Hindsight.Tests.Support;

/// <summary>Allocation of a steady call, for the no-allocation-per-call tests.</summary>
public static class Allocations
{
    /// <summary>
    /// Bytes <paramref name="call"/> allocates on this thread: the least over <paramref name="calls"/> calls. A one-off
    /// runtime allocation (the JIT's tier-up, type loading while other tests run in parallel) is not the code's; a steady
    /// per-call allocation shows in every call. Warm up first (the shapes' buffers are planned on the first call).
    /// </summary>
    public static long LeastPerCall(Action call, int calls = 6)
    {
        long least = long.MaxValue;
        for (int i = 0; i < calls; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
