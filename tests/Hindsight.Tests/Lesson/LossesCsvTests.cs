using Hindsight.Forecasting.Data;
using Hindsight.Lesson;
using Hindsight.Plots;
using nietras.SeparatedValues;

namespace Hindsight.Tests.Lesson;

public class LossesCsvTests
{
    [Fact]
    public void LossesCsvHasOneRowPerModelAndEpochAndRoundTripsEveryLoss()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 9, 16));
        var options = new LessonOptions { Models = ["fc", "rnn"], Hidden = [2, 3], Epochs = 3, Seeds = 2, Seed = 7, SeqLength = 5, BatchRows = 4 };
        var result = LessonExperiment.Run(table, SeriesScaling.Mean, options);
        string csv = LessonReport.LossesCsv(result);

        Assert.StartsWith("model,hidden,epoch,mean,sd,seed7,seed8\n", csv);
        using var reader = Sep.New(',').Reader().FromText(csv);
        var rows = new List<(string Model, int Hidden, int Epoch, double Mean, double Sd, double[] Seeds)>();
        foreach (var row in reader)
            rows.Add((row["model"].ToString(), row["hidden"].Parse<int>(), row["epoch"].Parse<int>(), row["mean"].Parse<double>(), row["sd"].Parse<double>(),
                [row["seed7"].Parse<double>(), row["seed8"].Parse<double>()]));
        Assert.Equal(result.Races.Count * options.Epochs, rows.Count);
        int i = 0;
        foreach (var race in result.Races)
            for (int e = 0; e < options.Epochs; e++, i++)
            {
                var r = rows[i];
                Assert.Equal((race.Model, race.Hidden, e + 1), (r.Model, r.Hidden, r.Epoch));
                Assert.Equal(race.EpochMean[e], r.Mean); // exact: written round-trippable
                Assert.Equal(race.EpochSd[e], r.Sd);
                Assert.Equal(race.EpochLosses.Select(run => run[e]), r.Seeds);
            }
        Assert.DoesNotContain("\r", csv);
        Assert.Equal(rows.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
