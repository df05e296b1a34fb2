using System.Text.Json;
using Hindsight.Cli;
using Hindsight.Cli.Commands;

namespace Hindsight.Tests.Text;

/// <summary><c>hindsight langid</c> and <c>hindsight generate</c>: JSON shape, files written, exit codes.</summary>
[Collection("Console")]
public class TextCliTests
{
    private static (int Code, string Out, string Err) Train(LangIdTrainArgs a)
    {
        var o = new StringWriter(); var e = new StringWriter();
        return (LangIdCommand.RunTrain(a, o, e, interactive: false), o.ToString(), e.ToString());
    }

    private static (int Code, string Out, string Err) Predict(string file, int top, bool json, params string[] words)
    {
        var o = new StringWriter(); var e = new StringWriter();
        return (LangIdCommand.RunPredict(file, words, top, json, o, e), o.ToString(), e.ToString());
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        var oldOut = Console.Out; var oldErr = Console.Error;
        Console.SetOut(o); Console.SetError(e);
        try { return (CliApp.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    private static void AssertOneLineError((int Code, string Out, string Err) r, string expected)
    {
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void LangIdTrainJsonThenPredictFromTheModelFile()
    {
        using var tmp = new TempFolder();
        var (code, stdout, stderr) = Train(new LangIdTrainArgs
        {
            Data = TextData.WordsPath, Model = "gru", Epochs = 2, Hidden = 16, PerLanguage = 20, Seed = 4,
            Out = tmp.PathOf("out"), Json = true, Words = ["the", "Menschen"],
        });
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout); // one JSON object and nothing else
        var root = doc.RootElement;
        Assert.Equal("gru", root.GetProperty("model").GetString());
        Assert.Equal(18, root.GetProperty("languages").GetArrayLength());
        Assert.Equal(18 * 20, root.GetProperty("trainWords").GetInt32() + root.GetProperty("testWords").GetInt32());
        Assert.Equal(2, root.GetProperty("epochLog").GetArrayLength());
        var accuracy = root.GetProperty("testAccuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        Assert.Equal(18, root.GetProperty("perLanguage").GetArrayLength());
        var confusion = root.GetProperty("confusion");
        Assert.Equal(18, confusion.GetArrayLength());
        Assert.All(confusion.EnumerateArray(), row => Assert.Equal(18, row.GetArrayLength()));
        var predictions = root.GetProperty("predictions");
        Assert.Equal("Menschen", predictions[1].GetProperty("word").GetString());
        Assert.Equal(3, predictions[1].GetProperty("top").GetArrayLength());
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(["langid-gru.safetensors", "langid-gru-confusion.png"], files.Select(Path.GetFileName));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(files[1])[..4]);

        var p = Predict(files[0], 3, true, "the", "Menschen");
        Assert.Equal(0, p.Code);
        using var pdoc = JsonDocument.Parse(p.Out);
        var fromFile = pdoc.RootElement.GetProperty("predictions");
        // the saved model predicts exactly what the trained one did
        Assert.Equal(predictions.GetRawText(), fromFile.GetRawText());

        var text = Predict(files[0], 2, false, "the");
        Assert.Equal(0, text.Code);
        Assert.StartsWith("the: ", text.Out);
        Assert.Equal(2, text.Out.Split(',').Length);

        AssertOneLineError(Predict(files[0], 3, false, "the", "日本"), "'日' (U+65E5) at position 1");
        AssertOneLineError(Predict(TextData.WordsPath, 3, false, "the"), TextData.WordsPath);
    }

    [Fact]
    public void LangIdTrainTextOutputShowsTheTable()
    {
        using var tmp = new TempFolder();
        var (code, stdout, _) = Train(new LangIdTrainArgs { Data = TextData.WordsPath, Model = "cell", Epochs = 1, Hidden = 8, PerLanguage = 10, Out = tmp.PathOf("o"), Words = ["und"] });
        Assert.Equal(0, code);
        Assert.Contains("the seed's RnnCell", stdout);
        Assert.Contains("Vietnamese", stdout);
        Assert.Contains("held-out accuracy", stdout);
        Assert.Contains("und: ", stdout);
        Assert.True(File.Exists(tmp.PathOf(Path.Combine("o", "langid-cell.safetensors"))));
    }

    [Fact]
    public void LangIdBadInputIsExitTwo()
    {
        using var tmp = new TempFolder();
        var bad = tmp.Write("bad.tsv", "language\tword\nen\tthe\nfr\tle\tx\n");
        AssertOneLineError(Train(new LangIdTrainArgs { Data = bad, Out = tmp.PathOf("o") }), $"{bad}:3: expected 2 tab-separated columns");
        AssertOneLineError(Train(new LangIdTrainArgs { Data = TextData.WordsPath, Model = "transformer", Out = tmp.PathOf("o") }), "unknown model 'transformer'");
        AssertOneLineError(Train(new LangIdTrainArgs { Data = TextData.WordsPath, TestFraction = 1.5, Out = tmp.PathOf("o") }), "--test-fraction");
        AssertOneLineError(Train(new LangIdTrainArgs { Data = TextData.WordsPath, Out = bad }), "is a file");
        // a word to predict that the training letters cannot spell is rejected before training
        AssertOneLineError(Train(new LangIdTrainArgs { Data = TextData.WordsPath, PerLanguage = 5, Out = tmp.PathOf("o"), Words = ["a\u4e00"] }), "U+4E00");
        Assert.False(Directory.Exists(tmp.PathOf("o")));

        Assert.Equal(2, Cli("langid", "predict", "the").Code);                                 // --model-file is required
        Assert.Equal(2, Cli("langid", "predict", "--model-file", "/nonexistent.safetensors", "the").Code);
        Assert.Equal(2, Cli("langid", "train", "--hidden", "0").Code);
        Assert.Equal(2, Cli("generate", "sample", "--model-file", TextData.WordsPath, "--temperature", "-1").Code);
    }

    [Fact]
    public void GenerateTrainJsonThenSampleFromTheModelFile()
    {
        using var tmp = new TempFolder();
        var data = tmp.Write("small.txt", TextData.EnglishHead.Text[..1200]);
        var o = new StringWriter(); var e = new StringWriter();
        int code = GenerateCommand.RunTrain(new GenerateTrainArgs
        {
            Data = data, Hidden = 16, Epochs = 2, SeqLength = 16, BatchSize = 4, Seed = 3, Out = tmp.PathOf("out"), Json = true,
        }, o, e, interactive: false);
        Assert.Equal("", e.ToString());
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(o.ToString());
        var root = doc.RootElement;
        Assert.Equal("lstm", root.GetProperty("model").GetString());
        var log = root.GetProperty("epochLog");
        Assert.Equal(2, log.GetArrayLength());
        Assert.Equal(Math.Exp(log[1].GetProperty("trainLoss").GetDouble()), log[1].GetProperty("trainPerplexity").GetDouble(), 9);
        Assert.True(log[1].GetProperty("validationLoss").GetDouble() > 0);
        Assert.Equal(200, root.GetProperty("sample").GetProperty("text").GetString()!.Length);
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(["generate-small-lstm.safetensors", "generate-small-lstm-perplexity.png"], files.Select(Path.GetFileName));

        string Sample(ulong seed, string? prompt, out int exit, bool json = true)
        {
            var so = new StringWriter(); var se = new StringWriter();
            exit = GenerateCommand.RunSample(files[0], 40, 0.8f, seed, prompt, json, so, se);
            return exit == 0 ? so.ToString() : se.ToString();
        }
        var s1 = Sample(1, "Whereas ", out int c1);
        var s2 = Sample(1, "Whereas ", out _);
        Assert.Equal(0, c1);
        Assert.Equal(s1, s2);
        using var sdoc = JsonDocument.Parse(s1);
        Assert.Equal(40, sdoc.RootElement.GetProperty("text").GetString()!.Length);
        Assert.Equal("Whereas ", sdoc.RootElement.GetProperty("prompt").GetString());
        Assert.StartsWith("Whereas ", Sample(1, "Whereas ", out _, json: false));
        var err = Sample(1, "Ωmega", out int c3);
        Assert.Equal(2, c3);
        Assert.Contains("--prompt: letter 'Ω' (U+03A9) at position 1", err);
    }

    [Fact]
    public void GenerateBadLanguageIsExitTwoListingTheBundledOnes()
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = GenerateCommand.RunTrain(new GenerateTrainArgs { Language = "Klingon", Out = "unused" }, o, e, interactive: false);
        Assert.Equal(2, code);
        Assert.Contains("no bundled text 'Klingon'", e.ToString());
        code = GenerateCommand.RunTrain(new GenerateTrainArgs { Model = "rnn" }, o, e, interactive: false);
        Assert.Equal(2, code);
    }
}
