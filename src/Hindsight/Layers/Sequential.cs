namespace Hindsight.Layers;

/// <summary>
/// Layers applied in order (PyTorch's <c>nn.Sequential</c>). Children are named <c>0</c>, <c>1</c>, ... or by the
/// names given, so parameters read <c>0.weight</c> or <c>linear_with_tanh.2.bias</c> as in PyTorch.
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
