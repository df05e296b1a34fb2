using Hindsight.Data;
using Hindsight.Forecasting;
using Hindsight.Lesson.Digits;
using Hindsight.Text;

namespace Hindsight.Tests.Data;

/// <summary>Issue 9, training: empty splits refused, divergence caught by growth, AR order bounded by the series length.</summary>
public sealed class TrainingHardeningTests
{
    [Fact]
    public void DivergenceGuardCatchesGrowthTheBoundAndNonFiniteLosses()
    {
        var g = new DivergenceGuard("test run");
        g.Check(1, 2.0);
        g.Check(2, 1.9e6); // below 1e6 x 2
        var grow = Assert.Throws<TrainingDivergedException>(() => g.Check(3, 2.1e6));
        Assert.Equal("test run diverged: the mean loss grew from 2 (epoch 1) to 2.1E+06 at epoch 3, more than 1E+06 times; try a smaller learningRate.", grow.Message);
        Assert.Contains("at epoch 1, above the bound 1E+10", Assert.Throws<TrainingDivergedException>(() => new DivergenceGuard("x").Check(1, 1.7e31)).Message);
        Assert.Contains("is NaN at epoch 4", Assert.Throws<TrainingDivergedException>(() => new DivergenceGuard("x").Check(4, double.NaN)).Message);
        // A near-zero first loss: growth is measured from the floor, so noise at 1e-9 does not fail a run.
        var tiny = new DivergenceGuard("tiny");
        tiny.Check(1, 1e-9);
        tiny.Check(2, 1e-2);
        Assert.Throws<TrainingDivergedException>(() => tiny.Check(3, 2e3));
    }

    [Fact]
    public void TextGenerationWithAHugeLearningRateThrowsInsteadOfReturningAModel()
    {
        var corpus = new TextCorpus("t.txt", string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog\n", 20)));
        var options = new TextGenOptions { Hidden = 8, Epochs = 3, SeqLength = 16, BatchSize = 2, LearningRate = 1e30f, ClipNorm = 0 };
        var ex = Assert.Throws<TrainingDivergedException>(() => TextGenTrainer.Train(corpus, options));
        Assert.StartsWith("text generation", ex.Message);
        Assert.Matches("at epoch [0-9]+", ex.Message);
    }

    [Fact]
    public void DigitsWithOneRowIsRefusedNamingTheFileAndTheRowsNeeded()
    {
        var data = new LabeledVectors([1f, 2f], [0], 2) { Source = "one.csv" };
        var ex = Assert.Throws<DataFormatException>(() => VectorModelTask.Classify(data, new VectorModelOptions()));
        Assert.Equal("one.csv: 1 row: the test split (testFraction 0.2) takes 1 and leaves 0 for training; the training and the test split each need at least 1 row, so use at least 2 rows.", ex.Message);
        var two = new LabeledVectors([1f, 2f, 3f, 4f], [0, 1], 2) { Source = "two.csv" };
        Assert.Equal(1, VectorModelTask.Classify(two, new VectorModelOptions { Epochs = 1 }).TestRows);
    }

    [Fact]
    public void LangIdWithOneWordPerLanguageIsRefused()
    {
        var words = LanguageWords.Parse(new StringReader("language\tword\nen\ttea\nfr\tthé\nfr\tcafé\n"), "w.tsv");
        var ex = Assert.Throws<DataFormatException>(() => words.Split(0.2, 0));
        Assert.Equal("w.tsv: column 1 (language): 'en' has 1 word; the training and the test split each need at least 1 word of every language, so give each language at least 2 words.", ex.Message);
    }

    [Fact]
    public void LinearArOnAShortYearlySeriesCapsItsOrderAndForecastsSanely()
    {
        // 80 yearly values (a trend plus a wiggle and seeded noise); the old AR(40) fitted 40 windows and forecast nonsense.
        var rng = new Rng(3);
        var x = Enumerable.Range(0, 80).Select(t => (float)(100 + 0.8 * t + 3 * Math.Sin(t / 3.0) + 2 * (rng.NextFloat() - 0.5))).ToArray();
        var ar = new LinearArForecaster(40);
        ar.Fit([x[..72]]);
        Assert.Equal(40, ar.Lags);
        Assert.InRange(ar.Order, 1, 18); // floor(10 log10 72) = 18
        Assert.Equal(18, LinearArForecaster.OrderCap(40, [72]));
        var f = ar.Predict(8)[0];
        for (int h = 0; h < 8; h++) Assert.InRange(f[h], 120f, 200f);
        Assert.True(Metrics.Mae(x.AsSpan(72), f) < 10, $"MAE {Metrics.Mae(x.AsSpan(72), f)}");
    }

    [Fact]
    public void LinearArWithAHugeLookbackDoesNotOverflow()
    {
        var x = Enumerable.Range(0, 200).Select(t => (float)(10 + Math.Sin(0.3 * t) + 0.5 * Math.Sin(0.7 * t))).ToArray();
        var ar = new LinearArForecaster(int.MaxValue);
        Assert.Equal(LinearArForecaster.MaxOrder, ar.Lags);
        ar.Fit([x[..180]]);
        Assert.InRange(ar.Order, 4, 22); // floor(10 log10 180) = 22; the series is an exact order-4 recurrence
        Assert.True(Metrics.Mae(x.AsSpan(180), ar.Predict(20)[0]) < 1e-2);
    }

    [Fact]
    public void LinearArPicksTheTrueOrderOfAnAr2ByAic()
    {
        var rng = new Rng(7);
        var x = new float[2000];
        for (int t = 2; t < x.Length; t++) x[t] = 0.6f * x[t - 1] - 0.3f * x[t - 2] + (rng.NextFloat() - 0.5f);
        var ar = new LinearArForecaster(30);
        ar.Fit([x]);
        Assert.Equal(2, ar.Order);
        Assert.Equal(31, ar.Coefficients.Count);
        Assert.All(ar.Coefficients.Skip(3), c => Assert.Equal(0f, c));
    }
}
