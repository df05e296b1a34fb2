using Hindsight.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Hindsight.Layers.Recurrent;

/// <summary>Nonlinearity of an Elman <see cref="Rnn"/> (PyTorch's <c>nonlinearity='tanh'|'relu'</c>).</summary>
public enum RnnNonlinearity
{
    /// <summary>h_t = tanh(...).</summary>
    Tanh,
    /// <summary>h_t = max(0, ...).</summary>
    Relu,
}

/// <summary>
/// Elman recurrent network (PyTorch's <c>nn.RNN</c>): per layer and direction
/// <c>h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)</c>, act tanh or relu.
/// Parameters <c>weight_ih_l{k}</c> (H, I or D*H), <c>weight_hh_l{k}</c> (H, H), <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (H),
/// and <c>..._reverse</c> when bidirectional; all initialised U(-1/sqrt(H), 1/sqrt(H)).
/// </summary>
public sealed class Rnn : RecurrentBase
{
    /// <summary>The nonlinearity.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>Creates the layer (arguments as <c>nn.RNN</c>); <paramref name="rng"/> draws the initial weights and the dropout masks.</summary>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, float dropout = 0, bool bidirectional = false, Rng? rng = null)
        : base(nonlinearity == RnnNonlinearity.Relu ? CellKind.RnnRelu : CellKind.RnnTanh, "Rnn", inputSize, hiddenSize, numLayers,
            bias, batchFirst, dropout, bidirectional, rng)
    {
        Nonlinearity = nonlinearity;
    }

    // h = act(pre); invalid rows keep h_{t-1}
    private protected override void StepForward(ref StepSpans s)
    {
        int H = s.H;
        bool relu = Kind == CellKind.RnnRelu;
        if (s.AllValid)
        {
            if (relu) TensorPrimitives.Max(s.Gates, 0f, s.Gates); else Activation.Tanh(s.Gates, s.Gates);
            s.Gates.CopyTo(s.HCur);
            return;
        }
        for (int b = 0; b < s.B; b++)
        {
            var hCur = s.HCur.Slice(b * H, H);
            if (!s.Valid(b)) { s.HPrev.Slice(b * H, H).CopyTo(hCur); continue; }
            var g = s.Gates.Slice(b * H, H);
            if (relu) TensorPrimitives.Max(g, 0f, g); else Activation.Tanh(g, g);
            g.CopyTo(hCur);
        }
    }

    // dpre = dh * act'(h)
    private protected override void StepBackward(ref StepSpans s)
    {
        int H = s.H;
        bool relu = Kind == CellKind.RnnRelu;
        if (s.AllValid)
        {
            ReadOnlySpan<float> h = s.Gates, dhAll = s.Dh;
            var dgAll = s.DGi;
            if (relu) for (int j = 0; j < h.Length; j++) dgAll[j] = h[j] > 0f ? dhAll[j] : 0f;
            else
            {
                // dg = dh * (1 - h^2)
                TensorPrimitives.Multiply(h, h, dgAll);
                TensorPrimitives.Subtract(1f, dgAll, dgAll);
                TensorPrimitives.Multiply(dgAll, dhAll, dgAll);
            }
            s.DhPrev.Clear();
            return;
        }
        for (int b = 0; b < s.B; b++)
        {
            var dh = s.Dh.Slice(b * H, H); var dhPrev = s.DhPrev.Slice(b * H, H); var dg = s.DGi.Slice(b * H, H);
            if (!s.Valid(b)) { dg.Clear(); dh.CopyTo(dhPrev); continue; }
            var h = s.Gates.Slice(b * H, H);
            if (relu) for (int j = 0; j < H; j++) dg[j] = h[j] > 0f ? dh[j] : 0f;
            else for (int j = 0; j < H; j++) dg[j] = dh[j] * (1f - h[j] * h[j]);
            dhPrev.Clear();
        }
    }
}
