using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Hindsight.Tensors.Kernels;

/// <summary>The fast paths that <see cref="FastPaths"/> can turn off (each one is held bit-equal to its general path).</summary>
[Flags]
internal enum FastPath
{
    /// <summary>No fast path.</summary>
    None = 0,
    /// <summary>Elman cells with hidden 2..7, one direction, no lengths (<c>RecurrentTiny.cs</c>).</summary>
    TinyRecurrent = 1,
    /// <summary>Input projection of a recurrent layer with 1-4 input features in one pass from the bias row.</summary>
    FewInputProjection = 2,
    /// <summary>LSTM: tanh(c) of a whole step in one call instead of one call per row.</summary>
    LstmWholeStep = 8,
    /// <summary>Every fast path.</summary>
    All = TinyRecurrent | FewInputProjection | LstmWholeStep,
}

/// <summary>
/// Switches that force the general path or a narrower vector width, so tests can hold each fast path to the general
/// one bit for bit, and <c>hindsight bench</c> can be run A/B. Per thread (tests run in parallel); the environment
/// variable <c>HINDSIGHT_DISABLE_FAST_PATHS</c> (comma-separated <see cref="FastPath"/> names, or <c>All</c>) turns
/// paths off for the whole process, and <c>HINDSIGHT_MAX_VECTOR_BITS</c> (512, 256, 128 or 32) caps the vector width
/// for the whole process.
/// </summary>
internal static class FastPaths
{
    private static readonly FastPath ProcessDisabled = ReadEnvironment();
    private static readonly int ProcessMaxVectorBits = ReadMaxVectorBits();

    /// <summary>
    /// Whether this machine can run 512-bit vectors: where .NET accelerates <see cref="Vector512"/>, and also where it
    /// only supports AVX-512 but prefers 256-bit vectors (Intel Skylake-SP to Ice Lake, which lower their clock for wide
    /// vectors; explicit <c>Vector512</c> code still compiles to zmm instructions there, and the GEMM and the cells gain).
    /// </summary>
    private static readonly bool Machine512 = Vector512.IsHardwareAccelerated || Avx512F.IsSupported;

    /// <summary>
    /// The one decision point for the vector width of every kernel (the packed GEMM's microkernel, the small products,
    /// the activations, the lane kernels, the fused cells): 512-bit vectors when the machine has them
    /// (<see cref="Machine512"/>) and this thread and process allow them (<see cref="MaxVectorBits"/>), else 256-bit ones.
    /// </summary>
    internal static bool Use512 => Machine512 && Allows(512);
    [ThreadStatic] private static FastPath t_disabled;
    [ThreadStatic] private static int t_maxVectorBits;

    /// <summary>Fast paths turned off on this thread.</summary>
    internal static FastPath Disabled { get => t_disabled; set => t_disabled = value; }

    /// <summary>Widest vector the lane kernels (<see cref="Lanes"/>) may use on this thread: 0 for the machine's widest, else 512, 256, 128 or 32 (scalar).</summary>
    internal static int MaxVectorBits { get => t_maxVectorBits; set => t_maxVectorBits = value; }

    /// <summary>Whether <paramref name="path"/> may run.</summary>
    internal static bool On(FastPath path) => ((ProcessDisabled | t_disabled) & path) == 0;

    /// <summary>Whether the lane kernels may use vectors of <paramref name="bits"/> bits.</summary>
    internal static bool Allows(int bits) => bits <= ProcessMaxVectorBits && (t_maxVectorBits == 0 || bits <= t_maxVectorBits);

    /// <summary>The vector widths this machine accelerates, widest first, then 32 (scalar).</summary>
    internal static int[] MachineWidths()
    {
        var w = new List<int>();
        if (Machine512) w.Add(512);
        if (Vector256.IsHardwareAccelerated) w.Add(256);
        if (Vector128.IsHardwareAccelerated) w.Add(128);
        w.Add(32);
        return [.. w];
    }

    private static int ReadMaxVectorBits()
    {
        string? v = Environment.GetEnvironmentVariable("HINDSIGHT_MAX_VECTOR_BITS");
        return int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out int bits) && bits > 0 ? bits : 512;
    }

    private static FastPath ReadEnvironment()
    {
        string? v = Environment.GetEnvironmentVariable("HINDSIGHT_DISABLE_FAST_PATHS");
        if (string.IsNullOrWhiteSpace(v)) return FastPath.None;
        var off = FastPath.None;
        foreach (var name in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (Enum.TryParse<FastPath>(name, ignoreCase: true, out var p)) off |= p;
        return off;
    }
}
