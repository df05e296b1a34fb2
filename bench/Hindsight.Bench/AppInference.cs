using System.Diagnostics;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Data;
using Hindsight.Forecasting.EsRnn;
using Hindsight.Text;

namespace Hindsight.Bench;

/// <summary>
/// The applications' inference paths (issue 13 part 1) against their <c>Forward</c> under <c>Tape.NoGrad()</c>, in the
/// same process and alternating rounds: each workload's time per call with the path off and on, best of the rounds in
/// wall-clock and in the calling thread's CPU time (the steadier figure on a shared machine), and the two results
/// checked equal bit for bit first.
/// <code>dotnet run -c Release --project bench/Hindsight.Bench -- appinfer [rounds] [filter]</code>
/// </summary>
internal static class AppInference
{
    private sealed record Workload(string Name, Func<float[]> Off, Func<float[]> On);

    public static void Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        string filter = args.Length > 2 ? args[2] : "";
        Console.WriteLine($"appinfer: {rounds} rounds, {Environment.ProcessorCount} processors, load {Load()}");
        var workloads = Text().Concat(Forecasting()).Concat(Covariates()).Where(w => w.Name.Contains(filter, StringComparison.Ordinal)).ToList();
        foreach (var w in workloads)
            if (!w.Off().AsSpan().SequenceEqual(w.On())) throw new InvalidOperationException($"{w.Name}: the inference path's results differ from Forward's.");
        var best = workloads.ToDictionary(w => w.Name, _ => new double[4] { double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue });
        for (int r = 0; r < rounds; r++)
            foreach (var w in workloads)
            {
                var b = best[w.Name];
                var (offUs, offCpu) = Time(w.Off);
                var (onUs, onCpu) = Time(w.On);
                b[0] = Math.Min(b[0], offUs); b[1] = Math.Min(b[1], onUs); b[2] = Math.Min(b[2], offCpu); b[3] = Math.Min(b[3], onCpu);
            }
        Console.WriteLine("| workload | Forward us | inference us | speed-up | Forward CPU us | inference CPU us | CPU speed-up |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var w in workloads)
        {
            var b = best[w.Name];
            Console.WriteLine($"| {w.Name} | {b[0]:F0} | {b[1]:F0} | **{b[0] / b[1]:F2}x** | {b[2]:F0} | {b[3]:F0} | **{b[2] / b[3]:F2}x** |");
        }
        Console.WriteLine($"(load at the end {Load()})");
    }

    // Global forecasters trained briefly on the 14 bundled unemployment series (monthly, 2000-2010); Predict of the next
    // 12 months for every series (batch 14), and for 24 backtest origins of every series in one call (batch 336).
    private static IEnumerable<Workload> Forecasting()
    {
        var data = SeriesCsv.Load(Path.Combine(RepoRoot(), "data", "unemployment_wide.csv"));
        var series = data.Items.Select(s => s.Values).ToArray();
        var settings = new ForecastSettings { Horizon = 12, Lookback = 24, SeasonalPeriod = 12, Epochs = 3, Ensemble = 1, Validation = 0, Patience = 0, Seed = 1 };
        var origins = Enumerable.Range(0, 24).SelectMany(o => series.Select((s, i) => new ForecastInput(i, s.AsMemory(0, s.Length - 12 - o)))).ToList();
        var last = series.Select((s, i) => new ForecastInput(i, s)).ToList();
        foreach (var (name, s) in new (string, ForecastSettings)[]
        {
            ("mlp", settings), ("lstm", settings), ("gru", settings), ("lstm recursive", settings with { Recursive = true }),
            ("nbeats", settings), ("nhits", settings), ("esrnn", settings), ("jordan", settings),
        })
        {
            var model = s.Create(name.Split(' ')[0]);
            model.Fit(series);
            void Path(bool on)
            {
                if (model is NeuralForecaster n) n.UseInferencePath = on; else ((EsRnnForecaster)model).UseInferencePath = on;
            }
            foreach (var (what, inputs) in new[] { ("14 series", last), ("336 origins", origins) })
                yield return new Workload($"{name}, {what}",
                    () => { Path(false); return [.. model.Predict(inputs, 12).SelectMany(f => f)]; },
                    () => { Path(true); return [.. model.Predict(inputs, 12).SelectMany(f => f)]; });
        }
    }

