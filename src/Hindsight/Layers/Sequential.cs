namespace Hindsight.Layers;

/// <summary>
/// Layers applied in order (PyTorch's <c>nn.Sequential</c>). Children are named <c>0</c>, <c>1</c>, ... or by the
/// names given, so parameters read <c>0.weight</c> or <c>linear_with_tanh.2.bias</c> as in PyTorch.
/// <para>
/// A recurrent layer (<see cref="Recurrent.RecurrentLayer"/>: Rnn, Lstm, Gru, Jordan) may be a step: it starts from a
/// zero state and passes on its output sequence only, dropping the final state (what PyTorch users write a small
/// wrapper module for, since <c>nn.LSTM</c> returns a tuple). <c>new Sequential(new Lstm(1, 32, batchFirst: true),
/// new Linear(32, 1))</c> maps (B, T, 1) to (B, T, 1). To pass a state or lengths, or to read the final state, call
/// the recurrent layer's <c>Forward(x, state, lengths)</c> yourself.
/// </para>
/// </summary>
public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    /// <summary>Layers named by position.</summary>
    public Sequential(params Layer[] layers)
    {
        for (int i = 0; i < layers.Length; i++) _layers.Add(RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]));
    }

    /// <summary>Layers with explicit names (PyTorch's <c>nn.Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(params (string Name, Layer Layer)[] layers)
    {
        foreach (var (name, layer) in layers) _layers.Add(RegisterModule(name, layer));
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }
}
