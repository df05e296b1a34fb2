using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;

namespace Hindsight.Tests.Lesson;

public class LessonExperimentTests
{
    private static WideSeries Table(LessonFiles files, int rows, int periods) => WideSeries.Load(files.WriteSeries("s.csv", rows, periods));

    [Fact]
    public void RnnSkipsTheShortLastBatchAndFcDoesNot()
    {
        using var files = new LessonFiles();
        var result = LessonExperiment.Run(Table(files, 9, 16), SeriesScaling.Mean,
            new LessonOptions { Models = ["fc", "rnn", "jordan", "lstm", "gru"], Epochs = 3, SeqLength = 5, BatchRows = 4 });
        var updates = result.Races.ToDictionary(r => r.Model, r => r.Updates);
        // 9 rows in batches of 4 -> 4, 4, 1: the seed's RNN trains on 2 batches per epoch, every other model on 3.
        Assert.Equal(3 * 2, updates["rnn"]);
        Assert.Equal(3 * 3, updates["fc"]);
        Assert.Equal(3 * 3, updates["jordan"]);
        Assert.Equal(3 * 3, updates["lstm"]);
        Assert.Equal(3 * 3, updates["gru"]);
        Assert.All(result.Races, r => Assert.Equal(3, r.Snapshots.Count));
        Assert.Equal(4 * 5, result.Races.Single(r => r.Model == "rnn").Snapshots[0].Outputs.Length);
        // First-layer weights before training (hidden 2): FC Linear(5,2); recurrent layers input | recurrent weights.
        var shapes = result.Races.ToDictionary(r => r.Model, r => r.InitialWeightShape);
        Assert.Equal([2, 5], shapes["fc"]);
        Assert.Equal([2, 3], shapes["rnn"]);
        Assert.Equal([2, 2], shapes["jordan"]);
        Assert.Equal([8, 3], shapes["lstm"]);
        Assert.Equal([6, 3], shapes["gru"]);
        Assert.Equal("rnn.weight_ih_l0 | rnn.weight_hh_l0", result.Races.Single(r => r.Model == "rnn").FirstWeightName);
    }

    [Fact]
    public void PerEpochLossIsThatEpochsMeanNotARunningMean()
    {
        // One row, one batch per epoch: each epoch's loss is that single batch's loss, so the curve must not be
        // the running mean the seed's RNN loop reports (which would be smooth and lag behind).
        using var files = new LessonFiles();
        var result = LessonExperiment.Run(Table(files, 1, 40), SeriesScaling.Mean,
            new LessonOptions { Models = ["rnn"], Epochs = 6, SeqLength = 5, BatchRows = 1, LearningRate = 0.05f });
        var curve = result.Races[0].EpochLosses[0];
        var running = curve.Select((_, e) => curve.Take(e + 1).Average()).ToArray();
        Assert.NotEqual(running[1..], curve[1..]);
        Assert.Equal(6, result.Races[0].Updates);
    }

    [Fact]
    public void RecurrentModelWithFewerRowsThanABatchIsABadInput()
    {
        using var files = new LessonFiles();
        var table = Table(files, 3, 16);
        var ex = Assert.Throws<DataFormatException>(() => LessonExperiment.Run(table, SeriesScaling.Mean,
            new LessonOptions { Models = ["fc", "rnn"], Epochs = 1, SeqLength = 5, BatchRows = 4 }));
        Assert.Equal(table.Source, ex.File);
        Assert.Contains("batchRows 3 or fewer", ex.Message);
    }

