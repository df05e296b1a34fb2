using Hindsight.Images;
using SkiaSharp;

namespace Hindsight.Tests.Images;

/// <summary>Each format decodes to the pixels written, scaled to [0, 1]; channels are converted as documented.</summary>
public class ImageDecoderTests
{
    // a 3x2 picture: red, green, blue / white, black, grey 128
    private static readonly SKColor[] Colours = [SKColors.Red, new SKColor(0, 255, 0), SKColors.Blue, SKColors.White, SKColors.Black, new SKColor(128, 128, 128)];
    private static SKColor At(int x, int y) => Colours[y * 3 + x];

    private static void AssertRgb(DecodedImage image, float tolerance)
    {
        Assert.Equal((3, 2, ImageChannels.Rgb), (image.Width, image.Height, image.Channels));
        Assert.Equal(18, image.Values.Length);
        for (int p = 0; p < 6; p++)
        {
            var c = Colours[p];
            Assert.Equal(c.Red / 255f, image.Values[3 * p], tolerance);
            Assert.Equal(c.Green / 255f, image.Values[3 * p + 1], tolerance);
            Assert.Equal(c.Blue / 255f, image.Values[3 * p + 2], tolerance);
        }
        Assert.True(image.Colour);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "png")]
    [InlineData(SKEncodedImageFormat.Webp, "webp")]
    public void LosslessFormatsDecodeExactly(SKEncodedImageFormat format, string ext)
    {
        using var files = new ImageFiles();
        using var bitmap = ImageFiles.Bitmap(3, 2, At);
        var path = files.Write($"a.{ext}", bitmap, format);
        Assert.Equal(ext, ImageDecoder.Probe(path, 1).Format);
        AssertRgb(ImageDecoder.Decode(path, ImageChannels.Rgb, 1), 0f);
    }

    [Fact]
    public void JpegDecodesCloseToThePixelsWritten()
    {
        using var files = new ImageFiles();
        // JPEG is lossy and subsamples colour: a flat 16x16 colour survives to within a few levels
        using var bitmap = ImageFiles.Bitmap(16, 16, (_, _) => new SKColor(200, 60, 30));
        var path = files.Write("a.jpg", bitmap, SKEncodedImageFormat.Jpeg);
        var image = ImageDecoder.Decode(path, ImageChannels.Rgb, 1);
        Assert.Equal("jpeg", ImageDecoder.Probe(path, 1).Format);
        Assert.Equal(16 * 16 * 3, image.Values.Length);
        Assert.Equal(200 / 255f, image.Values[0], 0.03f);
        Assert.Equal(60 / 255f, image.Values[1], 0.03f);
        Assert.Equal(30 / 255f, image.Values[2], 0.03f);
    }

    [Fact]
    public void BmpWrittenByHandDecodesExactly()
    {
        using var files = new ImageFiles();
        var path = files.WriteBmp("a.bmp", 3, 2, At);
        Assert.Equal("bmp", ImageDecoder.Probe(path, 1).Format);
        AssertRgb(ImageDecoder.Decode(path, ImageChannels.Rgb, 1), 0f);
    }

    [Fact]
    public void GifWrittenByHandDecodesItsPaletteColours()
    {
        using var files = new ImageFiles();
        SKColor[] palette = [SKColors.Black, SKColors.Red, new SKColor(0, 255, 0), SKColors.White];
        int[] indices = [1, 2, 0, 3, 3, 1];
        var path = files.WriteGif("a.gif", 3, 2, palette, (x, y) => indices[y * 3 + x]);
        Assert.Equal("gif", ImageDecoder.Probe(path, 1).Format);
        var image = ImageDecoder.Decode(path, ImageChannels.Rgb, 1);
        for (int p = 0; p < 6; p++)
        {
            var c = palette[indices[p]];
            Assert.Equal(new[] { c.Red / 255f, c.Green / 255f, c.Blue / 255f }, image.Values[(3 * p)..(3 * p + 3)]);
        }
    }

    [Fact]
    public void GrayIsTheBt601LumaOfEachPixel()
    {
        using var files = new ImageFiles();
        using var bitmap = ImageFiles.Bitmap(3, 2, At);
        var path = files.Write("a.png", bitmap, SKEncodedImageFormat.Png);
        var image = ImageDecoder.Decode(path, ImageChannels.Gray, 1);
        Assert.Equal(6, image.Values.Length);
        for (int p = 0; p < 6; p++)
        {
            var c = Colours[p];
            Assert.Equal((0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f, image.Values[p], 1e-6f);
        }
        Assert.True(image.Colour);
    }

    [Fact]
    public void AGreyFileIsRepeatedIntoRgbAndKnownAsStoredGray()
    {
        using var files = new ImageFiles();
        var path = files.WriteGrayPng("g.png", 2, 2, (x, y) => (byte)(60 * (y * 2 + x)));
        Assert.True(ImageDecoder.Probe(path, 1).StoredGray);
        var rgb = ImageDecoder.Decode(path, ImageChannels.Rgb, 1);
        Assert.False(rgb.Colour);
        for (int p = 0; p < 4; p++)
            Assert.All(rgb.Values[(3 * p)..(3 * p + 3)], v => Assert.Equal(60 * p / 255f, v, 1e-6f));
        Assert.Equal([0f, 60 / 255f, 120 / 255f, 180 / 255f], ImageDecoder.Decode(path, ImageChannels.Gray, 1).Values, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void TransparencyIsCompositedOverBlack()
    {
        using var files = new ImageFiles();
        using var bitmap = ImageFiles.Bitmap(2, 1, (x, _) => x == 0 ? new SKColor(255, 255, 255, 0) : new SKColor(255, 255, 255, 255));
        var path = files.Write("t.png", bitmap, SKEncodedImageFormat.Png);
        Assert.Equal([0f, 1f], ImageDecoder.Decode(path, ImageChannels.Gray, 1).Values, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void AFileThatIsNotAnImageIsNamed()
    {
        using var files = new ImageFiles();
        var text = files.WriteText("notes.png", "not an image at all");
        var ex = Assert.Throws<BadImageException>(() => ImageDecoder.Decode(text, ImageChannels.Gray, 1));
        Assert.Equal(text, ex.File);
        Assert.StartsWith(text + ": not an image", ex.Message);
        var empty = files.WriteBytes("empty.jpg", []);
        Assert.Contains("empty file", Assert.Throws<BadImageException>(() => ImageDecoder.Probe(empty, 1)).Message);
    }

    [Fact]
    public void ATruncatedFileIsBad()
    {
        using var files = new ImageFiles();
        using var bitmap = ImageFiles.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var path = files.Write("cut.png", bitmap, SKEncodedImageFormat.Png);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<BadImageException>(() => ImageDecoder.Decode(path, ImageChannels.Rgb, 1));
        Assert.Contains("truncated or corrupt", ex.Message);
    }

    [Fact]
    public void AHeaderLargerThanTheLimitStopsBeforeDecoding()
    {
        using var files = new ImageFiles();
        // a BMP header claiming 40000 x 40000 pixels (1600 megapixels) over 1 pixel of data
        var path = files.WriteBmp("huge.bmp", 1, 1, (_, _) => SKColors.White, claimedWidth: 40000, claimedHeight: 40000);
        var ex = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(path, ImageChannels.Gray, 100));
        Assert.Contains("40000x40000", ex.Message);
        Assert.Contains("maxMegapixels 100", ex.Message);
    }
}
