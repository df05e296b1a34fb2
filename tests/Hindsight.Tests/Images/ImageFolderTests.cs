using Hindsight.Data;
using Hindsight.Images;
using SkiaSharp;

namespace Hindsight.Tests.Images;

/// <summary>Reading a folder per class: labels, the common shape, conversions said once, the per-class split, bad folders.</summary>
public class ImageFolderTests
{
    [Fact]
    public void ClassesAreTheFolderNamesAndEveryImageIsOneVector()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["b", "a", "c"], 4);
        files.WriteText("set/.hidden/x.txt", "ignored");
        files.WriteText("set/a/.DS_Store", "ignored");
        var set = ImageFolder.Load(dir, new ImageReadOptions());
        Assert.Equal(["a", "b", "c"], set.Classes);
        Assert.Equal(new ImageShape(8, 8, ImageChannels.Gray), set.Shape);
        Assert.Equal(12, set.Count);
        Assert.Equal(12 * 64, set.Pixels.Length);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], set.Labels);
        Assert.Empty(set.Notes);
        // row 0 is a/0.png, written second (k = 1): its bright bar is column 2, pixel 255 -> 1
        Assert.Equal(1f, set.Pixels[2], 1e-6f);
        Assert.All(set.Pixels, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void MixedSizesAndChannelsAreConvertedAndSaidOnceEach()
    {
        using var files = new ImageFiles();
        files.WriteClasses("set", ["x", "y"], 3, size: 8);
        using var colour = ImageFiles.Bitmap(16, 16, (px, py) => new SKColor((byte)(px * 16), 0, (byte)(py * 16)));
        files.Write("set/x/big-colour.png", colour, SKEncodedImageFormat.Png);
        files.Write("set/y/big-colour.webp", colour, SKEncodedImageFormat.Webp);
        files.WriteBmp("set/y/small.bmp", 4, 4, (_, _) => SKColors.Gray);
        var set = ImageFolder.Load(files.PathOf("set"), new ImageReadOptions());
        // the most common size (8x8) wins; channels: rgb, since not every file is stored grey
        Assert.Equal(new ImageShape(8, 8, ImageChannels.Rgb), set.Shape);
        Assert.Equal(9, set.Count);
        Assert.Equal(2, set.Notes.Count); // one line for all the resizing, one for the channels
        Assert.Single(set.Notes, n => n.Contains("3 of 9 images are not 8x8", StringComparison.Ordinal) && n.Contains("16x16 (2)", StringComparison.Ordinal) && n.Contains("4x4 (1)", StringComparison.Ordinal));
        Assert.Single(set.Notes, n => n.StartsWith("6 of 9 images are stored grey-scale", StringComparison.Ordinal));

        var gray = ImageFolder.Load(files.PathOf("set"), new ImageReadOptions { Channels = ImageChannels.Gray, Width = 6, Height = 5 });
        Assert.Equal(new ImageShape(6, 5, ImageChannels.Gray), gray.Shape);
        Assert.Contains(gray.Notes, n => n.StartsWith("2 of 9 images are in colour: converted to grey-scale", StringComparison.Ordinal));
        Assert.Contains(gray.Notes, n => n.StartsWith("9 of 9 images are not 6x5", StringComparison.Ordinal));
        Assert.Equal(2, gray.Notes.Count);
    }

    [Fact]
    public void TheDefaultSizeShrinksLargeImagesKeepingTheirAspect()
    {
        ImageHeader[] photos = [new(640, 480, false, "jpeg"), new(640, 480, false, "jpeg"), new(100, 100, true, "png")];
        Assert.Equal(new ImageShape(64, 48, ImageChannels.Rgb), ImageFolder.ChooseShape(photos, new ImageReadOptions()));
        Assert.Equal(new ImageShape(32, 24, ImageChannels.Gray), ImageFolder.ChooseShape(photos, new ImageReadOptions { Width = 32, Channels = ImageChannels.Gray }));
        Assert.Equal(new ImageShape(20, 15, ImageChannels.Rgb), ImageFolder.ChooseShape(photos, new ImageReadOptions { Height = 15 }));
    }

    [Fact]
    public void TheSplitHoldsOutTheShareOfEachClassAndIsSeeded()
    {
        var labels = Enumerable.Repeat(0, 10).Concat(Enumerable.Repeat(1, 5)).Concat(Enumerable.Repeat(2, 2)).ToArray();
        var set = new ImageSet(["a", "b", "c"], labels.Select((_, i) => $"f{i}").ToArray(), labels, new float[labels.Length * 4], new ImageShape(2, 2, ImageChannels.Gray));
        var (train, test) = set.Split(0.2, seed: 3);
        Assert.Equal([2, 1, 1], Enumerable.Range(0, 3).Select(c => test.Count(i => labels[i] == c)));
        Assert.Equal([8, 4, 1], Enumerable.Range(0, 3).Select(c => train.Count(i => labels[i] == c)));
        Assert.Empty(train.Intersect(test));
        Assert.Equal(Enumerable.Range(0, labels.Length), train.Concat(test).Order());
        var again = set.Split(0.2, seed: 3);
        Assert.Equal(train, again.Train);
        Assert.Equal(test, again.Test);
        var other = set.Split(0.2, seed: 4);
        Assert.False(other.Test.SequenceEqual(test) && other.Train.SequenceEqual(train), "another seed gives another split");
    }

    [Fact]
    public void AClassWithOneImageCannotBeSplit()
    {
        int[] labels = [0, 0, 1];
        var set = new ImageSet(["a", "b"], ["1", "2", "3"], labels, new float[3], new ImageShape(1, 1, ImageChannels.Gray)) { Source = "dir" };
        var ex = Assert.Throws<DataFormatException>(() => set.Split(0.2, 0));
        Assert.Contains("class 'b' has 1 image;", ex.Message);
    }

    [Fact]
    public void BadFoldersAreNamed()
    {
        using var files = new ImageFiles();
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(files.PathOf("missing"), new ImageReadOptions()));
        files.WriteClasses("one", ["only"], 3);
        Assert.Contains("holds one class folder ('only')", Assert.Throws<DataFormatException>(() => ImageFolder.Load(files.PathOf("one"), new ImageReadOptions())).Message);
        files.WriteGrayPng("flat/1.png", 2, 2, (_, _) => 0);
        Assert.Contains("holds no class folders (1 files directly in it)", Assert.Throws<DataFormatException>(() => ImageFolder.Load(files.PathOf("flat"), new ImageReadOptions())).Message);
        files.WriteClasses("empty", ["a"], 2);
        Directory.CreateDirectory(files.PathOf("empty", "b"));
        var ex = Assert.Throws<DataFormatException>(() => ImageFolder.Load(files.PathOf("empty"), new ImageReadOptions()));
        Assert.Contains("class folder 'b' holds no images", ex.Message);
    }

    [Fact]
    public void ABadFileStopsOrIsSkippedByOption()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 3);
        var bad = files.WriteText("set/b/readme.txt", "hello");
        var ex = Assert.Throws<BadImageException>(() => ImageFolder.Load(dir, new ImageReadOptions()));
        Assert.Equal(bad, ex.File);
        Assert.Contains("onBadFile skip", ex.Message);
        var set = ImageFolder.Load(dir, new ImageReadOptions { OnBadFile = BadImagePolicy.Skip });
        Assert.Equal(6, set.Count);
        Assert.Equal(bad, Assert.Single(set.Skipped).File);
        Assert.Single(set.Notes, n => n.StartsWith("skipped 1 file that is not a readable image: " + bad, StringComparison.Ordinal));
        // a class whose every file is bad has no images left
        foreach (var f in Directory.GetFiles(files.PathOf("set", "a"))) File.WriteAllText(f, "broken");
        Assert.Contains("class folder 'a' has no readable images", Assert.Throws<DataFormatException>(() => ImageFolder.Load(dir, new ImageReadOptions { OnBadFile = BadImagePolicy.Skip })).Message);
    }
}
