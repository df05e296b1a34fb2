using SkiaSharp;

namespace Hindsight.Images;

/// <summary>
/// Decodes image files with SkiaSharp: PNG, JPEG, BMP, GIF (the first frame), WebP, and whatever else Skia reads (ICO, WBMP).
/// Pixels become numbers in [0, 1] (the byte divided by 255: the seed feeds raw 0-255, which is what a user does not
/// expect); a transparent pixel is composited over black (Skia's premultiplied colours); grey-scale is the luma
/// 0.299 R + 0.587 G + 0.114 B. The header is checked before any pixel is decoded, so a forged or huge size stops early.
/// JPEG orientation (EXIF) is not applied: pixels are read as stored.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Reads the header of <paramref name="path"/>.</summary>
    /// <exception cref="BadImageException">The file is not an image Skia can read.</exception>
    /// <exception cref="ImageTooLargeException">It has more than <paramref name="maxMegapixels"/> megapixels.</exception>
    public static ImageHeader Probe(string path, int maxMegapixels)
    {
        using var data = Open(path);
        using var codec = CreateCodec(path, data);
        return Header(path, codec, maxMegapixels);
    }

    /// <summary>Decodes <paramref name="path"/> into (height, width, channels) values in [0, 1].</summary>
    /// <exception cref="BadImageException">The file is not an image Skia can read, or is truncated or corrupt.</exception>
    /// <exception cref="ImageTooLargeException">It has more than <paramref name="maxMegapixels"/> megapixels, or its pixels cannot be allocated.</exception>
    public static DecodedImage Decode(string path, ImageChannels channels, int maxMegapixels)
    {
        using var data = Open(path);
        using var codec = CreateCodec(path, data);
        var header = Header(path, codec, maxMegapixels);
        int w = header.Width, h = header.Height, c = (int)channels;
        try
        {
            using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
            if (bitmap.GetPixels() == IntPtr.Zero) throw Unallocatable(path, header);
            var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
                throw new BadImageException(path, result == SKCodecResult.IncompleteInput
                    ? $"truncated or corrupt {header.Format} file: only part of its {w}x{h} pixels could be decoded."
                    : $"the {header.Format} pixels could not be decoded ({result}).");
            var rgba = bitmap.GetPixelSpan(); // (h, w, 4) bytes, premultiplied
            var values = new float[(long)w * h * c];
            bool colour = false;
            const float Scale = 1f / 255f;
            for (int p = 0, o = 0; p < w * h; p++)
            {
                byte r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
                colour |= r != g || g != b;
                if (c == 1) values[o++] = (0.299f * r + 0.587f * g + 0.114f * b) * Scale;
                else
                {
                    values[o++] = r * Scale;
                    values[o++] = g * Scale;
                    values[o++] = b * Scale;
                }
            }
            return new DecodedImage(w, h, channels, values, colour);
        }
        catch (OutOfMemoryException) { throw Unallocatable(path, header); }
    }

    private static ImageTooLargeException Unallocatable(string path, ImageHeader header) =>
        new($"{path}: a {header.Width}x{header.Height} image cannot be allocated in memory.");

    private static SKData Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        if (new FileInfo(path).Length == 0) throw new BadImageException(path, "empty file; not an image.");
        return SKData.Create(path) ?? throw new BadImageException(path, "could not be read.");
    }

    private static SKCodec CreateCodec(string path, SKData data) =>
        SKCodec.Create(data) ?? throw new BadImageException(path, "not an image Skia can read (PNG, JPEG, BMP, GIF, WebP expected).");

    private static ImageHeader Header(string path, SKCodec codec, int maxMegapixels)
    {
        var info = codec.Info;
        string format = codec.EncodedFormat.ToString().ToLowerInvariant();
        if (info.Width <= 0 || info.Height <= 0) throw new BadImageException(path, $"the {format} header gives a size of {info.Width}x{info.Height}.");
        long pixels = (long)info.Width * info.Height;
        if (pixels > maxMegapixels * 1_000_000L)
            throw new ImageTooLargeException($"{path}: a {info.Width}x{info.Height} image ({pixels / 1e6:0.#} megapixels) is larger than maxMegapixels {maxMegapixels}; nothing was decoded.");
        if (pixels * 4 > Array.MaxLength)
            throw new ImageTooLargeException($"{path}: a {info.Width}x{info.Height} image cannot be decoded into one buffer; nothing was decoded.");
        return new ImageHeader(info.Width, info.Height, info.ColorType == SKColorType.Gray8, format);
    }
}
