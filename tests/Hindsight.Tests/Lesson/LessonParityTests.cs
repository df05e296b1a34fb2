using Hindsight.Lesson;
using Hindsight.Optimizers;
using Hindsight.Serialization;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Lesson;

/// <summary>
/// Each lesson model, given PyTorch's initial weights, takes the same SGD steps as PyTorch on the same batches
/// (fixture written by tools/reference/lesson_fixtures.py): outputs, losses and final weights match.
/// </summary>
public class LessonParityTests(ITestOutputHelper output)
{
    private static readonly SafeTensorsFile Fixture = SafeTensors.Load(Repo.Fixture("lesson_steps.safetensors"));

    public static TheoryData<string> Models() => new(LessonModels.Available);

    [Theory]
    [MemberData(nameof(Models))]
    public void SgdStepsMatchPyTorch(string name)
    {
        int batch = int.Parse(Fixture.Metadata["batch"]), seq = int.Parse(Fixture.Metadata["seq_length"]);
        int hidden = int.Parse(Fixture.Metadata["hidden"]), steps = int.Parse(Fixture.Metadata["steps"]);
        float lr = float.Parse(Fixture.Metadata["lr"], System.Globalization.CultureInfo.InvariantCulture);
        var model = LessonModels.Create(name, seq, hidden, batch, new Rng(1));
        model.Module.LoadStateDict(Prefixed($"{name}.init."));
        var sgd = new Sgd(model.Module.Parameters(), lr);
        var losses = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            var y = model.Forward(Fixture.Tensors[$"x{i}"]);
            if (i == 0) Compare.Close(Fixture.Tensors[$"{name}.output0"], y, $"{name}.output0", output);
            var loss = Ops.MseLoss(y, Fixture.Tensors[$"y{i}"]);
            losses[i] = loss.Item();
            sgd.ZeroGrad();
            loss.Backward();
            sgd.Step();
        }
        Compare.Close(Fixture.Tensors[$"{name}.loss"], losses, $"{name}.loss", output);
        var final = Prefixed($"{name}.final.");
        Assert.Equal(final.Keys.Order(), model.Module.StateDict().Keys.Order());
        foreach (var (param, value) in model.Module.StateDict())
            Compare.Close(final[param], value, $"{name}.final.{param}", output);
    }

    [Fact]
    public void TheSeedsTwoModelsAreAvailable() => Assert.Contains("fc", LessonModels.Available);

    private static Dictionary<string, Tensor> Prefixed(string prefix) =>
        Fixture.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
