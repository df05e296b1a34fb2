using System.Text;

namespace Hindsight.Tensors;

/// <summary>
/// A float32 tensor: contiguous row-major data with a shape, and (optionally) a gradient.
/// Like PyTorch's <c>torch.Tensor</c>, a tensor created by the user is a leaf; tensors produced by
/// <see cref="Ops"/> from inputs that require gradients are recorded on the thread's <see cref="Tape"/>.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;
    internal float[]? GradData;
    /// <summary>Backward pass in which <see cref="GradData"/> was last (re)initialised; used for non-leaf tensors.</summary>
    internal int GradPass;
    private bool _requiresGrad;

    /// <summary>The elements, row-major. Its length is <see cref="Length"/>.</summary>
    public float[] Data { get; }

    /// <summary>True for tensors produced by a recorded operation (PyTorch's non-leaf tensors).</summary>
    public bool IsLeaf { get; internal set; } = true;

    /// <summary>Optional name used in error messages and state dicts.</summary>
    public string? Name { get; set; }

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape) : this(new float[CheckedLength(shape)], shape) { }

    /// <summary>A tensor over <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = CheckedLength(shape);
        if (n != data.Length)
            throw new ArgumentException($"Tensor: data has {data.Length} elements but shape {FormatShape(shape)} needs {n}.");
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The dimensions. Do not modify the returned span's source.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    internal int[] ShapeArray => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int Dim(int dim) => _shape[NormalizeDim(dim, Rank, "Dim")];

    /// <summary>Whether gradients flow to this tensor. Only leaf tensors may be changed by the user.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf && !value)
                throw new InvalidOperationException("RequiresGrad can only be cleared on leaf tensors; use Detach().");
            _requiresGrad = value;
        }
    }

    internal void MarkOpOutput() { IsLeaf = false; _requiresGrad = true; }

    /// <summary>
    /// The accumulated gradient (same shape), or null before the first backward pass that reaches this tensor.
    /// Leaf gradients accumulate across passes until <see cref="ZeroGrad"/>.
    /// </summary>
    public Tensor? Grad => GradData is null ? null : new Tensor(GradData, _shape);

    /// <summary>The gradient as a span (length 0 when there is none).</summary>
    public Span<float> GradSpan => GradData is null ? Span<float>.Empty : GradData.AsSpan();

    /// <summary>Sets the gradient to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad()
    {
        if (GradData is not null) Array.Clear(GradData);
    }

    /// <summary>Gradient buffer for accumulation in the current pass: allocated on first use; stale non-leaf gradients are cleared.</summary>
    internal Span<float> GradForAccumulate()
    {
        GradData ??= new float[Data.Length];
        if (!IsLeaf && GradPass != Tape.CurrentPass)
        {
            Array.Clear(GradData);
            GradPass = Tape.CurrentPass;
        }
        else if (IsLeaf) GradPass = Tape.CurrentPass;
        return GradData;
    }

    /// <summary>True when this tensor received a gradient in the running backward pass.</summary>
    internal bool HasGradInPass => GradData is not null && GradPass == Tape.CurrentPass;

    /// <summary>Back-propagates from this scalar (PyTorch's <c>loss.backward()</c>); see <see cref="Tape.Backward"/>.</summary>
    public void Backward() => Tape.Backward(this);

    /// <summary>A span over the elements.</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>Element access by full index.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Data[FlatIndex(index)];
        set => Data[FlatIndex(index)] = value;
    }

    /// <summary>The single value of a one-element tensor (PyTorch's <c>item()</c>).</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item: tensor of shape {ShapeString} has {Length} elements, not 1.");
        return Data[0];
    }

    /// <summary>A copy that does not require gradients and is not on the tape.</summary>
    public Tensor Detach() => new((float[])Data.Clone(), _shape);

    /// <summary>A deep copy of data (gradient not copied), with the same RequiresGrad for leaves.</summary>
    public Tensor Clone() => new((float[])Data.Clone(), _shape) { RequiresGrad = RequiresGrad && IsLeaf };

    /// <summary>Copies values from <paramref name="source"/>, which must have the same shape.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!SameShape(source)) throw new ArgumentException($"CopyFrom: shape {source.ShapeString} does not match {ShapeString}.");
        source.Data.CopyTo(Data, 0);
    }

    /// <summary>Fills with a constant.</summary>
    public void Fill(float value) => Data.AsSpan().Fill(value);

    /// <summary>The shape as text, e.g. <c>(10, 64)</c>.</summary>
    public string ShapeString => FormatShape(_shape);

    /// <summary>Whether both tensors have identical shapes.</summary>
    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    /// <summary>Whether the shape equals the given dimensions.</summary>
    public bool HasShape(params ReadOnlySpan<int> dims) => _shape.AsSpan().SequenceEqual(dims);

    /// <summary>
    /// Allocates the output of an operation or layer (zero-filled). Every op and layer creates its outputs here, so
    /// one place decides where they live: inside a <see cref="TensorArena.Step"/> scope they are recycled from the
    /// previous step; otherwise they are new.
    /// </summary>
    internal static Tensor Output(params ReadOnlySpan<int> shape) => TensorArena.Current?.Take(shape) ?? new Tensor(shape.ToArray());

    /// <summary>A tensor over <paramref name="data"/> with another shape (reshape); recycled inside an arena step.</summary>
    internal static Tensor View(float[] data, ReadOnlySpan<int> shape) => TensorArena.Current?.TakeView(data, shape) ?? NewView(data, shape);

    /// <summary>Scratch floats that a backward pass needs (saved activations): from the arena inside a step, else new.</summary>
    internal static float[] Scratch(int length) => TensorArena.Current?.TakeFloats(length) ?? new float[length];

    /// <summary>Scratch ints (saved indices): from the arena inside a step, else new.</summary>
    internal static int[] ScratchInts(int length) => TensorArena.Current?.TakeInts(length) ?? new int[length];

    internal static Tensor NewView(float[] data, ReadOnlySpan<int> shape) => new(data, shape.ToArray()) { IsView = true };

    /// <summary>True for tensors sharing another tensor's data (reshape results).</summary>
    internal bool IsView { get; private init; }

    /// <summary>Returns a recycled output to the state of a fresh one (leaf, no gradient requirement, no stale gradient).</summary>
    internal void ResetForReuse()
    {
        IsLeaf = true;
        _requiresGrad = false;
        GradPass = -1;
        Name = null;
    }

    /// <summary>Tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>Tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) { var t = new Tensor(shape); t.Fill(1f); return t; }

    /// <summary>A tensor over a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return new((float[])values.Clone(), shape.Length == 0 ? [values.Length] : shape);
    }

    /// <summary>A one-element tensor of shape () (a scalar).</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>Values from U(low, high) drawn from <paramref name="rng"/> (or the thread's default generator).</summary>
    public static Tensor Uniform(float low, float high, Rng? rng, params int[] shape)
    {
        var t = new Tensor(shape);
        (rng ?? Rng.Default).FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Values from N(0, 1) drawn from <paramref name="rng"/> (or the thread's default generator).</summary>
    public static Tensor Randn(Rng? rng, params int[] shape)
    {
        var t = new Tensor(shape);
        (rng ?? Rng.Default).FillNormal(t.Data, 0f, 1f);
        return t;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeString).Append(' ').Append('[');
        int shown = Math.Min(Length, 8);
        for (int i = 0; i < shown; i++) { if (i > 0) sb.Append(", "); sb.Append(Data[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)); }
        if (Length > shown) sb.Append(", ...");
        return sb.Append(']').ToString();
    }

    private int FlatIndex(int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != Rank) throw new ArgumentException($"Index of rank {index.Length} for tensor of shape {ShapeString}.");
        int flat = 0;
        for (int d = 0; d < Rank; d++)
        {
            int i = index[d];
            if ((uint)i >= (uint)_shape[d]) throw new ArgumentOutOfRangeException(nameof(index), $"Index {i} out of range for dimension {d} of size {_shape[d]} (shape {ShapeString}).");
            flat = flat * _shape[d] + i;
        }
        return flat;
    }

    internal static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in shape {FormatShape(shape)}.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {FormatShape(shape)} has too many elements.");
        }
        return (int)n;
    }

    internal static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)Math.Max(rank, 1) || (rank == 0))
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dimension {dim} is out of range for a tensor of rank {rank}.");
        return d;
    }

    /// <summary>Formats a shape as <c>(a, b, c)</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++) { if (i > 0) sb.Append(", "); sb.Append(shape[i]); }
        return sb.Append(')').ToString();
    }
}
