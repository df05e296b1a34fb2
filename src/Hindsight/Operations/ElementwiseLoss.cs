using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    private enum PointLoss { Mse, L1, Huber }

    /// <summary>Mean squared error (PyTorch's <c>F.mse_loss</c>).</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean) =>
        PointwiseLoss(prediction, target, reduction, PointLoss.Mse, 0f, "MseLoss");

    /// <summary>Mean absolute error (PyTorch's <c>F.l1_loss</c>); the gradient at 0 is 0 as in PyTorch.</summary>
    public static Tensor L1Loss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean) =>
        PointwiseLoss(prediction, target, reduction, PointLoss.L1, 0f, "L1Loss");

    /// <summary>Huber loss (PyTorch's <c>F.huber_loss</c>): 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta).</summary>
    public static Tensor HuberLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean, float delta = 1f)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), $"HuberLoss: delta must be positive, got {delta}.");
        return PointwiseLoss(prediction, target, reduction, PointLoss.Huber, delta, "HuberLoss");
    }

    private static Tensor PointwiseLoss(Tensor p, Tensor t, Reduction reduction, PointLoss kind, float delta, string op)
    {
        if (!p.SameShape(t))
            throw new ArgumentException($"{op}: prediction shape {p.ShapeString} and target shape {t.ShapeString} differ.");
        int n = p.Length;
        var y = reduction == Reduction.None ? Tensor.Output(p.Shape) : Tensor.Output(ReadOnlySpan<int>.Empty);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            float d = p.Data[i] - t.Data[i];
            float v = kind switch
            {
                PointLoss.Mse => d * d,
                PointLoss.L1 => MathF.Abs(d),
                _ => MathF.Abs(d) < delta ? 0.5f * d * d : delta * (MathF.Abs(d) - 0.5f * delta),
            };
            if (reduction == Reduction.None) y.Data[i] = v;
            else s += v;
        }
        if (reduction != Reduction.None) y.Data[0] = (float)(reduction == Reduction.Mean ? s / n : s);
        if (Tape.ShouldRecord(p, t))
            Tape.Record(new TapeEntry(PointwiseLossBackward, y, p, t, i0: (int)kind | ((int)reduction << 4), i1: BitConverter.SingleToInt32Bits(delta)));
        return y;
    }

    private static void PointwiseLossBackward(in TapeEntry e)
    {
        Tensor p = e.A!, t = e.B!, y = e.Output;
        var kind = (PointLoss)(e.I0 & 0xF);
        var reduction = (Reduction)(e.I0 >> 4);
        float delta = BitConverter.Int32BitsToSingle(e.I1);
        int n = p.Length;
        var dy = y.GradData!;
        float scale = reduction == Reduction.Mean ? 1f / n : 1f;
        var dp = p.RequiresGrad ? p.GradForAccumulate() : default;
        var dt = t.RequiresGrad ? t.GradForAccumulate() : default;
        for (int i = 0; i < n; i++)
        {
            float d = p.Data[i] - t.Data[i];
            float g = reduction == Reduction.None ? dy[i] : dy[0] * scale;
            float local = kind switch
            {
                PointLoss.Mse => 2f * d,
                PointLoss.L1 => MathF.Sign(d),
                _ => MathF.Abs(d) < delta ? d : delta * MathF.Sign(d),
            };
            if (dp.Length != 0) dp[i] += g * local;
            if (dt.Length != 0) dt[i] -= g * local;
        }
    }
}
