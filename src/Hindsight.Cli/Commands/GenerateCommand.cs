using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hindsight.Plots;
using Hindsight.Text;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>The library's training defaults (one place: <see cref="TextGenOptions"/>).</summary>
internal static class TextGenDefaults
{
    private static readonly TextGenOptions Options = new();
    public static readonly int Hidden = Options.Hidden, Layers = Options.Layers, Epochs = Options.Epochs, SeqLength = Options.SeqLength, BatchSize = Options.BatchSize;
    public static readonly float LearningRate = Options.LearningRate;
}

/// <summary>Everything <c>hindsight generate train</c> was asked to do.</summary>
internal sealed record GenerateTrainArgs
{
    public string? Language { get; init; }
    public string? Data { get; init; }
    public string Model { get; init; } = "lstm";
    public int Hidden { get; init; } = TextGenDefaults.Hidden;
    public int Layers { get; init; } = TextGenDefaults.Layers;
    public int Epochs { get; init; } = TextGenDefaults.Epochs;
    public int SeqLength { get; init; } = TextGenDefaults.SeqLength;
    public int BatchSize { get; init; } = TextGenDefaults.BatchSize;
    public float LearningRate { get; init; } = TextGenDefaults.LearningRate;
    public ulong Seed { get; init; }
    public string Out { get; init; } = "hindsight-out";
    public string Format { get; init; } = "png";
    public bool Quiet { get; init; }
    public bool Json { get; init; }
}

