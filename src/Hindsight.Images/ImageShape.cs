namespace Hindsight.Images;

/// <summary>
/// The preprocessing every image goes through, so a model and the images it reads agree: resize to
/// <see cref="Width"/> x <see cref="Height"/> (area averaging), <see cref="Channels"/> values per pixel, each in [0, 1],
/// flattened row by row with a pixel's channels together (an (H, W, C) array's <c>reshape(1, -1)</c>, as in the seed).
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">Gray (one value per pixel) or RGB (three).</param>
public sealed record ImageShape(int Width, int Height, ImageChannels Channels)
{
    /// <summary>Values per image: width x height x channels.</summary>
    public int FeatureCount => checked(Width * Height * (int)Channels);

    /// <summary>"28x28 gray".</summary>
    public override string ToString() => $"{Width}x{Height} {Name(Channels)}";

    /// <summary><c>gray</c> or <c>rgb</c>.</summary>
    public static string Name(ImageChannels channels) => channels == ImageChannels.Gray ? "gray" : "rgb";

    /// <summary>The image at <paramref name="path"/> as one vector of <see cref="FeatureCount"/> values.</summary>
    /// <exception cref="BadImageException">Not a readable image.</exception>
    /// <exception cref="ImageTooLargeException">Larger than <paramref name="maxMegapixels"/>.</exception>
    public float[] Read(string path, int maxMegapixels) => Read(path, maxMegapixels, out _);

    /// <summary>As <see cref="Read(string, int)"/>; <paramref name="decoded"/> tells the file's own size and colour.</summary>
    public float[] Read(string path, int maxMegapixels, out (int Width, int Height, bool Colour) decoded)
    {
        var image = ImageDecoder.Decode(path, Channels, maxMegapixels);
        decoded = (image.Width, image.Height, image.Colour);
        return ImageResize.Area(image.Values, image.Width, image.Height, (int)Channels, Width, Height);
    }
}
