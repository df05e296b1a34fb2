using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>The recurrent cell of an ES-RNN network.</summary>
public enum EsRnnCell
{
    /// <summary>LSTM (<c>nn.LSTM</c>), as Smyl's.</summary>
    Lstm,
    /// <summary>GRU (<c>nn.GRU</c>).</summary>
    Gru,
}

/// <summary>
/// The global network of an ES-RNN: a normalised window x (B, L) read one value per step by a batch-first LSTM or GRU
/// (<c>rnn.weight_ih_l0</c>, ...), the top layer's last state through a tanh layer (<c>dense</c>) and a linear adapter
/// (<c>head</c>, zero at the start) to the normalised forecast (B, H), as Smyl's recurrent stack, nonlinear layer and adapter. No dilations:
/// the windows are a few seasons long (Smyl's dilations spanned the whole series the network stepped over).
/// </summary>
public sealed partial class EsRnnNet : Module, IOnnxExportable
{
    private readonly RecurrentBase _rnn;
    private readonly Linear _dense, _head;
    private readonly int _layers;

    /// <summary>The recurrent layer.</summary>
    public RecurrentBase Recurrent => _rnn;
    /// <summary>The tanh layer after the recurrent layer.</summary>
    public Linear Dense => _dense;
    /// <summary>The output adapter.</summary>
    public Linear Head => _head;

    /// <summary>A network of <paramref name="hidden"/> units and <paramref name="layers"/> layers forecasting <paramref name="horizon"/> values, PyTorch-initialised from <paramref name="rng"/>.</summary>
    public EsRnnNet(EsRnnCell cell, int hidden, int layers, int horizon, Rng rng) : this(cell, hidden, layers, horizon, rng, 1) { }

    /// <summary>
    /// As <see cref="EsRnnNet(EsRnnCell, int, int, int, Rng)"/> with <paramref name="outputs"/> values per step (W, a
    /// quantile or distribution head's width): the adapter forecasts (B, H x W), the W values of a step together.
    /// </summary>
    public EsRnnNet(EsRnnCell cell, int hidden, int layers, int horizon, Rng rng, int outputs)
    {
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), $"EsRnnNet: outputs per step must be positive, got {outputs}.");
        horizon *= outputs;
        _layers = layers;
        _rnn = RegisterModule<RecurrentBase>("rnn", cell == EsRnnCell.Gru
            ? new Gru(1, hidden, layers, batchFirst: true, rng: rng)
            : new Lstm(1, hidden, layers, batchFirst: true, rng: rng));
        _dense = RegisterModule("dense", new Linear(hidden, hidden, rng: rng));
        _head = RegisterModule("head", new Linear(hidden, horizon, rng: rng));
        // The adapter starts at zero (drawn first, so the other weights keep PyTorch's draws): an untrained network forecasts
        // 0 in logs, the smoothing's own forecast level x season, and training starts from that instead of a random offset.
        _head.Parameters().ToList().ForEach(p => p.Data.AsSpan().Clear());
    }

    /// <summary>x (B, L) to the normalised forecast (B, H) (B, H x W with a head of W outputs per step).</summary>
    public Tensor Forward(Tensor x)
    {
        int b = x.Dim(0), t = x.Dim(1);
        var last = _rnn.Forward(Ops.Reshape(x, b, t, 1), null, null).State.H;                 // (layers, B, hidden)
        int hidden = last.Dim(2);
        var top = _layers == 1 ? Ops.Reshape(last, b, hidden) : Ops.Select(last, 0, _layers - 1); // (B, hidden)
        return _head.Forward(Ops.Tanh(_dense.Forward(top)));                           // (B, H)
    }
}
