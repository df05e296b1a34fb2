namespace Hindsight.Kernels;

/// <summary>
/// The worker threads that large kernels (GEMM) split their output over. Workers are created on first use, spin
/// briefly after each job (so back-to-back products of a training step do not pay a wake-up) and then sleep.
/// Only one parallel kernel runs at a time; a kernel called while another one runs (from another thread) runs
/// single-threaded. Results never depend on <see cref="Count"/>: work is split over disjoint outputs only.
/// </summary>
public static unsafe class KernelThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);
    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static int _busy;

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

    /// <summary>Runs <paramref name="body"/>(state, part) for part 0..parts-1, part 0 on the calling thread; returns when all are done. Call after <see cref="TryBegin"/>.</summary>
    internal static void Execute(delegate*<void*, int, void> body, void* state, int parts)
    {
        try
        {
            var workers = EnsureWorkers(parts - 1);
            Exception? failure = null;
            for (int w = 0; w < parts - 1; w++) workers[w].Start(body, state, w + 1);
            try { body(state, 0); }
            catch (Exception e) { failure = e; }
            for (int w = 0; w < parts - 1; w++) failure ??= workers[w].Wait();
            if (failure is not null) throw new InvalidOperationException("A parallel kernel failed.", failure);
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private static Worker[] EnsureWorkers(int needed)
    {
        if (_workers.Length >= needed) return _workers;
        lock (Gate)
        {
            if (_workers.Length < needed)
            {
                var grown = new Worker[needed];
                Array.Copy(_workers, grown, _workers.Length);
                for (int i = _workers.Length; i < needed; i++) grown[i] = new Worker(i + 1);
                _workers = grown;
            }
            return _workers;
        }
    }

    private sealed class Worker
    {
        private const int SpinIterations = 20000;
        private readonly SemaphoreSlim _wake = new(0);
        private delegate*<void*, int, void> _body;
        private void* _state;
        private int _part;
        private int _sequence, _done, _sleeping;
        private Exception? _error;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Hindsight kernel {index}" };
            thread.Start();
        }

        public void Start(delegate*<void*, int, void> body, void* state, int part)
        {
            _body = body; _state = state; _part = part; _error = null;
            Volatile.Write(ref _done, 0);
            Interlocked.Increment(ref _sequence);
            if (Interlocked.CompareExchange(ref _sleeping, 0, 0) == 1) _wake.Release();
        }

        public Exception? Wait()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _done) == 0) spin.SpinOnce(sleep1Threshold: -1);
            return _error;
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                int spins = 0;
                while (Volatile.Read(ref _sequence) == seen)
                {
                    if (++spins < SpinIterations) { Thread.SpinWait(8); continue; }
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _sequence) == seen) _wake.Wait();
                    Interlocked.Exchange(ref _sleeping, 0);
                    spins = 0;
                }
                seen = Volatile.Read(ref _sequence);
                try { _body(_state, _part); }
                catch (Exception e) { _error = e; }
                Volatile.Write(ref _done, 1);
            }
        }
    }
}
