using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Affine map <c>y = x W^T + b</c> (PyTorch's <c>F.linear</c>). x is (..., in), weight (out, in), bias (out) or null; y is (..., out).
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        RequireRank(weight, 2, "Linear", "weight");
        if (x.Rank == 0) throw new ArgumentException($"Linear: input must have at least one dimension, got shape {x.ShapeString}.");
        int outF = weight.Dim(0), inF = weight.Dim(1);
        if (x.Dim(-1) != inF)
            throw new ArgumentException($"Linear: input shape {x.ShapeString} has {x.Dim(-1)} features in its last dimension; weight {weight.ShapeString} expects {inF}.");
        if (bias is not null && !bias.HasShape(outF))
            throw new ArgumentException($"Linear: bias shape {bias.ShapeString} does not match weight {weight.ShapeString}; expected ({outF}).");
        int rows = x.Length / Math.Max(inF, 1);
        if (inF == 0) rows = x.Length == 0 ? 0 : rows;
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[^1] = outF;
        var y = Tensor.Output(shape);
        LinearForward(y.Data, x.Data, weight.Data, bias?.Data, rows, inF, outF);
        if (Tape.ShouldRecord(x, weight, bias))
            Tape.Record(new TapeEntry(LinearBackward, y, x, weight, bias, i0: rows));
        return y;
    }

    /// <summary>y(rows,out) = x(rows,in) w(out,in)^T + b(out).</summary>
    internal static void LinearForward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int rows, int inF, int outF)
    {
        if (b.Length != 0)
        {
            for (int r = 0; r < rows; r++) b.CopyTo(y.Slice(r * outF, outF));
            Gemm.Run(false, true, rows, outF, inF, x, inF, w, inF, y, outF, accumulate: true);
        }
        else Gemm.Run(false, true, rows, outF, inF, x, inF, w, inF, y, outF, accumulate: false);
    }

    /// <summary>Adds the gradients of <see cref="LinearForward"/>: dx += dy w; dw += dy^T x; db += column sums of dy. Empty spans are skipped.</summary>
    internal static void LinearBackward(Span<float> dx, Span<float> dw, Span<float> db, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> x, ReadOnlySpan<float> w, int rows, int inF, int outF)
    {
        if (dx.Length != 0) Gemm.Run(false, false, rows, inF, outF, dy, outF, w, inF, dx, inF, accumulate: true);
        if (dw.Length != 0) Gemm.Run(true, false, outF, inF, rows, dy, outF, x, inF, dw, inF, accumulate: true);
        if (db.Length != 0)
        {
            // Column sums of dy, row by row; narrow outputs (the seed's 1-2 wide heads) without per-row calls.
            if (outF >= 16)
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, dy.Slice(r * outF, outF), db);
            else
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < outF; j++) db[j] += dy[r * outF + j];
        }
    }

    private static void LinearBackward(in TapeEntry e)
    {
        Tensor x = e.A!, w = e.B!, y = e.Output;
        var b = e.C;
        int outF = w.Dim(0), inF = w.Dim(1);
        LinearBackward(
            x.RequiresGrad ? x.GradForAccumulate() : default,
            w.RequiresGrad ? w.GradForAccumulate() : default,
            b is not null && b.RequiresGrad ? b.GradForAccumulate() : default,
            y.GradData, x.Data, w.Data, e.I0, inF, outF);
    }
}
