using Hindsight.Data;
using Hindsight.Text;
using Xunit.Abstractions;

namespace Hindsight.Tests.Text;

public class TextGenerationTests(ITestOutputHelper output)
{
    [Fact]
    public void CorpusNormalisesLineEndsAndEndsWithNewline()
    {
        var c = new TextCorpus("t", "\uFEFFab\r\ncd");
        Assert.Equal("ab\ncd\n", c.Text);
        Assert.Contains("t: the text is empty", Assert.Throws<DataFormatException>(() => new TextCorpus("t", " \n")).Message);
        Assert.Contains("t:2: control character U+0007", Assert.Throws<DataFormatException>(() => new TextCorpus("t", "ab\nc\u0007")).Message);
    }

    [Fact]
    public void TrainingLowersTheLossWellBelowUniform()
    {
        var epochs = TextData.GeneratorEpochs;
        var model = TextData.LanguageModel;
        foreach (var e in epochs) output.WriteLine($"epoch {e.Epoch}: train {e.TrainLoss:F3} (ppl {e.TrainPerplexity:F2}), held-out {e.ValidationLoss:F3}");
        double uniform = Math.Log(model.Alphabet.Count);
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss - 0.5, "training loss should fall by at least 0.5 nats");
        Assert.True(epochs[^1].TrainLoss < uniform - 1.0, $"final loss {epochs[^1].TrainLoss:F3} vs uniform {uniform:F3}");
        Assert.True(epochs[^1].ValidationLoss < uniform - 0.8, $"held-out loss {epochs[^1].ValidationLoss:F3} vs uniform {uniform:F3}");
        Assert.Equal(Math.Exp(epochs[^1].TrainLoss), epochs[^1].TrainPerplexity, 12);
        Assert.Contains('\n', model.Alphabet.Letters);
    }

    [Fact]
    public void CarriedStateMakesChunkedReadingEqualToOneLongRead()
    {
        var model = TextData.LanguageModel;
        var codes = model.Alphabet.Encode(TextData.EnglishHead.Text[..400]);
        double whole = TextGenTrainer.Loss(model, codes, chunk: 1000);
        double chunked = TextGenTrainer.Loss(model, codes, chunk: 7);
        Assert.True(Math.Abs(whole - chunked) < 1e-5, $"one read {whole}, chunks of 7 {chunked}");
    }

    [Fact]
    public void SameSeedSameSampleAndOtherSeedOtherSample()
    {
        var model = TextData.LanguageModel;
        var a = TextSampler.Sample(model, 120, 0.8f, 1, "All human");
        var b = TextSampler.Sample(model, 120, 0.8f, 1, "All human");
        var c = TextSampler.Sample(model, 120, 0.8f, 2, "All human");
        output.WriteLine("All human" + a);
        Assert.Equal(120, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, ch => Assert.True(model.Alphabet.Contains(ch)));
        Assert.Equal("", TextSampler.Sample(model, 0, 0.8f, 1));
    }

    [Fact]
    public void ZeroTemperatureIsArgmaxAndVeryLowTemperatureMatchesIt()
    {
        var model = TextData.LanguageModel;
        var greedy = TextSampler.Sample(model, 80, 0f, 1, "Everyone");
        Assert.Equal(greedy, TextSampler.Sample(model, 80, 0f, 99, "Everyone"));     // no randomness at all
        Assert.Equal(greedy, TextSampler.Sample(model, 80, 1e-4f, 5, "Everyone"));   // the limit of low temperature

        // Greedy by hand: feed the prompt, take the arg-max letter, feed it back.
        var state = new Hindsight.Layers.Recurrent.RecurrentState();
        var expected = new System.Text.StringBuilder();
        using (Tape.NoGrad())
        {
            var codes = model.Alphabet.Encode("Everyone");
            var logits = model.Forward(model.OneHot(codes, [0], codes.Length), state).Data.AsSpan((codes.Length - 1) * model.Alphabet.Count).ToArray();
            for (int i = 0; i < 80; i++)
            {
                int best = Array.IndexOf(logits, logits.Max());
                expected.Append(model.Alphabet[best]);
                logits = model.Forward(model.OneHot([best], [0], 1), state).Data;
            }
        }
        Assert.Equal(expected.ToString(), greedy);
    }

    [Fact]
    public void DrawFollowsTheTemperedSoftmax()
    {
        var rng = new Rng(3);
        var scratch = new double[2];
        float[] logits = [0f, MathF.Log(3f)];  // p = 1/4, 3/4 at temperature 1
        int n = 20000, ones = 0;
        for (int i = 0; i < n; i++) ones += TextSampler.Draw(logits, 1f, rng, scratch);
        Assert.InRange(ones / (double)n, 0.74, 0.76);
        ones = 0;                                // temperature 2: p ∝ exp(logit / 2) = 1, sqrt(3) -> 0.634
        for (int i = 0; i < n; i++) ones += TextSampler.Draw(logits, 2f, rng, scratch);
        Assert.InRange(ones / (double)n, 0.62, 0.645);
        ones = 0;                                // a huge temperature is nearly uniform
        for (int i = 0; i < n; i++) ones += TextSampler.Draw(logits, 1e6f, rng, scratch);
        Assert.InRange(ones / (double)n, 0.49, 0.51);
    }

    [Fact]
    public void ModelFileRoundTripGivesIdenticalSamples()
    {
        using var tmp = new TempFolder();
        var model = TextData.LanguageModel;
        var path = tmp.PathOf("gen.safetensors");
        model.Save(path, new Dictionary<string, string> { ["data"] = "English.txt" });
        var (loaded, metadata) = CharLanguageModel.Load(path);
        Assert.Equal("generate", metadata["hindsight.kind"]);
        Assert.Equal("English.txt", metadata["data"]);
        Assert.Equal(model.Alphabet.Letters, loaded.Alphabet.Letters);
        Assert.Equal(TextSampler.Sample(model, 150, 0.9f, 7, "Article"), TextSampler.Sample(loaded, 150, 0.9f, 7, "Article"));
        Assert.Equal(TextSampler.Sample(model, 60, 0.7f, 8), TextSampler.Sample(loaded, 60, 0.7f, 8));
        Assert.Throws<InvalidDataException>(() => LanguageIdModel.Load(path));
    }

    [Fact]
    public void GruVariantTrainsAndRoundTrips()
    {
        using var tmp = new TempFolder();
        var corpus = new TextCorpus("t", TextData.EnglishHead.Text[..600]);
        var (model, epochs) = TextGenTrainer.Train(corpus, new TextGenOptions { Gru = true, Hidden = 16, Epochs = 2, SeqLength = 16, BatchSize = 4, Seed = 1 });
        Assert.Equal(2, epochs.Count);
        Assert.True(epochs[1].TrainLoss < epochs[0].TrainLoss);
        var path = tmp.PathOf("g.safetensors");
        model.Save(path);
        var (loaded, _) = CharLanguageModel.Load(path);
        Assert.True(loaded.IsGru);
        Assert.Equal(TextSampler.Sample(model, 50, 1f, 3), TextSampler.Sample(loaded, 50, 1f, 3));
    }

    [Fact]
    public void BadSamplingInputIsAClearError()
    {
        var model = TextData.LanguageModel;
        Assert.Contains("U+4E00", Assert.Throws<ArgumentException>(() => TextSampler.Sample(model, 5, 1f, 1, "a\u4e00")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextSampler.Sample(model, 5, -1f, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextSampler.Sample(model, 5, float.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextSampler.Sample(model, -1, 1f, 1));
    }

    [Fact]
    public void TooShortTextForTheStreamsIsDataError()
    {
        var ex = Assert.Throws<DataFormatException>(() => TextGenTrainer.Train(new TextCorpus("tiny.txt", "abcdefgh"),
            new TextGenOptions { BatchSize = 8, Epochs = 1, ValidationFraction = 0 }));
        Assert.Contains("tiny.txt", ex.Message);
        Assert.Contains("batchSize", ex.Message);
    }
}
