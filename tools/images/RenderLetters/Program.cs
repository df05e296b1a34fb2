// Renders the letters A-J from every font file in a folder as notMNIST-style 28x28 grey-scale PNGs (white ink on black),
// one folder per letter: OUT/<letter>/<font file name>-<variant>.png. Each font gives VARIANTS images per letter, each
// with its own glyph size, offset and rotation drawn from a seeded generator, so the same fonts give the same files.
//
//   dotnet run --project tools/images/RenderLetters -- /usr/share/fonts/truetype data/images/letters 8
using SkiaSharp;

string fontDir = args.Length > 0 ? args[0] : "/usr/share/fonts/truetype";
string outDir = args.Length > 1 ? args[1] : "data/images/letters";
int variants = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8;
const int Size = 28;
const string Letters = "ABCDEFGHIJ";

var fonts = Directory.GetFiles(fontDir, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
if (fonts.Length == 0) { Console.Error.WriteLine($"no .ttf files under {fontDir}"); return 2; }
if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
foreach (char letter in Letters) Directory.CreateDirectory(Path.Combine(outDir, letter.ToString()));

int written = 0;
for (int f = 0; f < fonts.Length; f++)
{
    using var typeface = SKTypeface.FromFile(fonts[f]);
    using var font = new SKFont(typeface, 100) { Edging = SKFontEdging.Antialias, Subpixel = true };
    string name = Path.GetFileNameWithoutExtension(fonts[f]);
    for (int l = 0; l < Letters.Length; l++)
    {
        string text = Letters[l].ToString();
        font.MeasureText(text, out SKRect bounds);
        var random = new Random(1000 * f + 10 * l + 7); // fixed per (font, letter): the set is reproducible
        for (int v = 0; v < variants; v++)
        {
            // variant 0 is the plain glyph, centred and 22 px tall (or wide); the others vary it
            float box = v == 0 ? 22f : 16f + 8f * random.NextSingle();
            float dx = v == 0 ? 0f : -2.5f + 5f * random.NextSingle();
            float dy = v == 0 ? 0f : -2.5f + 5f * random.NextSingle();
            float degrees = v == 0 ? 0f : -15f + 30f * random.NextSingle();
            float scale = box / Math.Max(bounds.Width, bounds.Height);
            using var surface = SKSurface.Create(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.Black);
            canvas.Translate(Size / 2f + dx, Size / 2f + dy);
            canvas.RotateDegrees(degrees);
            canvas.Scale(scale);
            canvas.Translate(-bounds.MidX, -bounds.MidY);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawText(text, 0, 0, SKTextAlign.Left, font, paint);
            canvas.Flush();
            using var rgba = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
            surface.ReadPixels(rgba.Info, rgba.GetPixels(), rgba.RowBytes, 0, 0);
            using var gray = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Gray8, SKAlphaType.Opaque));
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    gray.SetPixel(x, y, new SKColor(rgba.GetPixel(x, y).Red, rgba.GetPixel(x, y).Red, rgba.GetPixel(x, y).Red));
            using var data = gray.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(outDir, text, $"{name}-{v}.png"), data.ToArray());
            written++;
        }
    }
}
Console.WriteLine($"wrote {written} images ({fonts.Length} fonts x {Letters.Length} letters x {variants} variants) to {outDir}");
return 0;