    // Forecasters with covariates, trained briefly on the bundled gapminder panel (185 countries, 57 years of life
    // expectancy; fertility as a past covariate, continent and region as static ones, so rnn, lstm and gru decode through
    // their recurrent decoder): Predict of 5 years for every country (batch 185) and for 8 backtest origins of each
    // (batch 1480).
    private static IEnumerable<Workload> Covariates()
    {
        var data = CovariateCsv.Load(Path.Combine(RepoRoot(), "data", "gapminder-life-expectancy.csv"), new SeriesCsvOptions { ValueColumn = "life_expectancy" },
            new CovariateOptions { Static = "continent,region", Past = "fertility" });
        var settings = new ForecastSettings { Horizon = 5, Lookback = 20, SeasonalPeriod = 1, Epochs = 3, Ensemble = 1, Validation = 0, Patience = 0, Seed = 1 };
        var items = data.Items;
        var last = items.Select((s, i) => new ForecastInput(i, s.Values) { Covariates = s.Covariates }).ToList();
        var origins = Enumerable.Range(0, 8).SelectMany(o => items.Select((s, i) =>
            new ForecastInput(i, s.Values.AsMemory(0, s.Length - 5 - o)) { Covariates = s.Covariates })).ToList();
        foreach (var name in new[] { "mlp", "gru", "lstm", "nhits" })
        {
            var model = (NeuralForecaster)settings.Create(name);
            model.FitSeries(data);
            foreach (var (what, inputs) in new[] { ("185 series", last), ("1480 origins", origins) })
                yield return new Workload($"{name} with covariates, {what}",
                    () => { model.UseInferencePath = false; return [.. model.Predict(inputs, 5).SelectMany(f => f)]; },
                    () => { model.UseInferencePath = true; return [.. model.Predict(inputs, 5).SelectMany(f => f)]; });
        }
    }

    // Language ID (hidden 128, untrained: the same arithmetic) on one word and on 1000 words of the bundled UDHR list;
    // generation of 200 letters (hidden 128, one and two LSTM layers) after a 4-letter prompt, the state carried.
    private static IEnumerable<Workload> Text()
    {
        var words = LanguageWords.Load(Path.Combine(RepoRoot(), "data", "udhr_words.tsv"));
        var alphabet = Alphabet.FromTexts(words.Words);
        var thousand = words.Words.Take(1000).ToArray();
        string[] one = ["menschenrechte"];
        foreach (var architecture in new[] { LanguageIdArchitecture.Cell, LanguageIdArchitecture.Gru, LanguageIdArchitecture.Lstm })
        {
            var model = new LanguageIdModel(architecture, alphabet, words.Languages, 128, new Rng(1));
            foreach (var (what, batch) in new[] { ("1 word", one), ("1000 words", thousand) })
                yield return new Workload($"langid {LanguageIdModel.Name(architecture)}, {what}",
                    () => TextOff(() => model.LogProbabilities(batch)), () => model.LogProbabilities(batch));
        }
        var letters = Alphabet.FromTexts([string.Join(" ", words.Words.Take(5000)) + "\n"]);
        foreach (int layers in new[] { 1, 2 })
        {
            var model = new CharLanguageModel(false, letters, 128, layers, new Rng(2));
            float[] Sample() => [.. TextSampler.Sample(model, 200, 0.8f, 3, "the ").Select(c => (float)c)];
            yield return new Workload($"generate lstm {layers} layer{(layers > 1 ? "s" : "")}, 200 letters", () => TextOff(Sample), Sample);
        }
    }

    private static float[] TextOff(Func<float[]> f)
    {
        InferencePath.Off = true;
        try { return f(); }
        finally { InferencePath.Off = false; }
    }

    // Microseconds per call (wall, calling thread's CPU) over at least 0.3 s after one untimed call.
    private static (double Us, double CpuUs) Time(Func<float[]> call)
    {
        call();
        double cpu0 = InferenceComparison.ThreadCpuMicroseconds();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        do { call(); calls++; } while (calls < 2 || sw.Elapsed.TotalSeconds < 0.3);
        return (sw.Elapsed.TotalMicroseconds / calls, (InferenceComparison.ThreadCpuMicroseconds() - cpu0) / calls);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hindsight.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("appinfer: run from inside the repository (Hindsight.slnx not found).");
    }

    private static string Load()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
