using SkiaSharp;

namespace Hindsight.Tests.Images;

/// <summary>A scratch folder of image files for tests: PNG, JPEG and WebP from Skia's encoders, BMP and GIF written by hand.</summary>
public sealed class ImageFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("hindsight-images-").FullName;

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>An image whose pixel (x, y) has colour <paramref name="pixel"/>(x, y), as RGBA.</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> pixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, pixel(x, y));
        return bitmap;
    }

    /// <summary>Writes <paramref name="bitmap"/> with Skia's encoder (PNG, JPEG or WebP; quality 100, WebP lossless).</summary>
    public string Write(string relative, SKBitmap bitmap, SKEncodedImageFormat format)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, 100) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A grey-scale PNG (8-bit grey colour type) of the given values.</summary>
    public string WriteGrayPng(string relative, int width, int height, Func<int, int, byte> value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) { byte v = value(x, y); bitmap.SetPixel(x, y, new SKColor(v, v, v)); }
        return Write(relative, bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>An uncompressed 24-bit BMP (BITMAPINFOHEADER, rows bottom-up, each padded to 4 bytes).</summary>
    public string WriteBmp(string relative, int width, int height, Func<int, int, SKColor> pixel, int? claimedWidth = null, int? claimedHeight = null)
    {
        int stride = (3 * width + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        void U16(int at, int v) => BitConverter.TryWriteBytes(bytes.AsSpan(at, 2), (ushort)v);
        void I32(int at, int v) => BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), v);
        bytes[0] = (byte)'B'; bytes[1] = (byte)'M';
        I32(2, bytes.Length); I32(10, 54); I32(14, 40);
        I32(18, claimedWidth ?? width); I32(22, claimedHeight ?? height);
        U16(26, 1); U16(28, 24); I32(34, stride * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var c = pixel(x, y);
                int at = 54 + (height - 1 - y) * stride + 3 * x;
                bytes[at] = c.Blue; bytes[at + 1] = c.Green; bytes[at + 2] = c.Red;
            }
        return WriteBytes(relative, bytes);
    }

    /// <summary>
    /// A GIF89a with a 4-colour palette. The LZW data stays uncompressed in effect: a clear code before every second pixel
    /// keeps the code width at 3 bits, so any decoder reads one palette index per code.
    /// </summary>
    public string WriteGif(string relative, int width, int height, SKColor[] palette, Func<int, int, int> index)
    {
        var b = new List<byte>();
        b.AddRange("GIF89a"u8.ToArray());
        b.AddRange([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0b1000_0001, 0, 0]); // global table of 4
        for (int i = 0; i < 4; i++) { var c = i < palette.Length ? palette[i] : SKColors.Black; b.AddRange([c.Red, c.Green, c.Blue]); }
        b.AddRange([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]); // image descriptor
        b.Add(2); // LZW minimum code size: clear = 4, end = 5, codes of 3 bits
        var codes = new List<int>();
        for (int p = 0; p < width * height; p++)
        {
            if (p % 2 == 0) codes.Add(4);
            codes.Add(index(p % width, p / width));
        }
        codes.Add(5);
        var data = new List<byte>();
        int acc = 0, bits = 0;
        foreach (int code in codes)
        {
            acc |= code << bits; bits += 3;
            while (bits >= 8) { data.Add((byte)acc); acc >>= 8; bits -= 8; }
        }
        if (bits > 0) data.Add((byte)acc);
        for (int at = 0; at < data.Count; at += 255)
        {
            int n = Math.Min(255, data.Count - at);
            b.Add((byte)n);
            b.AddRange(data.GetRange(at, n));
        }
        b.Add(0); // end of image data
        b.Add(0x3B); // trailer
        return WriteBytes(relative, [.. b]);
    }

    public string WriteBytes(string relative, byte[] bytes)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string relative, string text) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Class folders <paramref name="classes"/> with <paramref name="perClass"/> grey PNGs each (class k: a bar at column 2k).</summary>
    public string WriteClasses(string folder, string[] classes, int perClass, int size = 8)
    {
        for (int k = 0; k < classes.Length; k++)
            for (int i = 0; i < perClass; i++)
            {
                int bar = (2 * k) % size, seed = i;
                WriteGrayPng(Path.Combine(folder, classes[k], $"{i}.png"), size, size,
                    (x, y) => (byte)(x == bar ? 255 - (seed * 7 + y * 3) % 40 : (seed * 13 + x * 5 + y) % 30));
            }
        return PathOf(folder);
    }
}
