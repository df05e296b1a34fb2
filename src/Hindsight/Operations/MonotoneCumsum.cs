namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Non-decreasing values along the last dimension by construction: <c>y_0 = x_0</c>, <c>y_k = y_(k-1) + softplus(x_k)</c>.
    /// Effectively <c>torch.cat([x[..., :1], F.softplus(x[..., 1:])], -1).cumsum(-1)</c>, fused (one tape entry); the
    /// running sum is kept in double, and since every increment is non-negative the rounded outputs never decrease.
    /// Used by the monotone quantile head (a first quantile plus non-negative gaps).
    /// </summary>
    /// <param name="x">Shape (..., K), K &gt;= 1.</param>
    /// <returns>Shape (..., K), non-decreasing along the last dimension.</returns>
    public static Tensor MonotoneCumsum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Dim(-1) == 0) throw new ArgumentException($"MonotoneCumsum: shape {x.ShapeString} has no last dimension to sum along.", nameof(x));
        int k = x.Dim(-1), rows = x.Length / k;
        var y = Tensor.Output(x.Shape);
        for (int r = 0; r < rows; r++)
        {
            int o = r * k;
            double running = x.Data[o];
            y.Data[o] = (float)running;
            for (int j = 1; j < k; j++)
            {
                running += Hindsight.Distributions.SpecialFunctions.Softplus(x.Data[o + j]);
                y.Data[o + j] = (float)running;
            }
        }
        if (Tape.ShouldRecord(x)) Tape.Record(new TapeEntry(MonotoneCumsumBackward, y, x));
        return y;
    }

    // y_j depends on x_k for k <= j, so dx_k = s_k * sum_(j >= k) dy_j, with s_0 = 1 and s_k = sigmoid(x_k) for k >= 1.
    private static void MonotoneCumsumBackward(in TapeEntry e)
    {
        Tensor x = e.A!;
        int k = x.Dim(-1), rows = x.Length / k;
        var dx = x.GradForAccumulate();
        var dy = e.Output.GradData!;
        for (int r = 0; r < rows; r++)
        {
            int o = r * k;
            double tail = 0;
            for (int j = k - 1; j >= 0; j--)
            {
                tail += dy[o + j];
                double local = j == 0 ? 1 : Hindsight.Distributions.SpecialFunctions.SoftplusDerivative(x.Data[o + j]);
                dx[o + j] += (float)(tail * local);
            }
        }
    }
}
