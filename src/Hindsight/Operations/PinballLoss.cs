using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// The pinball (quantile) loss of <paramref name="prediction"/> at the quantiles <paramref name="quantiles"/> (Q of them),
    /// fused (one tape entry). With d = target - prediction, the loss of an element at quantile tau is
    /// <c>max(tau d, (tau - 1) d)</c>: tau 0.5 is half the absolute error; tau below 0.5 penalises over-forecasts more.
    /// Effectively <c>torch.maximum(tau * d, (tau - 1) * d)</c>, reduced as <paramref name="reduction"/> says, including
    /// the gradient at d = 0 (the mean of the two sides, as <c>torch.maximum</c> splits a tie: tau - 0.5 with respect to d).
    /// </summary>
    /// <param name="prediction">Any shape whose last dimension runs over the quantiles: (B, H*Q) or (B, H, Q), quantile
    /// fastest; with Q = 1 any shape.</param>
    /// <param name="target">Either the prediction's shape, or one value per Q predictions (B, H): target j is compared with
    /// predictions j*Q .. j*Q+Q-1.</param>
    /// <param name="quantiles">The quantile levels, each in (0, 1), in the order of the prediction's last dimension.</param>
    /// <param name="reduction">Mean (over every prediction), sum, or none (one value per prediction).</param>
    /// <exception cref="ArgumentException">No quantiles, a quantile outside (0, 1), or shapes that do not fit.</exception>
    public static Tensor PinballLoss(Tensor prediction, Tensor target, ReadOnlySpan<float> quantiles, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        int q = quantiles.Length;
        if (q == 0) throw new ArgumentException("PinballLoss: no quantiles given.", nameof(quantiles));
        foreach (float tau in quantiles)
            if (!(tau > 0 && tau < 1)) throw new ArgumentOutOfRangeException(nameof(quantiles), tau, $"PinballLoss: a quantile must lie in (0, 1), got {tau}.");
        int n = prediction.Length;
        if (n % q != 0 || prediction.Rank == 0 || (q > 1 && prediction.Dim(-1) % q != 0))
            throw new ArgumentException($"PinballLoss: prediction shape {prediction.ShapeString} does not end in a multiple of the {q} quantiles.", nameof(prediction));
        bool perQuantileTarget = target.Length == n;
        if (!perQuantileTarget && target.Length * q != n)
            throw new ArgumentException($"PinballLoss: target shape {target.ShapeString} fits prediction shape {prediction.ShapeString} neither element by element nor one value per {q} quantiles.", nameof(target));
        var taus = quantiles.ToArray();
        var y = reduction == Reduction.None ? Tensor.Output(prediction.Shape) : Tensor.Output(ReadOnlySpan<int>.Empty);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            float tau = taus[i % q];
            float d = target.Data[perQuantileTarget ? i : i / q] - prediction.Data[i];
            float v = MathF.Max(tau * d, (tau - 1f) * d);
            if (reduction == Reduction.None) y.Data[i] = v;
            else s += v;
        }
        if (reduction != Reduction.None) y.Data[0] = (float)(reduction == Reduction.Mean ? s / n : s);
        if (Tape.ShouldRecord(prediction, target))
            Tape.Record(new TapeEntry(PinballLossBackward, y, prediction, target, i0: (int)reduction, i1: perQuantileTarget ? 1 : 0, context: taus));
        return y;
    }

    // d loss / d prediction = -tau where d > 0, 1 - tau where d < 0, 0.5 - tau at d = 0; the target gets the negative,
    // summed over its quantiles.
    private static void PinballLossBackward(in TapeEntry e)
    {
        Tensor p = e.A!, t = e.B!, y = e.Output;
        var reduction = (Reduction)e.I0;
        bool perQuantileTarget = e.I1 == 1;
        var taus = (float[])e.Context!;
        int n = p.Length, q = taus.Length;
        var dy = y.GradData!;
        float scale = reduction == Reduction.Mean ? 1f / n : 1f;
        var dp = p.RequiresGrad ? p.GradForAccumulate() : default;
        var dt = t.RequiresGrad ? t.GradForAccumulate() : default;
        for (int i = 0; i < n; i++)
        {
            float tau = taus[i % q];
            int j = perQuantileTarget ? i : i / q;
            float d = t.Data[j] - p.Data[i];
            float g = reduction == Reduction.None ? dy[i] : dy[0] * scale;
            float local = d > 0 ? -tau : d < 0 ? 1f - tau : 0.5f - tau; // d loss / d prediction
            if (dp.Length != 0) dp[i] += g * local;
            if (dt.Length != 0) dt[j] -= g * local;
        }
    }
}
