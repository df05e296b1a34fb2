using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// exp of 16 floats with the bits of <see cref="Vector256.Exp(Vector256{float})"/> in every lane, for hosts where .NET
/// does not accelerate <see cref="Vector512"/> (Intel Skylake-SP to Ice Lake with AVX-512): there
/// <see cref="Vector512.Exp(Vector512{float})"/> runs the 256-bit exp twice, while the kernels' other 512-bit code runs as
/// zmm instructions. The algorithm is the runtime's own (<c>VectorMath.ExpSingle</c>, after AMD's <c>vrs4_expf</c>): each
/// half widened to double, x / ln 2 = n + r with n rounded to nearest by adding 1.5 * 2^52, 2^r by a degree-5 polynomial in
/// fused multiply-adds, n added into the exponent bits, narrowed back to float; beyond |x| &gt; 87 (bits above
/// 0x42AE0000) x &gt; 88.72284 gives +inf and x &lt; -103.97208 gives 0. The same operations in the same order on wider
/// vectors give the same bits per lane (held by a property test over edge and random inputs).
/// </summary>
internal static class Exp512
{
    private const uint ArgMax = 0x42AE0000;
    private const float ExpMin = -103.97208f, ExpMax = 88.72284f;
    private const double Huge = 6755399441055744, InverseLn2 = 1.4426950408889634;
    private const double C1 = 1.0000000754895704, C2 = 0.6931472254087585, C3 = 0.2402210737432219, C4 = 0.05550297297702539,
        C5 = 0.009676036358193323, C6 = 0.001341000536524434;

    /// <summary>exp(x) per lane; <see cref="Vector512.Exp(Vector512{float})"/> itself where .NET accelerates 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => Vector512.IsHardwareAccelerated ? Vector512.Exp(x) : Of(x);

    /// <summary>The runtime's algorithm on 512-bit vectors (whatever the host accelerates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Of(Vector512<float> x)
    {
        var result = Vector512.Narrow(Core(Vector512.WidenLower(x)), Core(Vector512.WidenUpper(x)));
        if (Vector512.GreaterThanAny(Vector512.Abs(x).AsUInt32(), Vector512.Create(ArgMax)))
        {
            result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpMax)), Vector512.Create(float.PositiveInfinity), result);
            result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(ExpMin)));
        }
        return result;
    }

    // 2^(x / ln 2) in double: n the nearest integer to x / ln 2 (in the low bits of z + 1.5 * 2^52), r the rest, 2^r a
    // polynomial, n shifted into the exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Core(Vector512<double> x)
    {
        var z = x * Vector512.Create(InverseLn2);
        var huge = Vector512.Create(Huge);
        var dn = z + huge;
        var n = dn.AsUInt64();
        var r = z - (dn - huge);
        var r2 = r * r;
        var r4 = r2 * r2;
        var poly = Vector512.FusedMultiplyAdd(
            r4,
            Vector512.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5)),
            Vector512.FusedMultiplyAdd(
                r2,
                Vector512.FusedMultiplyAdd(Vector512.Create(C4), r, Vector512.Create(C3)),
                Vector512.FusedMultiplyAdd(Vector512.Create(C2), r, Vector512.Create(C1))));
        return (poly.AsUInt64() + (n << 52)).AsDouble();
    }
}
