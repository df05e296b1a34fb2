using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Hindsight.Tensors.Kernels;

/// <summary>
/// A run of float lanes (one float, or a Vector128/256/512), so an elementwise formula is written once, generic over
/// the width (the struct-operator pattern of dotnet/runtime's TensorPrimitives). Every operation is the IEEE operation
/// per lane (no contraction), so a formula gives the same bits at every width.
/// </summary>
internal interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Lanes per value.</summary>
    static abstract int Count { get; }
    /// <summary>All lanes 1.</summary>
    static abstract TSelf One { get; }
    /// <summary>Every lane <paramref name="x"/>.</summary>
    static abstract TSelf Broadcast(float x);
    /// <summary>Loads <see cref="Count"/> floats from <c>source[offset..]</c>.</summary>
    static abstract TSelf Load(ref float source, int offset);
    /// <summary>Stores into <c>destination[offset..]</c>.</summary>
    static abstract void Store(TSelf value, ref float destination, int offset);
    /// <summary>a * b + c rounded once.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
    /// <summary>Lane sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);
    /// <summary>Lane difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);
    /// <summary>Lane product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);
}

/// <summary>An elementwise kernel over lanes j..j+Count of its spans (a ref struct holding them).</summary>
internal interface ILaneKernel
{
    /// <summary>Computes the elements j..j+<c>TL.Count</c>.</summary>
    void Apply<TL>(int j) where TL : struct, ILanes<TL>;
}

/// <summary>Runs an <see cref="ILaneKernel"/> over 0..n: 512-bit lanes, then 256, 128, then one by one (as allowed by <see cref="FastPaths.MaxVectorBits"/>).</summary>
internal static class Lanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForEach<TK>(scoped ref TK kernel, int n) where TK : ILaneKernel, allows ref struct
    {
        int j = 0;
        if (FastPaths.Use512) for (; j <= n - 16; j += 16) kernel.Apply<L512>(j);
        if (Vector256.IsHardwareAccelerated && FastPaths.Allows(256)) for (; j <= n - 8; j += 8) kernel.Apply<L256>(j);
        if (Vector128.IsHardwareAccelerated && FastPaths.Allows(128)) for (; j <= n - 4; j += 4) kernel.Apply<L128>(j);
        for (; j < n; j++) kernel.Apply<L1>(j);
    }
}

/// <summary>One float.</summary>
internal readonly struct L1(float v) : ILanes<L1>
{
    private readonly float _v = v;
    public static int Count => 1;
    public static L1 One => new(1f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 Broadcast(float x) => new(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 Load(ref float source, int offset) => new(Unsafe.Add(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(L1 value, ref float destination, int offset) => Unsafe.Add(ref destination, offset) = value._v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 Fma(L1 a, L1 b, L1 c) => new(MathF.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 operator +(L1 a, L1 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 operator -(L1 a, L1 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L1 operator *(L1 a, L1 b) => new(a._v * b._v);
}

/// <summary>Four floats.</summary>
internal readonly struct L128(Vector128<float> v) : ILanes<L128>
{
    private readonly Vector128<float> _v = v;
    public static int Count => 4;
    public static L128 One => new(Vector128<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 Broadcast(float x) => new(Vector128.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 Load(ref float source, int offset) => new(Vector128.LoadUnsafe(ref source, (nuint)offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(L128 value, ref float destination, int offset) => value._v.StoreUnsafe(ref destination, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 Fma(L128 a, L128 b, L128 c) => new(Vector128.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 operator +(L128 a, L128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 operator -(L128 a, L128 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L128 operator *(L128 a, L128 b) => new(a._v * b._v);
}

/// <summary>Eight floats.</summary>
internal readonly struct L256(Vector256<float> v) : ILanes<L256>
{
    private readonly Vector256<float> _v = v;
    public static int Count => 8;
    public static L256 One => new(Vector256<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 Broadcast(float x) => new(Vector256.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 Load(ref float source, int offset) => new(Vector256.LoadUnsafe(ref source, (nuint)offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(L256 value, ref float destination, int offset) => value._v.StoreUnsafe(ref destination, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 Fma(L256 a, L256 b, L256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 operator +(L256 a, L256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 operator -(L256 a, L256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L256 operator *(L256 a, L256 b) => new(a._v * b._v);
}

/// <summary>Sixteen floats.</summary>
internal readonly struct L512(Vector512<float> v) : ILanes<L512>
{
    private readonly Vector512<float> _v = v;
    public static int Count => 16;
    public static L512 One => new(Vector512<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 Broadcast(float x) => new(Vector512.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 Load(ref float source, int offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(L512 value, ref float destination, int offset) => value._v.StoreUnsafe(ref destination, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 Fma(L512 a, L512 b, L512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 operator +(L512 a, L512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 operator -(L512 a, L512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static L512 operator *(L512 a, L512 b) => new(a._v * b._v);
}
