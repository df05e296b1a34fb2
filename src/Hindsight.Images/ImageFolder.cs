using Hindsight.Data;
using Hindsight.Settings;

namespace Hindsight.Images;

/// <summary>
/// Reads a folder that holds one folder per class of image files (<c>DIR/cat/1.jpg</c>, <c>DIR/dog/a.png</c>): the class
/// names are the folder names (sorted ordinally; label i is the i-th), every file directly inside a class folder is an
/// image of that class (names starting with '.' are ignored, as are nested folders). All images are brought to one
/// <see cref="ImageShape"/>: resized and converted to the channels asked for, which is said once in
/// <see cref="ImageSet.Notes"/>, not per image.
/// </summary>
public static class ImageFolder
{
    /// <summary>Reads <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">Fewer than 2 class folders, or a class folder without readable images.</exception>
    /// <exception cref="BadImageException">A file is not a readable image and <see cref="ImageReadOptions.OnBadFile"/> is stop.</exception>
    /// <exception cref="ImageTooLargeException">An image, or all of them together, cannot be allocated.</exception>
    public static ImageSet Load(string folder, ImageReadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        SettingTable.Check(options);
        if (File.Exists(folder)) throw new DataFormatException(folder, null, null, "is a file; expected a folder holding one folder per class of images.");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder not found.");
        var notes = new List<string>();
        var classDirs = Visible(Directory.GetDirectories(folder));
        int loose = Visible(Directory.GetFiles(folder)).Length;
        if (classDirs.Length < 2)
            throw new DataFormatException(folder, null, null, classDirs.Length == 0
                ? $"holds no class folders{(loose > 0 ? $" ({loose} files directly in it)" : "")}; expected one folder per class of images (e.g. {folder}/cat/1.jpg, {folder}/dog/1.jpg)."
                : $"holds one class folder ('{Path.GetFileName(classDirs[0])}'); a classifier needs at least 2 classes, one folder each.");
        if (loose > 0) notes.Add($"{loose} file{(loose == 1 ? "" : "s")} directly in {folder} belong to no class folder: ignored.");
        var classes = classDirs.Select(Path.GetFileName).ToArray();
        var files = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            var inClass = Visible(Directory.GetFiles(classDirs[c]));
            if (inClass.Length == 0) throw new DataFormatException(classDirs[c], null, null, $"class folder '{classes[c]}' holds no images.");
            files.AddRange(inClass);
            labels.AddRange(Enumerable.Repeat(c, inClass.Length));
        }

        // 1. headers: sizes and stored channels, without decoding a pixel
        var headers = new ImageHeader?[files.Count];
        var bad = new BadImageException?[files.Count];
        var failed = new Exception?[files.Count]; // anything else (too large, I/O): stops, first in file order
        Parallel.For(0, files.Count, i =>
        {
            try { headers[i] = ImageDecoder.Probe(files[i], options.MaxMegapixels); }
            catch (BadImageException ex) { bad[i] = ex; }
            catch (Exception ex) { failed[i] = ex; }
        });
        ThrowFirst(failed);
        FailOnBad(bad, options);
        var readable = Enumerable.Range(0, files.Count).Where(i => headers[i] is not null).ToArray();
        var shape = ChooseShape(readable.Select(i => headers[i]!).ToArray(), options);
        long total = (long)readable.Length * shape.FeatureCount;
        if (total > Array.MaxLength)
            throw new ImageTooLargeException($"{folder}: {readable.Length} images of {shape} are {total:N0} values, more than one array holds; choose a smaller width and height.");

        // 2. pixels: decode, convert, resize (in parallel; results in file order)
        var vectors = new float[files.Count][];
        var decodedSize = new (int W, int H, bool Colour)[files.Count];
        Parallel.ForEach(readable, i =>
        {
            try { vectors[i] = shape.Read(files[i], options.MaxMegapixels, out decodedSize[i]); }
            catch (BadImageException ex) { bad[i] = ex; }
            catch (Exception ex) { failed[i] = ex; }
        });
        ThrowFirst(failed);
        FailOnBad(bad, options);
        var kept = readable.Where(i => vectors[i] is not null).ToArray();
        for (int c = 0; c < classes.Length; c++)
            if (!kept.Any(i => labels[i] == c))
                throw new DataFormatException(classDirs[c], null, null, $"class folder '{classes[c]}' has no readable images (every file was skipped).");
        float[] pixels;
        try { pixels = new float[(long)kept.Length * shape.FeatureCount]; }
        catch (OutOfMemoryException) { throw new ImageTooLargeException($"{folder}: {kept.Length} images of {shape} ({total:N0} values) cannot be allocated; choose a smaller width and height."); }
        for (int r = 0; r < kept.Length; r++) vectors[kept[r]].CopyTo(pixels, (long)r * shape.FeatureCount);