/// <summary>
/// <c>hindsight generate train|sample</c>: character-level text generation (one-to-many) with an LSTM or GRU trained
/// on the bundled Universal Declaration of Human Rights in one language, sampled letter by letter.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var cmd = new Command("generate", "Character-level text generation (one-to-many): train an LSTM/GRU on a text, then sample it letter by letter.");
        cmd.Subcommands.Add(CreateTrain());
        cmd.Subcommands.Add(CreateSample());
        return cmd;
    }

    /// <summary>The bundled languages (the names of data/udhr_text/*.txt).</summary>
    public static string[] BundledLanguages()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "data", "udhr_text");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray() : [];
    }

    private static Command CreateTrain()
    {
        var language = new Option<string>("--language") { Description = "A bundled UDHR text: English, French, German, ... (default English)" };
        var data = new Option<FileInfo>("--data") { HelpName = "file", Description = "Train on this UTF-8 text file instead of a bundled language" }.MustExist();
        var model = SettingOptions.For<TextGenOptions, TextGenLayer>(nameof(TextGenOptions.Layer), "--model");
        // Help, default and range from TextGenOptions (declared there once).
        var hidden = SettingOptions.For<TextGenOptions, int>(nameof(TextGenOptions.Hidden));
        var layers = SettingOptions.For<TextGenOptions, int>(nameof(TextGenOptions.Layers));
        var epochs = SettingOptions.For<TextGenOptions, int>(nameof(TextGenOptions.Epochs));
        var seqLength = SettingOptions.For<TextGenOptions, int>(nameof(TextGenOptions.SeqLength));
        var batch = SettingOptions.For<TextGenOptions, int>(nameof(TextGenOptions.BatchSize));
        var lr = SettingOptions.For<TextGenOptions, float>(nameof(TextGenOptions.LearningRate), "--lr");
        var seed = SettingOptions.For<TextGenOptions, ulong>(nameof(TextGenOptions.Seed));
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Folder for the model file and the perplexity chart", DefaultValueFactory = _ => "hindsight-out" };
        var format = new Option<string>("--format") { HelpName = "png|svg", Description = "Chart format", DefaultValueFactory = _ => "png" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object and nothing else" };
        var cmd = new Command("train", "Train a character-level model (truncated BPTT, carried state, cross-entropy, Adam); report loss and perplexity per epoch; save the model file.")
        {
            language, data, model, hidden, layers, epochs, seqLength, batch, lr, seed, output, format, quiet, json,
        };
        cmd.SetAction(r => RunTrain(new GenerateTrainArgs
        {
            Language = r.GetValue(language), Data = r.GetValue(data)?.FullName, Model = r.GetValue(model).ToString().ToLowerInvariant(), Hidden = r.GetValue(hidden),
            Layers = r.GetValue(layers), Epochs = r.GetValue(epochs), SeqLength = r.GetValue(seqLength), BatchSize = r.GetValue(batch),
            LearningRate = r.GetValue(lr), Seed = r.GetValue(seed), Out = r.GetValue(output)!, Format = r.GetValue(format)!,
            Quiet = r.GetValue(quiet), Json = r.GetValue(json),
        }, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected));
        return cmd;
    }

    /// <summary>Trains and reports; a bad option or bad data prints one line on <paramref name="stderr"/> and returns 2.</summary>
    public static int RunTrain(GenerateTrainArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        TextGenOptions options;
        ChartFormat chartFormat;
        string path, name;
        try
        {
            var arch = a.Model.Trim().ToLowerInvariant();
            if (arch is not ("lstm" or "gru")) throw new ArgumentException($"--model: unknown model '{a.Model}'; expected lstm or gru.");
            options = new TextGenOptions
            {
                Gru = arch == "gru", Hidden = a.Hidden, Layers = a.Layers, Epochs = a.Epochs, SeqLength = a.SeqLength,
                BatchSize = a.BatchSize, LearningRate = a.LearningRate, Seed = a.Seed,
            };
            options.Validate();
            chartFormat = ChartFile.Parse(a.Format);
            if (a.Data is not null && a.Language is not null) throw new ArgumentException("give --language or --data, not both.");
            if (File.Exists(a.Out)) throw new ArgumentException($"--out {a.Out} is a file; expected a folder (created if missing).");
            if (a.Data is not null) { path = a.Data; name = Path.GetFileNameWithoutExtension(a.Data); }
            else
            {
                var wanted = a.Language ?? "English";
                var available = BundledLanguages();
                name = available.FirstOrDefault(l => string.Equals(l, wanted.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"--language: no bundled text '{wanted}'; available: {(available.Length > 0 ? string.Join(", ", available) : "none (was the tool built from the repository?)")}.");
                path = BundledData.Path(Path.Combine("udhr_text", name + ".txt"));
            }
        }
        catch (ArgumentException ex) { return CliErrors.Report(stderr, ex); }
        try
        {
            var corpus = TextCorpus.Load(path);
            var console = CliConsole.Create(stdout, interactive);
            var clock = Stopwatch.StartNew();
            var (model, epochs) = interactive && !a.Quiet && !a.Json ? WithProgress(console, corpus, options) : TextGenTrainer.Train(corpus, options);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var last = epochs[^1];
            string sample = TextSampler.Sample(model, 200, 0.8f, a.Seed);

            Serialization.AtomicFile.EnsureFolder(a.Out);
            string stem = $"generate-{name.ToLowerInvariant()}-{model.ArchitectureName}";
            string modelFile = Path.Combine(a.Out, stem + ".safetensors");
            model.Save(modelFile, new Dictionary<string, string>
            {
                ["data"] = Path.GetFileName(path),
                ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
                ["seq_length"] = options.SeqLength.ToString(CultureInfo.InvariantCulture),
                ["batch_size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
                ["train_loss"] = last.TrainLoss.ToString("R", CultureInfo.InvariantCulture),
                ["validation_loss"] = last.ValidationLoss.ToString("R", CultureInfo.InvariantCulture),
            });
            string chart = Path.Combine(a.Out, stem + "-perplexity" + ChartFile.Extension(chartFormat));
            ChartFile.Save(LanguageCharts.Perplexity(epochs, $"{name}: {model.ArchitectureName} (hidden {options.Hidden}), perplexity per letter"), chart, 800, 500, chartFormat);

            if (a.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new GenerateTrainJson(
                    Data: path,
                    Model: model.ArchitectureName,
                    Hidden: options.Hidden,
                    Layers: options.Layers,
                    Epochs: options.Epochs,
                    SeqLength: options.SeqLength,
                    BatchSize: options.BatchSize,
                    Lr: options.LearningRate,
                    Seed: options.Seed,
                    Parameters: model.ParameterCount,
                    Letters: corpus.Text.Length,
                    AlphabetSize: model.Alphabet.Count,
                    EpochLog: epochs.Select(e => new GenerateEpochJson(
                        e.Epoch, e.TrainLoss, e.TrainPerplexity, e.ValidationLoss, e.ValidationPerplexity, e.Seconds)).ToArray(),
                    TrainSeconds: trainSeconds,
                    Sample: new GeneratedTextJson(0.8, a.Seed, sample),
                    ModelFile: modelFile,
                    Files: [modelFile, chart]), JsonOut.Options));
                return 0;
            }
            stdout.WriteLine($"data: {path}: {corpus.Text.Length:N0} letters, alphabet of {model.Alphabet.Count}; last 10% held out");
            stdout.WriteLine($"model: {model.ArchitectureName.ToUpperInvariant()} (hidden {options.Hidden}, {options.Layers} layer{(options.Layers > 1 ? "s" : "")}) + Linear, {model.ParameterCount:N0} parameters; " +
                $"{options.BatchSize} streams, chunks of {options.SeqLength} letters with carried state, cross-entropy, Adam lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}");
            foreach (var e in epochs)
                stdout.WriteLine($"  epoch {e.Epoch,3}: loss {e.TrainLoss:F4} (perplexity {e.TrainPerplexity:F2}), held-out {e.ValidationLoss:F4} ({e.ValidationPerplexity:F2})  {e.Seconds:F1} s");
            stdout.WriteLine($"training took {trainSeconds:F1} s");
            stdout.WriteLine($"sample (temperature 0.8, seed {a.Seed}):");
            stdout.WriteLine(sample.TrimEnd('\n'));
            stdout.WriteLine($"wrote {modelFile} and {chart}");
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }

    private static (CharLanguageModel, IReadOnlyList<TextGenEpoch>) WithProgress(IAnsiConsole console, TextCorpus corpus, TextGenOptions options)
    {
        (CharLanguageModel, IReadOnlyList<TextGenEpoch>) result = default;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: options.Epochs);
                result = TextGenTrainer.Train(corpus, options, e =>
                {
                    task.Value = e.Epoch;
                    task.Description = $"perplexity {e.TrainPerplexity:F2} (held-out {e.ValidationPerplexity:F2})";
                });
            });
        return result;
    }

    private static Command CreateSample()
    {
        var file = new Option<FileInfo>("--model-file") { HelpName = "file", Description = "A model file written by 'generate train'", Required = true }.MustExist();
        // Help, default and range from TextSampleOptions (declared there once).
        var length = SettingOptions.For<TextSampleOptions, int>(nameof(TextSampleOptions.Length));
        var temperature = SettingOptions.For<TextSampleOptions, float>(nameof(TextSampleOptions.Temperature));
        var seed = SettingOptions.For<TextSampleOptions, ulong>(nameof(TextSampleOptions.Seed));
        var prompt = new Option<string>("--prompt") { Description = "Text the model reads first (default: the start of a paragraph)" };
        var json = new Option<bool>("--json") { Description = "Print the sample as one JSON object and nothing else" };
        var cmd = new Command("sample", "Generate text letter by letter from a trained model, carrying the state from letter to letter.") { file, length, temperature, seed, prompt, json };
        cmd.SetAction(r => RunSample(r.GetValue(file)!.FullName, r.GetValue(length), r.GetValue(temperature), r.GetValue(seed), r.GetValue(prompt), r.GetValue(json), Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>Loads the model and prints prompt + sample; a bad file, temperature or prompt letter is exit 2.</summary>
    public static int RunSample(string modelFile, int length, float temperature, ulong seed, string? prompt, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!(temperature >= 0 && float.IsFinite(temperature)))
        {
            stderr.WriteLine($"error: --temperature must be a finite number >= 0, got {temperature.ToString(CultureInfo.InvariantCulture)}.");
            return CliErrors.BadInput;
        }
        try
        {
            var (model, metadata) = CharLanguageModel.Load(modelFile);
            string text;
            try { text = TextSampler.Sample(model, length, temperature, seed, prompt); }
            catch (ArgumentException ex)
            {
                stderr.WriteLine($"error: --prompt: {ex.Message}");
                return CliErrors.BadInput;
            }
            if (json)
                stdout.WriteLine(JsonSerializer.Serialize(new GenerateSampleJson(
                    modelFile, model.ArchitectureName, metadata.GetValueOrDefault("data"),
                    prompt ?? "", length, temperature, seed, text), JsonOut.Options));
            else
                stdout.WriteLine((prompt ?? "") + text.TrimEnd('\n'));
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }
}
