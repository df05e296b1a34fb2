namespace Hindsight.Images;

/// <summary>
/// Resizes (height, width, channels) values by area averaging (PIL's <c>Image.BOX</c>, OpenCV's <c>INTER_AREA</c> when
/// shrinking): each output pixel is the mean of the input area it covers, each input pixel weighted by the share of it
/// that lies inside. Shrinking keeps every input pixel's contribution (no aliasing); enlarging repeats pixels. A constant
/// image stays constant; the same size returns a copy.
/// </summary>
public static class ImageResize
{
    /// <summary>Resizes <paramref name="values"/> (<paramref name="height"/>, <paramref name="width"/>, <paramref name="channels"/>) to (<paramref name="newHeight"/>, <paramref name="newWidth"/>, channels).</summary>
    public static float[] Area(ReadOnlySpan<float> values, int width, int height, int channels, int newWidth, int newHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(newWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(newHeight, 1);
        if ((long)width * height * channels != values.Length)
            throw new ArgumentException($"values: {values.Length} values, expected {width}x{height}x{channels}.", nameof(values));
        if (width == newWidth && height == newHeight) return values.ToArray();
        // rows first: (height, width, c) -> (height, newWidth, c), then columns: -> (newHeight, newWidth, c)
        var across = Weights(width, newWidth);
        var wide = new float[(long)height * newWidth * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < newWidth; x++)
                foreach (var (i, weight) in across[x])
                    for (int k = 0; k < channels; k++)
                        wide[((long)y * newWidth + x) * channels + k] += weight * values[(int)(((long)y * width + i) * channels + k)];
        var down = Weights(height, newHeight);
        var result = new float[(long)newHeight * newWidth * channels];
        int row = newWidth * channels;
        for (int y = 0; y < newHeight; y++)
            foreach (var (i, weight) in down[y])
                for (int j = 0; j < row; j++)
                    result[(long)y * row + j] += weight * wide[(long)i * row + j];
        return result;
    }

    /// <summary>For each of <paramref name="outSize"/> outputs, the inputs it covers and their weights (summing to 1).</summary>
    private static (int Index, float Weight)[][] Weights(int inSize, int outSize)
    {
        var result = new (int, float)[outSize][];
        double scale = (double)inSize / outSize; // input pixels per output pixel
        for (int o = 0; o < outSize; o++)
        {
            double start = o * scale, end = (o + 1) * scale;
            var list = new List<(int, float)>();
            for (int i = (int)Math.Floor(start); i < Math.Min(inSize, (int)Math.Ceiling(end)); i++)
            {
                double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 1e-12) list.Add((i, (float)(overlap / scale)));
            }
            result[o] = [.. list];
        }
        return result;
    }
}
