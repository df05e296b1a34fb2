using Hindsight.Layers;

namespace Hindsight.Images;

/// <summary>
/// An image classifier on flattened pixels: the seed's <c>Linear(features, classes)</c>, or an MLP
/// <c>Linear -> ReLU -> ... -> Linear</c> with the given hidden sizes, producing logits (softmax only to report
/// probabilities). The network is PyTorch's <c>nn.Sequential</c> with parameters named <c>0.weight</c>, <c>0.bias</c>,
/// <c>2.weight</c>, ..., so its model file loads into the same <c>nn.Sequential</c> in PyTorch.
/// </summary>
public sealed class ImageClassifier
{
    /// <summary>Creates a network with PyTorch's Linear initialisation drawn from <paramref name="rng"/>.</summary>
    public ImageClassifier(ImageShape shape, IReadOnlyList<string> classes, IReadOnlyList<int> hidden, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rng);
        if (classes.Count < 2) throw new ArgumentException($"classes: {classes.Count} given; a classifier needs at least 2.", nameof(classes));
        Shape = shape; Classes = classes; Hidden = hidden;
        var layers = new List<Layer>();
        int input = shape.FeatureCount;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(input, h, rng: rng));
            layers.Add(new ReLU());
            input = h;
        }
        layers.Add(new Linear(input, classes.Count, rng: rng));
        Network = new Sequential([.. layers]);
    }

    /// <summary>The preprocessing images go through before the network sees them.</summary>
    public ImageShape Shape { get; }
    /// <summary>Class names, in the order of the network's outputs.</summary>
    public IReadOnlyList<string> Classes { get; }
    /// <summary>Hidden layer sizes (empty: Linear + softmax).</summary>
    public IReadOnlyList<int> Hidden { get; }
    /// <summary>The network: (batch, features) pixels to (batch, classes) logits.</summary>
    public Sequential Network { get; }

    /// <summary>"Linear(784, 10)" or "MLP 784-128-64-10".</summary>
    public string Describe() => Hidden.Count == 0
        ? $"Linear({Shape.FeatureCount}, {Classes.Count}) + softmax"
        : $"MLP {Shape.FeatureCount}-{string.Join("-", Hidden)}-{Classes.Count} (ReLU) + softmax";

    /// <summary>The first layer's weight, (out, features): for Linear one row per class, each row an image of <see cref="Shape"/>.</summary>
    public Tensor FirstWeight => ((Linear)Network.Layers[0]).Weight;

    /// <summary>Class probabilities (softmax of the logits) of each row of <paramref name="x"/> (rows, features): (rows, classes).</summary>
    public float[] Probabilities(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var _ = Tape.NoGrad();
        return Ops.Softmax(Logits(x), -1).Data;
    }

    // The network's predictors kept between calls (one per network; another while one is rented).
    private static readonly Inference.PredictorCache<Sequential, Inference.SequentialPredictor> Kept = new(n => new Inference.SequentialPredictor(n), p => p.Refresh());

    /// <summary>
    /// The logits (rows, classes) of <paramref name="x"/> (rows, features) through the network's inference path (a
    /// <see cref="Inference.SequentialPredictor"/>, no tape): the bits of <c>Network.Forward(x)</c>.
    /// </summary>
    internal Tensor Logits(Tensor x)
    {
        var predictor = Kept.Rent(Network)!;
        var logits = predictor.Run(x);
        Kept.Return(Network, predictor);
        return logits;
    }

    /// <summary>Class probabilities of the image file at <paramref name="path"/>, read with this model's preprocessing.</summary>
    public float[] Probabilities(string path, int maxMegapixels)
    {
        var values = Shape.Read(path, maxMegapixels);
        return Probabilities(new Tensor(values, 1, values.Length));
    }
}
