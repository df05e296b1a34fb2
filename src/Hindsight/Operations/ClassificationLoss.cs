using Hindsight.Losses;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Cross-entropy on logits with class-index targets (PyTorch's <c>F.cross_entropy</c>): logits (N, C), targets N indices.
    /// Equals <c>NllLoss(LogSoftmax(logits, 1), targets)</c>.
    /// </summary>
    public static Tensor CrossEntropyLoss(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean) =>
        ClassLoss(logits, targets, reduction, fromLogits: true, "CrossEntropyLoss");

    /// <summary>Negative log-likelihood on log-probabilities (PyTorch's <c>F.nll_loss</c>): input (N, C), targets N indices.</summary>
    public static Tensor NllLoss(Tensor logProbabilities, int[] targets, Reduction reduction = Reduction.Mean) =>
        ClassLoss(logProbabilities, targets, reduction, fromLogits: false, "NllLoss");

    private static Tensor ClassLoss(Tensor x, int[] targets, Reduction reduction, bool fromLogits, string op)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (x.Rank != 2) throw new ArgumentException($"{op}: input must be (N, C), got shape {x.ShapeString}.");
        int n = x.Dim(0), c = x.Dim(1);
        if (targets.Length != n) throw new ArgumentException($"{op}: {targets.Length} targets for input of shape {x.ShapeString}.");
        for (int i = 0; i < n; i++)
            if ((uint)targets[i] >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), $"{op}: target {targets[i]} at position {i} is outside [0, {c}).");
        // Saved for backward: log-probabilities (N, C).
        var logp = fromLogits ? Tensor.Scratch(x.Length) : x.Data;
        if (fromLogits)
            for (int i = 0; i < n; i++)
            {
                var row = x.Data.AsSpan(i * c, c);
                float max = float.NegativeInfinity;
                foreach (var v in row) max = MathF.Max(max, v);
                double s = 0;
                foreach (var v in row) s += MathF.Exp(v - max);
                float lse = max + (float)Math.Log(s);
                for (int j = 0; j < c; j++) logp[i * c + j] = row[j] - lse;
            }
        Tensor y;
        if (reduction == Reduction.None)
        {
            y = Tensor.Output(n);
            for (int i = 0; i < n; i++) y.Data[i] = -logp[i * c + targets[i]];
        }
        else
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += -logp[i * c + targets[i]];
            y = Tensor.Output(ReadOnlySpan<int>.Empty);
            y.Data[0] = (float)(reduction == Reduction.Mean ? s / n : s);
        }
        if (Tape.ShouldRecord(x))
        {
            // Saved for backward: a copy of the targets (the caller may reuse its array) and the log-probabilities.
            var saved = Tensor.ScratchInts(n);
            targets.AsSpan().CopyTo(saved);
            var savedLogp = fromLogits ? Tensor.View(logp, x.Shape) : x;
            Tape.Record(new TapeEntry(ClassLossBackward, y, x, savedLogp, i0: (int)reduction, i1: fromLogits ? 1 : 0, context: saved));
        }
        return y;
    }

    // logits: dx[i,j] = g_i * (softmax_ij - [j == t_i]); log-probabilities: dx[i, t_i] -= g_i
    private static void ClassLossBackward(in TapeEntry e)
    {
        var x = e.A!;
        var targets = (int[])e.Context!;
        var logp = e.B!.Data;
        var reduction = (Reduction)e.I0;
        bool fromLogits = e.I1 == 1;
        int n = x.Dim(0), c = x.Dim(1);
        var dy = e.Output.GradData!;
        var dx = x.GradForAccumulate();
        for (int i = 0; i < n; i++)
        {
            float g = reduction switch { Reduction.None => dy[i], Reduction.Mean => dy[0] / n, _ => dy[0] };
            if (fromLogits)
                for (int j = 0; j < c; j++) dx[i * c + j] += g * MathF.Exp(logp[i * c + j]);
            dx[i * c + targets[i]] -= g;
        }
    }
}
