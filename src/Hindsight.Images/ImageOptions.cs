using Hindsight.Settings;

namespace Hindsight.Images;

/// <summary>How many values a pixel becomes.</summary>
public enum ImageChannels
{
    /// <summary>One value per pixel: luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's <c>convert("L")</c>).</summary>
    [SettingValue("gray")] Gray = 1,
    /// <summary>Three values per pixel, red, green, blue.</summary>
    [SettingValue("rgb")] Rgb = 3,
}

/// <summary>What reading a folder does with a file that is not a readable image.</summary>
public enum BadImagePolicy
{
    /// <summary>Stop with an error naming the file.</summary>
    [SettingValue("stop")] Stop,
    /// <summary>Leave the file out and name it in one warning.</summary>
    [SettingValue("skip")] Skip,
}

/// <summary>Settings of reading images into vectors (<see cref="ImageFolder"/>): size, channels, bad files, limits.</summary>
public sealed record ImageReadOptions
{
    /// <summary>Largest width or height accepted for <see cref="Width"/> and <see cref="Height"/>.</summary>
    public const int MaxSide = 2048;

    /// <summary>Longest side of the size chosen from the data when none is given.</summary>
    public const int DefaultMaxSide = 64;

    /// <summary>Width every image is resized to; null: from the data.</summary>
    [Setting("Width every image is resized to, in pixels", Min = 1, Max = MaxSide, DefaultText = "the most common width and height in the data, shrunk to at most 64 pixels a side")]
    public int? Width { get; init; }

    /// <summary>Height every image is resized to; null: from the data.</summary>
    [Setting("Height every image is resized to, in pixels", Min = 1, Max = MaxSide, DefaultText = "the most common width and height in the data, shrunk to at most 64 pixels a side")]
    public int? Height { get; init; }

    /// <summary>Grey-scale (one value per pixel) or RGB (three); null: gray when every file is stored grey-scale.</summary>
    [Setting("Values per pixel: gray (one) or rgb (three)", DefaultText = "gray when every file is stored grey-scale, else rgb")]
    public ImageChannels? Channels { get; init; }

    /// <summary>What to do with a file that is not a readable image.</summary>
    [Setting("A file that is not a readable image: stop (an error naming it) or skip (one warning naming them)")]
    public BadImagePolicy OnBadFile { get; init; } = BadImagePolicy.Stop;

    /// <summary>Largest image accepted, in megapixels (width x height / 10^6); a larger one is an error before it is decoded.</summary>
    [Setting("Largest image accepted, in megapixels; a larger one stops the run before it is decoded", Min = 1, Max = 1000)]
    public int MaxMegapixels { get; init; } = 100;
}

/// <summary>Settings of training an image classifier (<see cref="ImageTrainer"/>).</summary>
public sealed record ImageTrainOptions
{
    /// <summary>Hidden layer sizes of an MLP (ReLU between layers); empty: the seed's <c>Linear</c> + softmax.</summary>
    [Setting("Hidden layer sizes of an MLP with ReLU, comma-separated (e.g. 128,64)", Min = 1, Max = SizeLimits.Hidden, DefaultText = "none: Linear + softmax on the pixels")]
    public IReadOnlyList<int> Hidden { get; init; } = [];

    /// <summary>Passes over the training images.</summary>
    [Setting("Passes over the training images", Min = 1, Max = SizeLimits.Epochs)]
    public int Epochs { get; init; } = 20;

    /// <summary>SGD learning rate.</summary>
    [Setting("SGD learning rate", Min = 0, MinExclusive = true)]
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>Images per SGD step.</summary>
    [Setting("Images per SGD step", Min = 1, Max = SizeLimits.Batch)]
    public int BatchSize { get; init; } = 32;

    /// <summary>Share of each class's images held out for testing.</summary>
    [Setting("Share of each class's images held out for testing", Min = 0, MinExclusive = true, Max = 1, MaxExclusive = true)]
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the split, the shuffling and the initial weights.</summary>
    [Setting("Seed of split, shuffling and initial weights")]
    public ulong Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Hidden.Count > SizeLimits.Layers) throw new ArgumentException($"hidden: {Hidden.Count} layers; at most {SizeLimits.Layers}.", "hidden");
        SettingTable.Check(this);
    }
}

/// <summary>Settings of <c>hindsight images predict</c>.</summary>
public sealed record ImagePredictOptions
{
    /// <summary>Classes shown per image, most likely first.</summary>
    [Setting("Classes shown per image, most likely first", Min = 1, Max = 100_000)]
    public int Top { get; init; } = 5;
}
