using Hindsight.Inference;
using Hindsight.Layers;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// Forward-only execution of an <see cref="EsRnnNet"/>: the recurrent layer's top state after the last step
/// (<see cref="RecurrentPredictor"/>), then <c>dense</c>, tanh and <c>head</c> (<see cref="SequentialPredictor"/>), on
/// buffers sized once per batch size and window length. The results are the bits of <see cref="EsRnnNet.Forward"/>
/// without a tape. The weights are read when the predictor is made and by <see cref="Refresh"/>. One predictor
/// serves one thread at a time.
/// </summary>
public sealed class EsRnnPredictor
{
    private readonly RecurrentPredictor _recurrent;
    private readonly SequentialPredictor _head;
    // (B, hidden): the top layer's last state
    private float[] _top = [];

    /// <summary>Plans <paramref name="net"/>.</summary>
    public EsRnnPredictor(EsRnnNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        _recurrent = new RecurrentPredictor(net.Recurrent);
        _head = new SequentialPredictor([net.Dense, new Tanh(), net.Head]);
    }

    /// <summary>The predictors kept between prediction calls, one per network (refreshed when rented).</summary>
    internal static PredictorCache<EsRnnNet, EsRnnPredictor> Kept { get; } = new(net => new EsRnnPredictor(net), p => p.Refresh());

    /// <summary>Re-reads the weights (after training or loading).</summary>
    public void Refresh()
    {
        _recurrent.Refresh();
        _head.Refresh();
    }

    /// <summary>Values of an output row (H x W).</summary>
    public int OutputSize => _head.OutputSize;

    /// <summary>Runs the network on the normalised windows <paramref name="x"/> (B, L) into <paramref name="output"/> (B, H x W).</summary>
    public void Run(ReadOnlySpan<float> x, int batch, int lookback, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "EsRnnPredictor: batch must be positive.");
        int need = batch * _recurrent.OutputSize;
        if (_top.Length < need) _top = new float[need];
        var top = _top.AsSpan(0, need);
        _recurrent.Run(x, batch, lookback, top);                    // (B, L, 1) batch-first -> (B, hidden)
        _head.Run(top, batch, output);                              // -> (B, H x W)
    }
}