        var skipped = bad.Where(b => b is not null).Select(b => b!).ToList();
        notes.AddRange(Conversions(kept.Select(i => decodedSize[i]).ToArray(), kept.Select(i => headers[i]!.StoredGray).ToArray(), shape));
        if (skipped.Count > 0)
            notes.Add($"skipped {skipped.Count} file{(skipped.Count == 1 ? "" : "s")} that {(skipped.Count == 1 ? "is" : "are")} not a readable image: " +
                string.Join("; ", skipped.Take(5).Select(s => s.Message)) + (skipped.Count > 5 ? $"; and {skipped.Count - 5} more" : "") + ".");
        return new ImageSet(classes!, kept.Select(i => files[i]).ToArray(), kept.Select(i => labels[i]).ToArray(), pixels, shape)
        {
            Source = folder, Notes = notes, Skipped = skipped,
        };
    }

    /// <summary>
    /// The shape images are brought to: the options' width and height, else the most common size in the data (the first
    /// met on a tie) shrunk to at most <see cref="ImageReadOptions.DefaultMaxSide"/> a side, keeping its aspect ratio; a
    /// width alone keeps the common aspect ratio for the height, and the other way round. Channels: the option's, else
    /// gray when every file stores grey values.
    /// </summary>
    public static ImageShape ChooseShape(IReadOnlyList<ImageHeader> headers, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(options);
        var channels = options.Channels ?? (headers.All(h => h.StoredGray) ? ImageChannels.Gray : ImageChannels.Rgb);
        if (options.Width is int w0 && options.Height is int h0) return new ImageShape(w0, h0, channels);
        var (cw, ch) = headers.Count == 0 ? (28, 28) : headers.GroupBy(h => (h.Width, h.Height)).OrderByDescending(g => g.Count()).First().Key;
        int Clamp(double v) => Math.Clamp((int)Math.Round(v), 1, ImageReadOptions.MaxSide);
        if (options.Width is int w) return new ImageShape(w, Clamp(w * (double)ch / cw), channels);
        if (options.Height is int h) return new ImageShape(Clamp(h * (double)cw / ch), h, channels);
        double shrink = Math.Min(1.0, (double)ImageReadOptions.DefaultMaxSide / Math.Max(cw, ch));
        return new ImageShape(Clamp(cw * shrink), Clamp(ch * shrink), channels);
    }

    private static string[] Visible(string[] paths) =>
        paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();

    private static void ThrowFirst(Exception?[] failed)
    {
        if (failed.FirstOrDefault(f => f is not null) is { } first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }

    private static void FailOnBad(BadImageException?[] bad, ImageReadOptions options)
    {
        if (options.OnBadFile == BadImagePolicy.Skip) return;
        if (bad.FirstOrDefault(b => b is not null) is { } first)
            throw new BadImageException(first.File, first.Reason + " (onBadFile skip leaves such files out)");
    }

    /// <summary>What was changed, each said once.</summary>
    private static IEnumerable<string> Conversions((int W, int H, bool Colour)[] decoded, bool[] storedGray, ImageShape shape)
    {
        var sizes = decoded.GroupBy(d => (d.W, d.H)).OrderByDescending(g => g.Count()).ToArray();
        int resized = decoded.Count(d => d.W != shape.Width || d.H != shape.Height);
        if (resized > 0)
        {
            string list = string.Join(", ", sizes.Take(4).Select(g => $"{g.Key.W}x{g.Key.H} ({g.Count()})")) + (sizes.Length > 4 ? $", and {sizes.Length - 4} more sizes" : "");
            yield return resized == decoded.Length && sizes.Length == 1
                ? $"all {decoded.Length} images are {sizes[0].Key.W}x{sizes[0].Key.H}: resized to {shape.Width}x{shape.Height} (area averaging)."
                : $"{resized} of {decoded.Length} images are not {shape.Width}x{shape.Height} (sizes: {list}): resized to {shape.Width}x{shape.Height} (area averaging).";
        }
        int colour = decoded.Count(d => d.Colour);
        if (shape.Channels == ImageChannels.Gray && colour > 0)
            yield return $"{colour} of {decoded.Length} images are in colour: converted to grey-scale (0.299 R + 0.587 G + 0.114 B).";
        int gray = storedGray.Count(g => g);
        if (shape.Channels == ImageChannels.Rgb && gray > 0)
            yield return $"{gray} of {decoded.Length} images are stored grey-scale: their grey value is used for red, green and blue.";
    }
}
