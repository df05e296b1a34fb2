using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Symmetric MAPE as N-BEATS and NeuralForecast train with it: per element <c>2 |p - t| / (|p| + |t|)</c>, 0 where
    /// <c>|p| + |t|</c> is 0 (their <c>divide_no_nan</c>), so the mean lies in [0, 2] (times 100: percent).
    /// The gradient follows PyTorch's autograd of that expression (0 where the denominator is 0, <c>sign(0) = 0</c>).
    /// </summary>
    /// <param name="prediction">Forecasts, any shape.</param>
    /// <param name="target">Actual values, the same shape.</param>
    /// <param name="reduction">Mean (default), sum, or one value per element.</param>
    public static Tensor SmapeLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.SameShape(target))
            throw new ArgumentException($"SmapeLoss: prediction shape {prediction.ShapeString} and target shape {target.ShapeString} differ.");
        int n = prediction.Length;
        var y = reduction == Reduction.None ? Tensor.Output(prediction.Shape) : Tensor.Output(ReadOnlySpan<int>.Empty);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            float p = prediction.Data[i], t = target.Data[i], denominator = MathF.Abs(p) + MathF.Abs(t);
            float v = denominator > 0 ? 2f * MathF.Abs(p - t) / denominator : 0f;
            if (reduction == Reduction.None) y.Data[i] = v;
            else s += v;
        }
        if (reduction != Reduction.None) y.Data[0] = (float)(reduction == Reduction.Mean ? s / n : s);
        if (Tape.ShouldRecord(prediction, target))
            Tape.Record(new TapeEntry(SmapeLossBackward, y, prediction, target, i0: (int)reduction));
        return y;
    }

    // d/dp [2|p-t| / (|p|+|t|)] = 2 sign(p-t) / S - 2 |p-t| sign(p) / S^2, and for t with the signs of (t-p) and t.
    private static void SmapeLossBackward(in TapeEntry e)
    {
        Tensor p = e.A!, t = e.B!, y = e.Output;
        var reduction = (Reduction)e.I0;
        int n = p.Length;
        var dy = y.GradData!;
        float scale = reduction == Reduction.Mean ? 1f / n : 1f;
        var dp = p.RequiresGrad ? p.GradForAccumulate() : default;
        var dt = t.RequiresGrad ? t.GradForAccumulate() : default;
        for (int i = 0; i < n; i++)
        {
            float pi = p.Data[i], ti = t.Data[i], denominator = MathF.Abs(pi) + MathF.Abs(ti);
            if (!(denominator > 0)) continue;
            float g = 2f * (reduction == Reduction.None ? dy[i] : dy[0] * scale);
            float d = pi - ti, ratio = MathF.Abs(d) / (denominator * denominator);
            if (dp.Length != 0) dp[i] += g * (MathF.Sign(d) / denominator - ratio * MathF.Sign(pi));
            if (dt.Length != 0) dt[i] += g * (-MathF.Sign(d) / denominator - ratio * MathF.Sign(ti));
        }
    }

    /// <summary>
    /// MASE-scaled absolute error as N-BEATS' <c>mase_loss</c>: per element <c>|p - t| / scale[row]</c>, where a row is one
    /// forecast (the first dimension) and its scale the in-sample seasonal naive MAE of that series
    /// (<see cref="MaseScale"/>); a row of scale 0 contributes 0 (<c>divide_no_nan</c>). The scale is a constant (no gradient).
    /// </summary>
    /// <param name="prediction">Forecasts (B, ...).</param>
    /// <param name="target">Actual values, the same shape.</param>
    /// <param name="scale">One scale per row, (B).</param>
    /// <param name="reduction">Mean over every element (default), sum, or one value per element.</param>
    public static Tensor MaseLoss(Tensor prediction, Tensor target, Tensor scale, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(scale);
        if (!prediction.SameShape(target))
            throw new ArgumentException($"MaseLoss: prediction shape {prediction.ShapeString} and target shape {target.ShapeString} differ.");
        if (prediction.Rank < 1 || scale.Rank != 1 || scale.Dim(0) != prediction.Dim(0))
            throw new ArgumentException($"MaseLoss: scale shape {scale.ShapeString} must be (B) for prediction shape {prediction.ShapeString}.", nameof(scale));
        int n = prediction.Length, rows = prediction.Dim(0), width = rows == 0 ? 0 : n / rows;
        var y = reduction == Reduction.None ? Tensor.Output(prediction.Shape) : Tensor.Output(ReadOnlySpan<int>.Empty);
        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            float inverse = InverseOrZero(scale.Data[r]);
            for (int i = r * width; i < (r + 1) * width; i++)
            {
                float v = MathF.Abs(prediction.Data[i] - target.Data[i]) * inverse;
                if (reduction == Reduction.None) y.Data[i] = v;
                else s += v;
            }
        }
        if (reduction != Reduction.None) y.Data[0] = (float)(reduction == Reduction.Mean ? s / n : s);
        if (Tape.ShouldRecord(prediction, target))
            Tape.Record(new TapeEntry(MaseLossBackward, y, prediction, target, scale, i0: (int)reduction));
        return y;
    }

    private static float InverseOrZero(float scale) => scale != 0 && float.IsFinite(1f / scale) ? 1f / scale : 0f;

    private static void MaseLossBackward(in TapeEntry e)
    {
        Tensor p = e.A!, t = e.B!, scale = e.C!, y = e.Output;
        var reduction = (Reduction)e.I0;
        int n = p.Length, rows = p.Dim(0), width = rows == 0 ? 0 : n / rows;
        var dy = y.GradData!;
        float mean = reduction == Reduction.Mean ? 1f / n : 1f;
        var dp = p.RequiresGrad ? p.GradForAccumulate() : default;
        var dt = t.RequiresGrad ? t.GradForAccumulate() : default;
        for (int r = 0; r < rows; r++)
        {
            float inverse = InverseOrZero(scale.Data[r]);
            for (int i = r * width; i < (r + 1) * width; i++)
            {
                float g = (reduction == Reduction.None ? dy[i] : dy[0] * mean) * inverse * MathF.Sign(p.Data[i] - t.Data[i]);
                if (dp.Length != 0) dp[i] += g;
                if (dt.Length != 0) dt[i] -= g;
            }
        }
    }

    /// <summary>
    /// The MASE scale of one series: the mean absolute difference of its values <paramref name="period"/> apart
    /// (the in-sample seasonal naive MAE), as N-BEATS' <c>mase_loss</c> computes from the insample window; 0 when the
    /// series has no two values that far apart.
    /// </summary>
    public static float MaseScale(ReadOnlySpan<float> insample, int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (insample.Length <= period) return 0f;
        double sum = 0;
        for (int i = period; i < insample.Length; i++) sum += Math.Abs((double)insample[i] - insample[i - period]);
        return (float)(sum / (insample.Length - period));
    }
}
