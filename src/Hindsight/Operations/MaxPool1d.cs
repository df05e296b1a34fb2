namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Maximum over windows of the last dimension (PyTorch's <c>F.max_pool1d(x, kernel_size, stride, ceil_mode=...)</c>
    /// without padding or dilation, on (..., L) instead of (N, C, L)). x is (..., L); y is (..., Lout) with
    /// <c>Lout = floor((L - kernel) / stride) + 1</c>, or with <paramref name="ceilMode"/> the ceiling, less one if the last
    /// window would start past the end (so the last, shorter window still holds input values). A NaN in a window is its
    /// maximum; the gradient goes to the first maximum of each window (as PyTorch's kernel).
    /// </summary>
    /// <param name="x">Input (..., L).</param>
    /// <param name="kernelSize">Window length.</param>
    /// <param name="stride">Step between windows; null: the kernel size (PyTorch's default).</param>
    /// <param name="ceilMode">Keep a last, partial window (PyTorch's <c>ceil_mode=True</c>).</param>
    public static Tensor MaxPool1d(Tensor x, int kernelSize, int? stride = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw new ArgumentException($"MaxPool1d: input must have at least one dimension, got shape {x.ShapeString}.", nameof(x));
        int s = stride ?? kernelSize;
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"MaxPool1d: kernel size must be positive, got {kernelSize}.");
        if (s < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"MaxPool1d: stride must be positive, got {s}.");
        int l = x.Dim(-1), lout = PooledLength(l, kernelSize, s, ceilMode);
        if (lout < 1)
            throw new ArgumentException($"MaxPool1d: input shape {x.ShapeString} holds no window of kernel size {kernelSize} (stride {s}, ceilMode {ceilMode}).", nameof(x));
        int rows = x.Length / Math.Max(l, 1);
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[^1] = lout;
        var y = Tensor.Output(shape);
        bool record = Tape.ShouldRecord(x);
        var argmax = record ? Tensor.ScratchInts(y.Length) : null;
        MaxPool1dForward(y.Data, argmax, x.Data, rows, l, lout, kernelSize, s);
        if (record) Tape.Record(new TapeEntry(MaxPool1dBackward, y, x, context: argmax));
        return y;
    }

    /// <summary>Output length of a 1-D pooling of <paramref name="length"/> values (PyTorch's pooling_output_shape, no padding or dilation).</summary>
    public static int PooledLength(int length, int kernelSize, int stride, bool ceilMode)
    {
        int numerator = length - kernelSize + (ceilMode ? stride - 1 : 0);
        int lout = (int)Math.Floor(numerator / (double)stride) + 1;             // division rounding down, as PyTorch's div_rtn
        // The last window must start inside the input (PyTorch drops one that would start past its end).
        if (ceilMode && (lout - 1) * stride >= length) lout--;
        return Math.Max(lout, 0);
    }

    /// <summary>y(rows, lout): the maximum of x(rows, l) over [j*stride, min(j*stride + kernel, l)); argmax (if given) its index in the row.</summary>
    internal static void MaxPool1dForward(Span<float> y, int[]? argmax, ReadOnlySpan<float> x, int rows, int l, int lout, int kernel, int stride)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * l, l);
            for (int j = 0; j < lout; j++)
            {
                int from = j * stride, to = Math.Min(from + kernel, l), best = from;
                float max = row[from];
                for (int i = from + 1; i < to && !float.IsNaN(max); i++)
                    if (row[i] > max || float.IsNaN(row[i])) { max = row[i]; best = i; }
                y[r * lout + j] = max;
                if (argmax is not null) argmax[r * lout + j] = best;
            }
        }
    }

    // dx[row, argmax] += dy[row, j]
    private static void MaxPool1dBackward(in TapeEntry e)
    {
        Tensor x = e.A!, y = e.Output;
        var argmax = (int[])e.Context!;
        int l = x.Dim(-1), lout = y.Dim(-1), rows = y.Length / lout;
        var dx = x.GradForAccumulate();
        var dy = y.GradData!;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < lout; j++)
                dx[r * l + argmax[r * lout + j]] += dy[r * lout + j];
    }
}
