using Hindsight.Inference;
using Hindsight.Layers.Recurrent;

namespace Hindsight.Text;

/// <summary>
/// Forward-only execution of the seed's <see cref="RnnCell"/> over words of equal length: per letter the concatenation
/// of the letter and the hidden state through <c>i2h</c>, and <c>i2o</c> at the last letter only (the earlier outputs are
/// never read), on buffers sized once per batch size. The logits are the bits of <see cref="RnnCell.Forward"/>'s
/// <c>i2o</c> at the last step (its log-softmax is left to the caller). Weights are read when the predictor is made.
/// One predictor serves one thread at a time.
/// </summary>
internal sealed class CellWordPredictor(RnnCell cell)
{
    private readonly SequentialPredictor _i2h = new([cell.I2H]), _i2o = new([cell.I2O]);
    // (B, A + H) the letter and the hidden state side by side; (B, H) the next hidden state
    private float[] _combined = [], _hidden = [];

    /// <summary>Logits (B, O) after the last of <paramref name="steps"/> one-hot letters <paramref name="x"/> (T, B, A), from a zero state.</summary>
    public void Run(ReadOnlySpan<float> x, int steps, int batch, Span<float> logits)
    {
        int A = cell.InputSize, H = cell.HiddenSize, C = A + H;
        if (_combined.Length < batch * C) _combined = new float[batch * C];
        if (_hidden.Length < batch * H) _hidden = new float[batch * H];
        var combined = _combined.AsSpan(0, batch * C);
        var hidden = _hidden.AsSpan(0, batch * H);
        hidden.Clear();
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                x.Slice((t * batch + b) * A, A).CopyTo(combined.Slice(b * C, A));
                hidden.Slice(b * H, H).CopyTo(combined.Slice(b * C + A, H));
            }
            if (t < steps - 1) _i2h.Run(combined, batch, hidden);      // (B, A+H) -> (B, H)
            else _i2o.Run(combined, batch, logits);                     // (B, A+H) -> (B, O)
        }
    }
}
