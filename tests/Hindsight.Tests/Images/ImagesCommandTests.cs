using System.Text.Json;
using Hindsight.Cli;
using Hindsight.Cli.Commands;
using Hindsight.Images;
using SkiaSharp;

namespace Hindsight.Tests.Images;

/// <summary><c>hindsight images</c> on bad input: one line on stderr naming the file or folder, exit 2, nothing written.</summary>
public class ImagesCommandTests
{
    private static (int Code, string Out, string Err) Train(ImagesTrainArgs args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ImagesCommand.RunTrain(args, stdout, stderr, interactive: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ImagesTrainArgs Args(ImageFiles files, string data, ImageReadOptions? read = null) => new()
    {
        Data = data, Out = files.PathOf("out"), Train = new ImageTrainOptions { Epochs = 2 }, Read = read ?? new ImageReadOptions(),
    };

    [Fact]
    public void TrainAndPredictWriteTheModelAndChartsAndAgree()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 5);
        var (code, stdout, stderr) = Train(Args(files, dir) with { Json = true, Hidden = "4" });
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("notes").GetArrayLength());
        Assert.Equal(3, doc.RootElement.GetProperty("files").GetArrayLength());
        foreach (var f in doc.RootElement.GetProperty("files").EnumerateArray()) Assert.True(File.Exists(f.GetString()), f.GetString());
        string model = files.PathOf("out", "images-mlp.safetensors");
        var predictOut = new StringWriter();
        Assert.Equal(0, ImagesCommand.RunPredict(model, [files.PathOf("set", "b", "3.png")], 1, 100, json: true, predictOut, new StringWriter()));
        using var predicted = JsonDocument.Parse(predictOut.ToString());
        var top = predicted.RootElement.GetProperty("predictions")[0].GetProperty("top");
        Assert.Equal(1, top.GetArrayLength());
        Assert.InRange(top[0].GetProperty("probability").GetDouble(), 0.5, 1.0); // of two classes, the first shown is the likelier
    }

    [Fact]
    public void ACorruptFileStopsNamingItOrIsSkippedWithOneWarning()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 4);
        var bad = files.WriteBytes("set/a/broken.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        var (code, stdout, stderr) = Train(Args(files, dir));
        Assert.Equal(CliErrors.BadInput, code);
        Assert.Empty(stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"error: {bad}: ", line);
        Assert.Contains("--on-bad-file skip", line);
        Assert.False(Directory.Exists(files.PathOf("out")));

        (code, stdout, stderr) = Train(Args(files, dir, new ImageReadOptions { OnBadFile = BadImagePolicy.Skip }));
        Assert.True(code == 0, stderr);
        var warning = Assert.Single(Lines(stderr));
        Assert.StartsWith($"warning: skipped 1 file that is not a readable image: {bad}", warning);
        Assert.True(File.Exists(files.PathOf("out", "images-linear.safetensors")));
    }

    [Fact]
    public void AnEmptyClassFolderOrASingleClassIsOneLineExit2()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 3);
        Directory.CreateDirectory(files.PathOf("set", "c"));
        var (code, _, stderr) = Train(Args(files, dir));
        Assert.Equal(CliErrors.BadInput, code);
        Assert.Contains("class folder 'c' holds no images", Assert.Single(Lines(stderr)));
        var single = files.WriteClasses("single", ["only"], 3);
        (code, _, stderr) = Train(Args(files, single));
        Assert.Equal(CliErrors.BadInput, code);
        Assert.Contains("a classifier needs at least 2 classes", Assert.Single(Lines(stderr)));
        Assert.False(Directory.Exists(files.PathOf("out")));
    }

    [Fact]
    public void MixedSizesAndChannelsAreSaidOnceNotPerImage()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 4);
        using var colour = ImageFiles.Bitmap(12, 10, (x, y) => new SKColor((byte)(20 * x), 90, (byte)(20 * y)));
        for (int i = 0; i < 3; i++) files.Write($"set/b/colour{i}.png", colour, SKEncodedImageFormat.Png);
        var (code, stdout, stderr) = Train(Args(files, dir, new ImageReadOptions { Channels = ImageChannels.Gray }));
        Assert.True(code == 0, stderr);
        var notes = Lines(stdout).Where(l => l.StartsWith("note:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, notes.Length);
        Assert.Contains(notes, n => n.Contains("3 of 11 images are not 8x8", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("3 of 11 images are in colour: converted to grey-scale", StringComparison.Ordinal));
    }

    [Fact]
    public void AnImageTooLargeToAllocateIsOneLineExit2AndNothingIsWritten()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 3);
        var huge = files.WriteBmp("set/b/huge.bmp", 1, 1, (_, _) => SKColors.White, claimedWidth: 60000, claimedHeight: 60000);
        foreach (var policy in new[] { BadImagePolicy.Stop, BadImagePolicy.Skip })
        {
            var (code, stdout, stderr) = Train(Args(files, dir, new ImageReadOptions { OnBadFile = policy }));
            Assert.Equal(CliErrors.BadInput, code);
            Assert.Empty(stdout);
            var line = Assert.Single(Lines(stderr));
            Assert.StartsWith($"error: {huge}: a 60000x60000 image", line);
            Assert.Contains("--max-megapixels 100", line);
            Assert.False(Directory.Exists(files.PathOf("out")));
        }
        var err = new StringWriter();
        Assert.Equal(CliErrors.BadInput, ImagesCommand.RunPredict(files.PathOf("none.safetensors"), [huge], 5, 100, false, new StringWriter(), err));
    }

    [Fact]
    public void PredictNamesAnImageItCannotReadAndPrintsNothing()
    {
        using var files = new ImageFiles();
        var dir = files.WriteClasses("set", ["a", "b"], 3);
        Assert.Equal(0, Train(Args(files, dir)).Code);
        var bad = files.WriteText("x.png", "text");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(CliErrors.BadInput, ImagesCommand.RunPredict(files.PathOf("out", "images-linear.safetensors"), [files.PathOf("set", "a", "0.png"), bad], 5, 100, false, stdout, stderr));
        Assert.Empty(stdout.ToString());
        Assert.StartsWith($"error: {bad}: not an image", Assert.Single(Lines(stderr.ToString())));
    }

    [Fact]
    public void HiddenSizesAreParsedAndBadOnesNamed()
    {
        Assert.Empty(ImagesCommand.ParseHidden(null));
        Assert.Equal([128, 64], ImagesCommand.ParseHidden("128, 64"));
        Assert.StartsWith("--hidden: 'x'", Assert.Throws<ArgumentException>(() => ImagesCommand.ParseHidden("128,x")).Message);
        using var files = new ImageFiles();
        var (code, _, stderr) = Train(Args(files, files.PathOf("nowhere")) with { Hidden = "5000" });
        Assert.Equal(CliErrors.BadInput, code);
        Assert.Contains("--hidden must be", stderr);
    }
}
