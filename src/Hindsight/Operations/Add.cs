using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>Elementwise <c>a + b</c> with broadcasting (PyTorch's <c>torch.add</c>).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Add, "Add");

    /// <summary>Elementwise <c>a - b</c> with broadcasting (PyTorch's <c>torch.sub</c>).</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Sub, "Sub");

    /// <summary>Elementwise <c>a * b</c> with broadcasting (PyTorch's <c>torch.mul</c>).</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Mul, "Mul");

    private enum BinaryKind { Add, Sub, Mul }

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind, string op)
    {
        var shape = a.SameShape(b) ? a.ShapeArray : Broadcast.Shape(a, b, op);
        var y = Tensor.Output(shape);
        if (a.SameShape(b))
        {
            switch (kind)
            {
                case BinaryKind.Add: TensorPrimitives.Add(a.Data, b.Data, y.Data); break;
                case BinaryKind.Sub: TensorPrimitives.Subtract(a.Data, b.Data, y.Data); break;
                default: TensorPrimitives.Multiply(a.Data, b.Data, y.Data); break;
            }
        }
        else if (a.Length == y.Length && Broadcast.IsSuffix(shape, b) && b.Length > 0)
        {
            int w = b.Length;
            for (int r = 0; r < y.Length; r += w)
            {
                var ar = a.Data.AsSpan(r, w); var yr = y.Data.AsSpan(r, w);
                switch (kind)
                {
                    case BinaryKind.Add: TensorPrimitives.Add(ar, b.Data, yr); break;
                    case BinaryKind.Sub: TensorPrimitives.Subtract(ar, b.Data, yr); break;
                    default: TensorPrimitives.Multiply(ar, b.Data, yr); break;
                }
            }
        }
        else
        {
            var ma = Broadcast.IndexMap(shape, a); var mb = Broadcast.IndexMap(shape, b);
            for (int i = 0; i < y.Length; i++)
            {
                float x1 = a.Data[ma[i]], x2 = b.Data[mb[i]];
                y.Data[i] = kind switch { BinaryKind.Add => x1 + x2, BinaryKind.Sub => x1 - x2, _ => x1 * x2 };
            }
        }
        if (Tape.ShouldRecord(a, b))
            Tape.Record(new TapeEntry(BinaryBackward, y, a, b, i0: (int)kind));
        return y;
    }

    private static void BinaryBackward(in TapeEntry e)
    {
        Tensor a = e.A!, b = e.B!, y = e.Output;
        var kind = (BinaryKind)e.I0;
        var dy = y.GradData!;
        AccumulateOperandGrad(a, dy, y.ShapeArray, kind == BinaryKind.Mul ? b : null, 1f);
        AccumulateOperandGrad(b, dy, y.ShapeArray, kind == BinaryKind.Mul ? a : null, kind == BinaryKind.Sub ? -1f : 1f);
    }

    /// <summary>d(operand) += reduce_to_operand_shape(dy * (other ?? 1) * sign).</summary>
    private static void AccumulateOperandGrad(Tensor operand, float[] dy, int[] outShape, Tensor? other, float sign)
    {
        if (!operand.RequiresGrad) return;
        var g = operand.GradForAccumulate();
        bool same = operand.Length == dy.Length && (other is null || other.Length == dy.Length);
        if (same)
        {
            if (other is null)
            {
                if (sign == 1f) TensorPrimitives.Add(g, dy, g);
                else TensorPrimitives.MultiplyAdd(dy, sign, g, g);
            }
            else TensorPrimitives.FusedMultiplyAdd(dy, other.Data, g, g);
            return;
        }
        var mo = Broadcast.IndexMap(outShape, operand);
        var mother = other is null ? null : Broadcast.IndexMap(outShape, other);
        for (int i = 0; i < dy.Length; i++)
            g[mo[i]] += dy[i] * sign * (other is null ? 1f : other.Data[mother![i]]);
    }

    /// <summary>Multiplies every element by a constant (PyTorch's <c>x * s</c>).</summary>
    public static Tensor Scale(Tensor x, float factor)
    {
        var y = Tensor.Output(x.ShapeArray);
        TensorPrimitives.Multiply(x.Data, factor, y.Data);
        if (Tape.ShouldRecord(x))
            Tape.Record(new TapeEntry(ScaleBackward, y, x, i0: BitConverter.SingleToInt32Bits(factor)));
        return y;
    }

    private static void ScaleBackward(in TapeEntry e)
    {
        var g = e.A!.GradForAccumulate();
        TensorPrimitives.MultiplyAdd(e.Output.GradData!, BitConverter.Int32BitsToSingle(e.I0), g, g);
    }
}
