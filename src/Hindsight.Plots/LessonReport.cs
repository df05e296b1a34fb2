using System.Globalization;
using Hindsight.Lesson;
using nietras.SeparatedValues;

namespace Hindsight.Plots;

/// <summary>Writes the lesson's charts (and a CSV of the loss curves) into a folder; every file is written atomically.</summary>
public static class LessonReport
{
    /// <summary>
    /// Writes, per hidden size h: <c>loss</c> (all models), <c>snapshots-MODEL</c>, <c>weights-MODEL</c>; names get a
    /// <c>-hH</c> suffix when several hidden sizes were run, plus <c>hidden-sweep</c>; and <c>losses.csv</c>.
    /// Returns the paths written, in order.
    /// </summary>
    public static IReadOnlyList<string> Write(LessonResult result, string folder, ChartFormat format)
    {
        var files = new List<string>();
        string ext = ChartFile.Extension(format);
        int seeds = result.Options.Seeds;
        var hiddenSizes = result.Races.Select(r => r.Hidden).Distinct().ToArray();
        bool sweep = hiddenSizes.Length > 1;
        string Name(string stem, int hidden) => Path.Combine(folder, (sweep ? $"{stem}-h{hidden}" : stem) + ext);
        foreach (int h in hiddenSizes)
        {
            var group = result.Races.Where(r => r.Hidden == h).ToList();
            string loss = Name("loss", h);
            ChartFile.Save(LessonCharts.LossCurves(group, seeds), loss, 900, 560, format);
            files.Add(loss);
            foreach (var race in group)
            {
                string snap = Name($"snapshots-{race.Model}", h);
                var grid = LessonCharts.Snapshots(race, out int columns, out int gridRows, seqLength: result.Options.SeqLength);
                ChartFile.Save(grid, snap, 320 * columns, 220 * gridRows, format);
                files.Add(snap);
                string weights = Name($"weights-{race.Model}", h);
                ChartFile.Save(LessonCharts.InitialWeights(race), weights, 640, 420, format);
                files.Add(weights);
            }
        }
        if (sweep)
        {
            string path = Path.Combine(folder, "hidden-sweep" + ext);
            ChartFile.Save(LessonCharts.HiddenSweep(result.Races, seeds), path, 800, 520, format);
            files.Add(path);
        }
        string csv = Path.Combine(folder, "losses.csv");
        Serialization.AtomicFile.WriteAllText(csv, LossesCsv(result));
        files.Add(csv);
        return files;
    }

    /// <summary>model,hidden,epoch,mean,sd,then one column per seed (<c>seedS</c>); numbers round-trip exactly.</summary>
    public static string LossesCsv(LessonResult result)
    {
        var seeds = Enumerable.Range(0, result.Options.Seeds).Select(s => $"seed{result.Options.Seed + (ulong)s}").ToArray();
        // A validated run has at least one model and one epoch, so there is a first row to carry the header.
        using var writer = Sep.New(',').Writer(o => o with { CultureInfo = CultureInfo.InvariantCulture }).ToText();
        foreach (var race in result.Races)
            for (int e = 0; e < race.EpochMean.Length; e++)
            {
                using var row = writer.NewRow();
                row["model"].Set(race.Model);
                row["hidden"].Format(race.Hidden);
                row["epoch"].Format(e + 1);
                row["mean"].Format(race.EpochMean[e]);
                row["sd"].Format(race.EpochSd[e]);
                for (int s = 0; s < seeds.Length; s++) row[seeds[s]].Format(race.EpochLosses[s][e]);
            }
        writer.Flush();
        return writer.ToString();
    }
}
