namespace Hindsight.Tensors.Kernels;

/// <summary>
/// The worker threads that large kernels (GEMM) split their output over. A parallel kernel is cut into a fixed set
/// of parts (disjoint pieces of the output); the calling thread and the workers claim parts one at a time until none
/// is left, so the caller never waits for a worker that has not started (on a busy machine it simply does the parts
/// itself). Which thread computes a part never changes its result, so results do not depend on <see cref="Count"/>.
/// Workers are created on first use, spin briefly after each job (back-to-back products of a training step then pay
/// no wake-up) and then sleep. One parallel kernel runs at a time; a kernel started meanwhile runs single-threaded.
/// </summary>
public static unsafe class KernelThreads
{
    private const int SpinIterations = 2000;
    private static int _count = Math.Max(1, Environment.ProcessorCount);
    private static readonly object Gate = new();
    private static Thread[] _workers = [];
    private static readonly SemaphoreSlim Wake = new(0);
    private static int _busy, _sleeping;

    // The current job. _claim packs (sequence << 32 | next part); fields are written before the sequence is published.
    private static long _claim;
    private static delegate*<void*, int, void> _body;
    private static void* _state;
    private static int _parts, _remaining;
    private static Exception? _failure;

    /// <summary>Maximum threads a kernel uses (default: the processor count; 1 disables parallelism).</summary>
    public static int Count
    {
        get => _count;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"KernelThreads.Count must be at least 1, got {value}.");
            _count = value;
        }
    }

    /// <summary>Claims the workers; false when another parallel kernel is running.</summary>
    internal static bool TryBegin() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>
    /// Runs <paramref name="body"/>(state, part) for every part in 0..parts-1 on the calling thread and up to
    /// <see cref="Count"/> - 1 workers; returns when all parts are done. Call after a successful <see cref="TryBegin"/>.
    /// </summary>
    internal static void Execute(delegate*<void*, int, void> body, void* state, int parts)
    {
        try
        {
            EnsureWorkers(_count - 1);
            _body = body; _state = state; _parts = parts; _failure = null;
            Volatile.Write(ref _remaining, parts);
            long sequence = (Volatile.Read(ref _claim) >> 32) + 1;
            Interlocked.Exchange(ref _claim, sequence << 32);
            if (Interlocked.CompareExchange(ref _sleeping, 0, 0) > 0) Wake.Release(_workers.Length);
            RunParts(sequence);
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            if (_failure is not null) throw new InvalidOperationException("A parallel kernel failed.", _failure);
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    /// <summary>Claims and runs parts of job <paramref name="sequence"/> until none is left.</summary>
    private static void RunParts(long sequence)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            if (claim >> 32 != sequence) return;
            int part = (int)(claim & 0xFFFFFFFF);
            if (part >= _parts) return;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            // The claim holds the job open (_remaining > 0), so its fields stay valid until this part is done.
            try { _body(_state, part); }
            catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
            Interlocked.Decrement(ref _remaining);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (_workers.Length >= needed) return;
        lock (Gate)
        {
            if (_workers.Length >= needed) return;
            var grown = new Thread[needed];
            Array.Copy(_workers, grown, _workers.Length);
            for (int i = _workers.Length; i < needed; i++)
            {
                grown[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Hindsight kernel {i + 1}" };
                grown[i].Start();
            }
            _workers = grown;
        }
    }

    private static void WorkerLoop()
    {
        long seen = Volatile.Read(ref _claim) >> 32;
        while (true)
        {
            int spins = 0;
            while (Volatile.Read(ref _claim) >> 32 == seen)
            {
                if (++spins < SpinIterations) { Thread.SpinWait(8); continue; }
                Interlocked.Increment(ref _sleeping);
                if (Volatile.Read(ref _claim) >> 32 == seen) Wake.Wait();
                Interlocked.Decrement(ref _sleeping);
                spins = 0;
            }
            seen = Volatile.Read(ref _claim) >> 32;
            RunParts(seen);
        }
    }
}
