using Hindsight.Data;
using Hindsight.Lesson.Digits;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Engine;

public class DigitsTests
{
    private static readonly LabeledVectors Digits = LabeledVectors.Load(Repo.Path("data", "digits.csv.gz"));

    [Fact]
    public void SoftmaxRegressionReachesHeldOutAccuracy()
    {
        var result = VectorModelTask.Classify(Digits, new VectorModelOptions());
        Assert.Equal(1797, Digits.Count);
        Assert.True(result.TestAccuracy >= 0.93, $"held-out accuracy {result.TestAccuracy:P1} < 93 %");
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0] / 3, "training loss did not fall");
    }

    [Fact]
    public void SameSeedGivesSameResult()
    {
        var o = new VectorModelOptions { Epochs = 2 };
        Assert.Equal(VectorModelTask.Classify(Digits, o).EpochLosses, VectorModelTask.Classify(Digits, o).EpochLosses);
    }

    [Fact]
    public void RegressionWithOneOutputLearns()
    {
        var result = VectorModelTask.Regress(Digits, new VectorModelOptions { LearningRate = 0.05f });
        // Predicting the digit's value from pixels with a linear map: far better than the label's spread (sd ~2.9).
        Assert.NotNull(result.TestRmse);
        Assert.True(result.TestRmse < 2.3, $"RMSE {result.TestRmse}");
    }

    [Fact]
    public void DivergingTrainingStopsWithStepInMessage()
    {
        var ex = Assert.Throws<TrainingDivergedException>(() =>
            VectorModelTask.Regress(Digits, new VectorModelOptions { LearningRate = 50f, Epochs = 5 }));
        Assert.Contains("step", ex.Message);
    }

    [Fact]
    public void BadCsvNamesFileLineAndColumn()
    {
        var path = System.IO.Path.GetTempFileName();
        File.WriteAllText(path, "1,2,3\n4,x,5\n");
        var ex = Assert.Throws<DataFormatException>(() => LabeledVectors.Load(path));
        Assert.Equal(2, ex.Row);
        Assert.Equal("2", ex.Column);
        Assert.Contains(path, ex.Message);
        File.Delete(path);
    }
}
