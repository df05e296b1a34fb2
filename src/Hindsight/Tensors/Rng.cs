namespace Hindsight.Tensors;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64): the same seed gives the
/// same stream on every machine and .NET version. Not PyTorch's generator: parity tests load weights
/// from fixtures instead of relying on equal random streams.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    [ThreadStatic] private static Rng? _default;

    /// <summary>The thread's default generator, used when a layer is not given one. Reset with <see cref="ManualSeed"/>.</summary>
    public static Rng Default => _default ??= new Rng(0);

    /// <summary>Re-seeds the thread's default generator (PyTorch's <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(ulong seed) => _default = new Rng(seed);

    /// <summary>A generator with the given seed.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextInt: bound must be positive, got {n}.");
        return (int)((NextUInt64() >> 33) * (ulong)n >> 31);
    }

    /// <summary>Standard normal sample (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills with U(low, high).</summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        double width = (double)high - low;
        for (int i = 0; i < values.Length; i++) values[i] = (float)(low + width * NextDouble());
    }

    /// <summary>Fills with N(mean, std^2).</summary>
    public void FillNormal(Span<float> values, float mean, float std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + std * NextGaussian());
    }

    /// <summary>Shuffles in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n-1 (PyTorch's <c>randperm</c>, different stream).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }
}
