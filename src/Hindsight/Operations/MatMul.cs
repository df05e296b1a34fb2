using Hindsight.Tensors.Kernels;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Matrix product of 2-D tensors, either side optionally transposed: <c>op(a) @ op(b)</c>.
    /// a is (m,k) [or (k,m) when <paramref name="transposeA"/>], b is (k,n) [or (n,k) when <paramref name="transposeB"/>]; result (m,n).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        RequireRank(a, 2, "MatMul", "left operand");
        RequireRank(b, 2, "MatMul", "right operand");
        int m = transposeA ? a.Dim(1) : a.Dim(0), k = transposeA ? a.Dim(0) : a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (k != kb)
            throw new ArgumentException($"MatMul: inner dimensions differ: {a.ShapeString}{(transposeA ? "^T" : "")} @ {b.ShapeString}{(transposeB ? "^T" : "")}.");
        var y = Tensor.Output(m, n);
        Gemm.Run(transposeA, transposeB, m, n, k, a.Data, a.Dim(1), b.Data, b.Dim(1), y.Data, n, accumulate: false);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(new TapeEntry(MatMulBackward, y, a, b, i0: (transposeA ? 1 : 0) | (transposeB ? 2 : 0)));
        return y;
    }

    private static void MatMulBackward(in TapeEntry e)
    {
        Tensor a = e.A!, b = e.B!, y = e.Output;
        bool ta = (e.I0 & 1) != 0, tb = (e.I0 & 2) != 0;
        int m = y.Dim(0), n = y.Dim(1), k = ta ? a.Dim(0) : a.Dim(1);
        var dy = y.GradData!;
        if (a.RequiresGrad)
        {
            var da = a.GradForAccumulate();
            // ta=false: dA(m,k) += dY(m,n) op(B)^T ; ta=true: dA(k,m) += op(B) dY^T
            if (!ta) Gemm.Run(false, !tb, m, k, n, dy, n, b.Data, b.Dim(1), da, k, accumulate: true);
            else Gemm.Run(tb, true, k, m, n, b.Data, b.Dim(1), dy, n, da, m, accumulate: true);
        }
        if (b.RequiresGrad)
        {
            var db = b.GradForAccumulate();
            // tb=false: dB(k,n) += op(A)^T dY ; tb=true: dB(n,k) += dY^T op(A)
            if (!tb) Gemm.Run(!ta, false, k, n, m, a.Data, a.Dim(1), dy, n, db, n, accumulate: true);
            else Gemm.Run(true, ta, n, k, m, dy, n, a.Data, a.Dim(1), db, k, accumulate: true);
        }
    }
}
