using Hindsight.Images;

namespace Hindsight.Tests.Images;

/// <summary>The image classifier's probabilities and evaluation logits through its inference path: the bits of the network's <c>Forward</c>.</summary>
public class ImageInferenceTests
{
    [Theory]
    [InlineData(new int[0], 1)]
    [InlineData(new[] { 16 }, 5)]
    [InlineData(new[] { 32, 12 }, 40)]
    public void ProbabilitiesAreTheBitsOfForward(int[] hidden, int rows)
    {
        var model = new ImageClassifier(new ImageShape(6, 5, ImageChannels.Gray), ["a", "b", "c"], hidden, new Rng(3));
        for (int call = 0; call < 2; call++)
        {
            var x = Tensor.Uniform(0f, 1f, new Rng((ulong)(rows + call)), rows, 30);
            float[] expected;
            using (Tape.NoGrad()) expected = Ops.Softmax(model.Network.Forward(x), -1).Data;
            var actual = model.Probabilities(x);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"hidden [{string.Join(",", hidden)}] rows {rows} call {call}: element {i} is {actual[i]:R}, Forward gives {expected[i]:R}");
            // the weights change between calls (as training does): the kept predictor re-reads them when rented
            foreach (var p in model.Network.Parameters()) for (int i = 0; i < p.Length; i++) p.Data[i] *= 1.1f;
        }
    }
}
