using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// Tanh and sigmoid exact at every magnitude: within a few ulp of the correctly rounded result for |x| from the smallest
/// normal float to saturation (checked against float64 over a dense sweep in the tests). <c>TensorPrimitives.Tanh</c>
/// computes tanh through exp for every x, so near zero its absolute error (~5e-8) is the whole answer (tanh(1e-30) came
/// out 0); here |x| &lt; 0.625 takes an odd polynomial x + x^3 P(x^2) (least-squares fit of degree 5 in x^2, error below
/// 6e-10 relative) and larger |x| takes 1 - 2 / (exp(2|x|) + 1) with x's sign. Sigmoid is 1 / (1 + e) for x &gt;= 0 and
/// e / (1 + e) below, with e = exp(-|x|), so it never overflows and keeps its relative precision down to the subnormals.
/// Every element goes through the same vector code (tails are padded into one vector), so a value's result does not
/// depend on its position or on the length of the span. The 512-bit path takes its exp from <see cref="Exp512"/> (the
/// runtime's 256-bit exp's bits, in one 512-bit pass where .NET would run the 256-bit exp twice).
/// </summary>
public static class Activation
{
    private const float PolyLimit = 0.625f;
    private const float C0 = -0.33333334f, C1 = 0.13333304f, C2 = -0.053959407f, C3 = 0.021769967f, C4 = -0.008346996f,
        C5 = 0.0022958566f;

    /// <summary>y = tanh(x) elementwise; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Apply<TanhOp>(x, y);

    /// <summary>y = 1 / (1 + exp(-x)) elementwise; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Apply<SigmoidOp>(x, y);

    /// <summary>tanh of one value, the same bits as <see cref="Tanh(ReadOnlySpan{float}, Span{float})"/> gives it.</summary>
    public static float Tanh(float x) => FastPaths.Use512
        ? TanhOp.Of(Vector512.Create(x)).ToScalar()
        : Vector256.IsHardwareAccelerated ? TanhOp.Of(Vector256.Create(x)).ToScalar() : TanhOp.Of(Vector128.Create(x)).ToScalar();

    /// <summary>sigmoid of one value, the same bits as the span overload gives it.</summary>
    public static float Sigmoid(float x) => FastPaths.Use512
        ? SigmoidOp.Of(Vector512.Create(x)).ToScalar()
        : Vector256.IsHardwareAccelerated ? SigmoidOp.Of(Vector256.Create(x)).ToScalar() : SigmoidOp.Of(Vector128.Create(x)).ToScalar();

    /// <summary>tanh of 16 lanes, the same bits as the span overload gives each of them (for kernels that fuse it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Tanh(Vector512<float> x) => TanhOp.Of(x);

    /// <summary>sigmoid of 16 lanes, the same bits as the span overload gives each of them (for kernels that fuse it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Sigmoid(Vector512<float> x) => SigmoidOp.Of(x);

    /// <summary>tanh of 8 lanes, the same bits as the span overload gives each of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Tanh(Vector256<float> x) => TanhOp.Of(x);

    /// <summary>sigmoid of 8 lanes, the same bits as the span overload gives each of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Sigmoid(Vector256<float> x) => SigmoidOp.Of(x);

    private interface IOp
    {
        static abstract Vector512<float> Of(Vector512<float> x);
        static abstract Vector256<float> Of(Vector256<float> x);
        static abstract Vector128<float> Of(Vector128<float> x);
    }

    private static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : IOp
    {
        if (y.Length != x.Length) throw new ArgumentException($"destination has {y.Length} elements for {x.Length} inputs.", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (FastPaths.Use512)
        {
            for (; i + 16 <= n; i += 16) TOp.Of(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            if (i < n) Tail(x[i..], y[i..], static v => TOp.Of(Vector512.LoadUnsafe(ref v[0])), 16);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8) TOp.Of(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            if (i < n) Tail(x[i..], y[i..], static v => TOp.Of(Vector256.LoadUnsafe(ref v[0])).AsVector512Unsafe(), 8);
        }
        else
        {
            for (; i + 4 <= n; i += 4) TOp.Of(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            if (i < n) Tail(x[i..], y[i..], static v => TOp.Of(Vector128.LoadUnsafe(ref v[0])).AsVector512Unsafe(), 4);
        }
    }

    private delegate Vector512<float> PaddedOp(Span<float> padded);

    /// <summary>The last partial vector: padded with zeros into a full one, computed, and the valid lanes copied back.</summary>
    private static void Tail(ReadOnlySpan<float> x, Span<float> y, PaddedOp op, int width)
    {
        Span<float> padded = stackalloc float[16];
        padded.Clear();
        x.CopyTo(padded);
        var r = op(padded);
        Span<float> result = stackalloc float[16];
        r.StoreUnsafe(ref MemoryMarshal.GetReference(result));
        result[..Math.Min(x.Length, width)].CopyTo(y);
    }

    private static Vector512<float> AsVector512Unsafe(this Vector256<float> v) => v.ToVector512Unsafe();
    private static Vector512<float> AsVector512Unsafe(this Vector128<float> v) => v.ToVector256Unsafe().ToVector512Unsafe();

    private readonly struct TanhOp : IOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Of(Vector512<float> x)
        {
            var a = Vector512.Abs(x);
            var z = x * x;
            var q = Vector512.FusedMultiplyAdd(Vector512.Create(C5), z, Vector512.Create(C4));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(C3));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(C2));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(C1));
            q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(C0));
            var small = Vector512.FusedMultiplyAdd(x * z, q, x);
            var e = Exp512.Exp(a + a);
            var large = Vector512.CopySign(Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One), x);
            return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(PolyLimit)), small, large);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Of(Vector256<float> x)
        {
            var a = Vector256.Abs(x);
            var z = x * x;
            var q = Vector256.FusedMultiplyAdd(Vector256.Create(C5), z, Vector256.Create(C4));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(C3));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(C2));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(C1));
            q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(C0));
            var small = Vector256.FusedMultiplyAdd(x * z, q, x);
            var e = Vector256.Exp(a + a);
            var large = Vector256.CopySign(Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One), x);
            return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(PolyLimit)), small, large);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Of(Vector128<float> x)
        {
            var a = Vector128.Abs(x);
            var z = x * x;
            var q = Vector128.FusedMultiplyAdd(Vector128.Create(C5), z, Vector128.Create(C4));
            q = Vector128.FusedMultiplyAdd(q, z, Vector128.Create(C3));
            q = Vector128.FusedMultiplyAdd(q, z, Vector128.Create(C2));
            q = Vector128.FusedMultiplyAdd(q, z, Vector128.Create(C1));
            q = Vector128.FusedMultiplyAdd(q, z, Vector128.Create(C0));
            var small = Vector128.FusedMultiplyAdd(x * z, q, x);
            var e = Vector128.Exp(a + a);
            var large = Vector128.CopySign(Vector128<float>.One - Vector128.Create(2f) / (e + Vector128<float>.One), x);
            return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(PolyLimit)), small, large);
        }
    }

    private readonly struct SigmoidOp : IOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Of(Vector512<float> x)
        {
            var e = Exp512.Exp(-Vector512.Abs(x));
            var d = Vector512<float>.One + e;
            return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One / d, e / d);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Of(Vector256<float> x)
        {
            var e = Vector256.Exp(-Vector256.Abs(x));
            var d = Vector256<float>.One + e;
            return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One / d, e / d);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Of(Vector128<float> x)
        {
            var e = Vector128.Exp(-Vector128.Abs(x));
            var d = Vector128<float>.One + e;
            return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), Vector128<float>.One / d, e / d);
        }
    }
}