    [Fact]
    public void SeedsGiveMeanAndSampleSdPerEpoch()
    {
        using var files = new LessonFiles();
        var result = LessonExperiment.Run(Table(files, 6, 14), SeriesScaling.Mean,
            new LessonOptions { Models = ["fc", "rnn"], Epochs = 4, SeqLength = 5, BatchRows = 3, Seeds = 3, Seed = 11 });
        foreach (var race in result.Races)
        {
            Assert.Equal(3, race.EpochLosses.Length);
            for (int e = 0; e < 4; e++)
            {
                var values = race.EpochLosses.Select(r => r[e]).ToArray();
                double mean = values.Average();
                Assert.Equal(mean, race.EpochMean[e], 12);
                Assert.Equal(Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 2), race.EpochSd[e], 12);
            }
            Assert.True(race.EpochLosses[0][0] != race.EpochLosses[1][0], "different seeds must give different runs");
        }
        // The lead epochs: the first epoch where this model's mean is below the other's, and the epoch from which it stays below.
        var fc = result.Races[0]; var rnn = result.Races[1];
        int? expected = null;
        for (int e = 0; e < 4 && expected is null; e++) if (rnn.EpochMean[e] < fc.EpochMean[e]) expected = e + 1;
        Assert.Equal(expected, rnn.FirstLeadEpoch);
        int? from = null;
        for (int e = 3; e >= 0 && rnn.EpochMean[e] < fc.EpochMean[e]; e--) from = e + 1;
        Assert.Equal(from, rnn.LeadsFromEpoch);
        int wins = 0;
        for (int run = 0; run < 3; run++) if (rnn.EpochLosses[run][^1] < fc.EpochLosses[run][^1]) wins++;
        Assert.Equal(wins, rnn.SeedWins);
        Assert.Equal(3 - wins, fc.SeedWins); // ties are impossible in practice with float losses
    }

    [Fact]
    public void LeadEpochIsWhereTheLeadIsKeptToTheEndNotWhereItFirstLed()
    {
        // a leads at epochs 2-3, loses the lead at 4-5, leads again from 6 to the end; b leads only at 1 and 4-5.
        double[] a = [5, 3, 2, 2.5, 2.2, 1.0, 0.9, 0.8];
        double[] b = [4, 4, 3, 2.0, 2.0, 1.5, 1.4, 1.3];
        Assert.Equal((2, 6), LessonExperiment.LeadEpochs(a, [b]));
        Assert.Equal((1, (int?)null), LessonExperiment.LeadEpochs(b, [a]));
        // Three models: "best" means below both others at every epoch from there to the end.
        double[] c = [3, 3.5, 2.1, 3, 3, 0.95, 1.0, 0.7];
        Assert.Equal((2, (int?)null), LessonExperiment.LeadEpochs(a, [b, c]));
        Assert.Equal((1, 8), LessonExperiment.LeadEpochs(c, [a, b]));
        Assert.Equal((4, (int?)null), LessonExperiment.LeadEpochs(b, [a, c]));
        // A tie at the last epoch is no lead; one model alone has no lead.
        Assert.Equal((1, (int?)null), LessonExperiment.LeadEpochs([1, 2], [[2, 2]]));
        Assert.Equal(((int?)null, (int?)null), LessonExperiment.LeadEpochs([1, 2], []));
        // Leading from the first epoch throughout.
        Assert.Equal((1, 1), LessonExperiment.LeadEpochs([1, 1, 1], [[2, 2, 2]]));
    }

    [Fact]
    public void BadSettingsAreArgumentErrors()
    {
        using var files = new LessonFiles();
        var table = Table(files, 4, 14);
        Assert.Throws<ArgumentException>(() => LessonExperiment.Run(table, SeriesScaling.Mean, new LessonOptions { Epochs = 0 }));
        Assert.Throws<ArgumentException>(() => LessonExperiment.Run(table, SeriesScaling.Mean, new LessonOptions { Models = ["fc", "fc"] }));
        Assert.Throws<ArgumentException>(() => LessonExperiment.Run(table, SeriesScaling.Mean, new LessonOptions { LearningRate = float.NaN }));
    }

    [Fact]
    public void DivergingTrainingNamesModelAndEpoch()
    {
        using var files = new LessonFiles();
        var ex = Assert.Throws<TrainingDivergedException>(() => LessonExperiment.Run(Table(files, 4, 14), SeriesScaling.None,
            new LessonOptions { Models = ["fc"], Epochs = 50, SeqLength = 5, BatchRows = 4, LearningRate = 1e4f }));
        Assert.Contains("'fc'", ex.Message);
        Assert.Contains("at epoch", ex.Message); // caught by growth (DivergenceGuard) or as NaN at a step of an epoch
    }
}
