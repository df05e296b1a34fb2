using Hindsight.Tests.Support;
using Hindsight.Text;

namespace Hindsight.Tests.Text;

/// <summary>
/// Language ID and text generation through the inference path (<see cref="Hindsight.Inference.RecurrentPredictor"/> with
/// lengths, <see cref="CharModelPredictor"/> carrying the state) against <c>Forward</c> under <c>Tape.NoGrad()</c>: the same
/// bits, and no allocation per generated letter.
/// </summary>
public class TextInferenceTests
{
    private static T WithoutInferencePath<T>(Func<T> f)
    {
        InferencePath.Off = true;
        try { return f(); }
        finally { InferencePath.Off = false; }
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]:R}, Forward gives {expected[i]:R}");
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Gru, 16)]
    [InlineData(LanguageIdArchitecture.Lstm, 16)]
    [InlineData(LanguageIdArchitecture.Lstm, 40)]
    [InlineData(LanguageIdArchitecture.Cell, 16)]
    [InlineData(LanguageIdArchitecture.Cell, 64)]
    public void LanguageIdGivesForwardsBits(LanguageIdArchitecture architecture, int hidden)
    {
        var alphabet = Alphabet.FromTexts(TextData.Words.Words);
        var model = new LanguageIdModel(architecture, alphabet, TextData.Words.Languages, hidden, new Rng(4));
        // words of many lengths in one padded batch, and more than one chunk of 256 words
        var words = TextData.Words.Words.Take(300).ToArray();
        AssertBits(WithoutInferencePath(() => model.LogProbabilities(words)), model.LogProbabilities(words), $"{architecture} H={hidden}");
    }

    [Theory]
    [InlineData(false, 1, 0f)]
    [InlineData(false, 2, 0.8f)]
    [InlineData(true, 1, 1f)]
    [InlineData(true, 2, 0f)]
    public void GenerationAndLossGiveForwardsResults(bool gru, int layers, float temperature)
    {
        var corpus = TextData.EnglishHead;
        var alphabet = Alphabet.FromTexts([corpus.Text]);
        var model = new CharLanguageModel(gru, alphabet, 32, layers, new Rng(7));
        // generation: the prompt in one call, then one letter at a time with the state carried
        string expected = WithoutInferencePath(() => TextSampler.Sample(model, 80, temperature, 11, "the "));
        Assert.Equal(expected, TextSampler.Sample(model, 80, temperature, 11, "the "));
        // the loss of a text read in chunks, the state carried across them
        var codes = alphabet.Encode(corpus.Text[..700]);
        double loss = WithoutInferencePath(() => TextGenTrainer.Loss(model, codes, 128));
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(TextGenTrainer.Loss(model, codes, 128)));
    }

    [Fact]
    public void CharModelPredictorCarriesTheStateAsForwardAndAllocatesNothingPerLetter()
    {
        var alphabet = new Alphabet("abcdefgh \n");
        var model = new CharLanguageModel(false, alphabet, 32, 2, new Rng(3));
        var predictor = new CharModelPredictor(model);
        var state = new Hindsight.Layers.Recurrent.RecurrentState();
        int[] codes = [1, 4, 2, 8, 0, 3, 9, 5];
        var one = new float[alphabet.Count];
        foreach (int code in codes)
        {
            float[] expected;
            using (Tape.NoGrad()) expected = model.Forward(model.OneHot([code], [0], 1), state).Data;
            Array.Clear(one); one[code] = 1f;
            AssertBits(expected, predictor.Run(one, 1).ToArray(), $"letter {code}");
        }
        long least = Allocations.LeastPerCall(() => predictor.Run(one, 1));
        Assert.Equal(0, least);
        predictor.Reset();
        var fresh = new CharModelPredictor(model);
        AssertBits(fresh.Run(one, 1).ToArray(), predictor.Run(one, 1).ToArray(), "after Reset");
    }
}
