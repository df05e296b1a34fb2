using System.Diagnostics;
using Hindsight.Cli.Commands;
using Hindsight.Cli.Live;
using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;
using Hindsight.Tests.Lesson;
using Xunit.Abstractions;

namespace Hindsight.Tests.Live;

/// <summary>
/// End to end in a real browser: headless Chromium loads the page, runs its script against the server, and the DOM
/// it renders is checked. Chromium is optional (Debian package <c>chromium</c>): without it the test is reported as skipped.
/// </summary>
public class LiveBrowserTests(ITestOutputHelper output)
{
    private static string? FindChromium()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    /// <summary>Runs headless Chromium on <paramref name="url"/> with <paramref name="mode"/> (<c>--dump-dom</c> or <c>--screenshot=...</c>); returns stdout.</summary>
    private static string Chromium(string exe, string profile, string mode, Uri url)
    {
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
                     $"--user-data-dir={profile}", "--window-size=1200,1400", "--virtual-time-budget=5000", mode, url.ToString() })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 60 s");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    [SkippableFact]
    public void HeadlessChromiumRendersTheFinishedLesson()
    {
        var chromium = FindChromium();
        // Reported as skipped (not passed) on machines without a browser, such as a fresh CI machine.
        Skip.If(chromium is null, "chromium not found on PATH (apt-get install chromium): browser check skipped.");
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 9, 16));
        var options = new LessonOptions { Models = ["fc", "rnn"], Epochs = 4, Seeds = 2, SeqLength = 5, BatchRows = 4 };
        using var view = LiveView.Start(0);
        view.Show(new LiveState(table.Source, table.Rows, table.PeriodCount, SeriesScaling.Mean, options));
        var result = LessonExperiment.Run(table, SeriesScaling.Mean, options, null, view.Add);
        view.Finish(LessonCommand.Summary(result, []));

        // The page fetches /state.json over real (not virtual) time: on a loaded machine the first load can end
        // before the fetch is rendered, so allow a few loads before judging the DOM.
        string dom = "";
        for (int attempt = 0; attempt < 4 && !dom.Contains("id=\"race-rnn-h2\""); attempt++)
            dom = Chromium(chromium!, files.PathOf("profile"), "--dump-dom", view.Address);
        Assert.Contains("done: training finished", dom);                       // the script fetched and read the state
        Assert.Contains("id=\"race-fc-h2\"", dom);                             // a card per model
        Assert.Contains("id=\"race-rnn-h2\"", dom);
        Assert.Contains("run 2/2 (seed 1), epoch 4/4", dom);
        Assert.Contains("rnn.weight_ih_l0 | rnn.weight_hh_l0", dom);
        Assert.Contains("<th>final loss (mean ± sd)</th>", dom);               // the final table
        Assert.Contains($"{result.Races[1].FinalMean:F4} ± {result.Races[1].FinalSd:F4}", dom);

        string png = files.PathOf("live.png");
        Chromium(chromium, files.PathOf("profile"), $"--screenshot={png}", view.Address);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.True(bytes.Length > 20_000, $"screenshot of {bytes.Length} bytes: is the page blank?");
        output.WriteLine($"screenshot {bytes.Length} bytes");
    }
}
