using System.Globalization;
using System.Text;
using Hindsight.Lesson;

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

    /// <summary>model,hidden,epoch,mean,sd,then one column per seed.</summary>
    public static string LossesCsv(LessonResult result)
    {
        var sb = new StringBuilder("model,hidden,epoch,mean,sd");
        for (int s = 0; s < result.Options.Seeds; s++) sb.Append(CultureInfo.InvariantCulture, $",seed{result.Options.Seed + (ulong)s}");
        sb.Append('\n');
        foreach (var race in result.Races)
            for (int e = 0; e < race.EpochMean.Length; e++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{race.Model},{race.Hidden},{e + 1},{race.EpochMean[e]:R},{race.EpochSd[e]:R}");
                foreach (var run in race.EpochLosses) sb.Append(CultureInfo.InvariantCulture, $",{run[e]:R}");
                sb.Append('\n');
            }
        return sb.ToString();
    }
}
