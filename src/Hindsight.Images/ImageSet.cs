using Hindsight.Data;

namespace Hindsight.Images;

/// <summary>
/// Labelled images as vectors: row i is the image <see cref="Files"/>[i] of class <see cref="Classes"/>[<see cref="Labels"/>[i]],
/// preprocessed to <see cref="Shape"/>. Read from a folder per class with <see cref="ImageFolder.Load"/>.
/// </summary>
public sealed class ImageSet
{
    /// <summary>Creates a set from vectors already made (checks that the sizes agree).</summary>
    /// <param name="classes">Class names, in label order.</param>
    /// <param name="files">The file of each row (named in reports).</param>
    /// <param name="labels">The class index of each row.</param>
    /// <param name="pixels">(rows, <paramref name="shape"/>.FeatureCount) row-major.</param>
    /// <param name="shape">The preprocessing the vectors went through.</param>
    public ImageSet(IReadOnlyList<string> classes, IReadOnlyList<string> files, int[] labels, float[] pixels, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(shape);
        if (files.Count != labels.Length) throw new ArgumentException($"files: {files.Count} files for {labels.Length} labels.", nameof(files));
        if ((long)labels.Length * shape.FeatureCount != pixels.Length)
            throw new ArgumentException($"pixels: {pixels.Length} values, expected {labels.Length} x {shape.FeatureCount}.", nameof(pixels));
        foreach (int l in labels)
            if ((uint)l >= (uint)classes.Count) throw new ArgumentException($"labels: {l} is not a class index (0 to {classes.Count - 1}).", nameof(labels));
        Classes = classes; Files = files; Labels = labels; Pixels = pixels; Shape = shape;
    }

    /// <summary>Class names (the folder names), in label order.</summary>
    public IReadOnlyList<string> Classes { get; }
    /// <summary>The file of each row.</summary>
    public IReadOnlyList<string> Files { get; }
    /// <summary>The class index of each row.</summary>
    public int[] Labels { get; }
    /// <summary>(rows, features) row-major, values in [0, 1].</summary>
    public float[] Pixels { get; }
    /// <summary>Size and channels of every row.</summary>
    public ImageShape Shape { get; }
    /// <summary>The folder read (named in errors), or empty.</summary>
    public string Source { get; init; } = "";
    /// <summary>What reading changed, each said once: images resized, colours converted, files skipped.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>Files left out because they are not readable images (with <see cref="BadImagePolicy.Skip"/>).</summary>
    public IReadOnlyList<BadImageException> Skipped { get; init; } = [];

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The rows at <paramref name="indices"/> as a (n, features) tensor.</summary>
    public Tensor Rows(ReadOnlySpan<int> indices)
    {
        int f = Shape.FeatureCount;
        var t = new Tensor(indices.Length, f);
        for (int i = 0; i < indices.Length; i++) Pixels.AsSpan(indices[i] * f, f).CopyTo(t.Data.AsSpan(i * f, f));
        return t;
    }

    /// <summary>
    /// A held-out split per class: each class's images are shuffled (seeded) and round(n x <paramref name="testFraction"/>)
    /// of them, at least 1 and at most n - 1, are held out, so every class is in both parts in its own proportion.
    /// Returns row indices, class by class.
    /// </summary>
    /// <exception cref="DataFormatException">A class has fewer than 2 images.</exception>
    public (int[] Train, int[] Test) Split(double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be between 0 and 1 (exclusive).");
        var rng = new Rng(seed);
        var train = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < Classes.Count; c++)
        {
            var rows = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            if (rows.Length < 2)
                throw new DataFormatException(Source, null, null,
                    $"class '{Classes[c]}' has {rows.Length} image{(rows.Length == 1 ? "" : "s")}; the held-out split needs at least 2 per class (one to train on, one to test).");
            rng.Shuffle(rows.AsSpan());
            int held = Math.Clamp((int)Math.Round(rows.Length * testFraction), 1, rows.Length - 1);
            test.AddRange(rows[..held]);
            train.AddRange(rows[held..]);
        }
        return ([.. train], [.. test]);
    }
}
