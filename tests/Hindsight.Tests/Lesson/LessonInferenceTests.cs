using Hindsight.Lesson;
using Hindsight.Optimizers;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Lesson;

/// <summary>
/// The lesson's models through <see cref="ISequenceModel.Predict"/> (their inference paths) against their
/// <c>Forward</c> under <c>Tape.NoGrad()</c>: the same bits for every model, before and after training steps change the
/// weights, and no allocation per call once a shape has been seen.
/// </summary>
public class LessonInferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => [.. LessonModels.Available];

    [Theory, MemberData(nameof(Models))]
    public void PredictGivesTheBitsOfForward(string name)
    {
        const int seqLength = 10;
        int cases = 0;
        foreach (int hidden in (int[])[2, 8, 33])
            foreach (int batch in (int[])[1, 4, 37])
            {
                var model = LessonModels.Create(name, seqLength, hidden, batch, new Rng((ulong)(hidden * 13 + batch)));
                var sgd = new Sgd(model.Module.Parameters(), 0.05f);
                var rng = new Rng((ulong)batch);
                for (int round = 0; round < 2; round++)
                {
                    var x = Tensor.Randn(rng, batch, seqLength);
                    float[] expected;
                    using (Tape.NoGrad()) expected = model.Forward(x).Data;
                    var y = new float[batch * seqLength];
                    model.Predict(x.Data, batch, seqLength, y);
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]),
                            $"{name} hidden {hidden} batch {batch} round {round}: element {i} is {y[i]:R}, Forward gives {expected[i]:R}");
                    cases++;
                    // a training step between the rounds: the kept predictor must follow the new weights
                    sgd.ZeroGrad();
                    Ops.MseLoss(model.Forward(x), Tensor.Randn(rng, batch, seqLength)).Backward();
                    sgd.Step();
                }
            }
        output.WriteLine($"{name}: {cases} cases bit for bit");
    }

    [Theory, MemberData(nameof(Models))]
    public void SteadyStatePredictAllocatesNothing(string name)
    {
        const int seqLength = 10, batch = 32;
        var model = LessonModels.Create(name, seqLength, 16, batch, new Rng(1));
        var x = new float[batch * seqLength];
        new Rng(2).FillNormal(x, 0f, 1f);
        var y = new float[batch * seqLength];
        for (int i = 0; i < 3; i++) model.Predict(x, batch, seqLength, y);
        long least = Allocations.LeastPerCall(() => model.Predict(x, batch, seqLength, y));
        output.WriteLine($"{name}: {least} bytes per call");
        Assert.Equal(0, least);
    }
}
