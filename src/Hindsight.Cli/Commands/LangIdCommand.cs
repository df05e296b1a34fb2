using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hindsight.Plots;
using Hindsight.Settings;
using Hindsight.Text;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>Everything <c>hindsight langid train</c> was asked to do.</summary>
internal sealed record LangIdTrainArgs
{
    public string? Data { get; init; }
    public string Model { get; init; } = "gru";
    public int? Epochs { get; init; }
    public int Hidden { get; init; } = Defaults.Hidden;
    public float? LearningRate { get; init; }
    public int BatchSize { get; init; } = Defaults.BatchSize;
    private static readonly LanguageIdOptions Defaults = new();
    public double TestFraction { get; init; } = Split.TestFraction;
    private static readonly LanguageSplitOptions Split = new();
    public int? PerLanguage { get; init; }
    public ulong Seed { get; init; }
    public string Out { get; init; } = "hindsight-out";
    public string Format { get; init; } = "png";
    public string[] Words { get; init; } = [];
    public bool Quiet { get; init; }
    public bool Json { get; init; }
}

/// <summary>
/// <c>hindsight langid train|predict</c>: a word's language from its letters (many-to-one) on the bundled UDHR words
/// in 18 languages, with the seed's RnnCell trained one word at a time or a GRU/LSTM on padded batches.
/// </summary>
internal static class LangIdCommand
{
    /// <summary>Default epochs: the cell takes one SGD step per word, the batched layers one Adam step per batch.</summary>
    public static int DefaultEpochs(LanguageIdArchitecture a) => LanguageIdOptions.DefaultEpochs(a);

    public static Command Create()
    {
        var cmd = new Command("langid", "A word's language from its letters (many-to-one), on the bundled words of the Universal Declaration of Human Rights in 18 languages.");
        cmd.Subcommands.Add(CreateTrain());
        cmd.Subcommands.Add(CreatePredict());
        return cmd;
    }

    private static Command CreateTrain()
    {
        var data = new Option<FileInfo>("--data") { HelpName = "file", Description = "Tab-separated 'language<TAB>word' file with that header (default: the bundled udhr_words.tsv)" }.MustExist();
        var model = SettingOptions.For<LanguageIdOptions, LanguageIdArchitecture>(nameof(LanguageIdOptions.Architecture), "--model");
        // Help, default and range from LanguageIdOptions (declared there once).
        var epochs = SettingOptions.For<LanguageIdOptions, int?>(nameof(LanguageIdOptions.Epochs));
        var hidden = SettingOptions.For<LanguageIdOptions, int>(nameof(LanguageIdOptions.Hidden));
        var lr = SettingOptions.For<LanguageIdOptions, float?>(nameof(LanguageIdOptions.LearningRate), "--lr");
        var batch = SettingOptions.For<LanguageIdOptions, int>(nameof(LanguageIdOptions.BatchSize));
        var testFraction = SettingOptions.For<LanguageSplitOptions, double>(nameof(LanguageSplitOptions.TestFraction));
        var perLanguage = SettingOptions.For<LanguageSplitOptions, int?>(nameof(LanguageSplitOptions.PerLanguage));
        var seed = SettingOptions.For<LanguageIdOptions, ulong>(nameof(LanguageIdOptions.Seed));
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Folder for the model file and the confusion matrix", DefaultValueFactory = _ => "hindsight-out" };
        var format = new Option<string>("--format") { HelpName = "png|svg", Description = "Chart format", DefaultValueFactory = _ => "png" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object and nothing else" };
        var words = new Argument<string[]>("words") { Description = "Words to predict with the trained model (top 3 each)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("train", "Train a language identifier, report held-out accuracy per language, save the model file and a confusion-matrix heat map.")
        {
            data, model, epochs, hidden, lr, batch, testFraction, perLanguage, seed, output, format, quiet, json, words,
        };
        cmd.SetAction(r => RunTrain(new LangIdTrainArgs
        {
            Data = r.GetValue(data)?.FullName, Model = LanguageIdModel.Name(r.GetValue(model)), Epochs = r.GetValue(epochs), Hidden = r.GetValue(hidden),
            LearningRate = r.GetValue(lr), BatchSize = r.GetValue(batch), TestFraction = r.GetValue(testFraction), PerLanguage = r.GetValue(perLanguage),
            Seed = r.GetValue(seed), Out = r.GetValue(output)!, Format = r.GetValue(format)!, Quiet = r.GetValue(quiet), Json = r.GetValue(json),
            Words = r.GetValue(words) ?? [],
        }, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected));
        return cmd;
    }

    /// <summary>Trains and reports; a bad option or bad data prints one line on <paramref name="stderr"/> and returns 2.</summary>
    public static int RunTrain(LangIdTrainArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        LanguageIdOptions options;
        LanguageSplitOptions split;
        ChartFormat chartFormat;
        try
        {
            var arch = LanguageIdModel.ParseArchitecture(a.Model);
            options = new LanguageIdOptions
            {
                Architecture = arch, Hidden = a.Hidden, Epochs = a.Epochs ?? DefaultEpochs(arch), LearningRate = a.LearningRate,
                BatchSize = a.BatchSize, Seed = a.Seed,
            };
            options.Validate();
            chartFormat = ChartFile.Parse(a.Format);
            split = new LanguageSplitOptions { TestFraction = a.TestFraction, PerLanguage = a.PerLanguage };
            SettingTable.Check(split);
            if (File.Exists(a.Out)) throw new ArgumentException($"--out {a.Out} is a file; expected a folder (created if missing).");
        }
        catch (ArgumentException ex) { return CliErrors.Report(stderr, ex); }
        try
        {
            string path = a.Data ?? BundledData.Path("udhr_words.tsv");
            var all = LanguageWords.Load(path);
            var (train, test) = split.Apply(all, a.Seed);
            if (CheckWords(Alphabet.FromTexts(train.Words), a.Words) is { } problem)
            {
                stderr.WriteLine($"error: {problem}");
                return CliErrors.BadInput;
            }
            if (!a.Json)
            {
                // Say what runs before the progress bar starts, not after it ends.
                string modelName = LanguageIdModel.Name(options.Architecture);
                int parameters = new LanguageIdModel(options.Architecture, Alphabet.FromTexts(train.Words), train.Languages, options.Hidden, new Rng(0)).Network.ParameterCount;
                stdout.WriteLine($"data: {path}: {train.Count + test.Count} words in {all.Languages.Count} languages; {train.Count} for training, {test.Count} held out (seed {options.Seed})");
                stdout.WriteLine(options.Architecture == LanguageIdArchitecture.Cell
                    ? $"model: the seed's RnnCell (i2h, i2o on cat(letter, hidden)), hidden {options.Hidden}, {parameters:N0} parameters; one word per SGD step (lr {options.EffectiveLearningRate.ToString(CultureInfo.InvariantCulture)}), NLL, {options.EffectiveEpochs} epochs"
                    : $"model: {modelName.ToUpperInvariant()} (hidden {options.Hidden}) + Linear on the final state, {parameters:N0} parameters; padded batches of {options.BatchSize} words, cross-entropy, Adam lr {options.EffectiveLearningRate.ToString(CultureInfo.InvariantCulture)}, {options.EffectiveEpochs} epochs");
            }
            var console = CliConsole.Create(stdout, interactive);
            var clock = Stopwatch.StartNew();
            var (model, epochs) = interactive && !a.Quiet && !a.Json
                ? WithProgress(console, train, options)
                : LanguageIdTrainer.Train(train, options);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var evaluation = LanguageIdTrainer.Evaluate(model, test);
            var predictions = Predictions(model, a.Words);

            Serialization.AtomicFile.EnsureFolder(a.Out);
            string name = LanguageIdModel.Name(options.Architecture);
            string modelFile = Path.Combine(a.Out, $"langid-{name}.safetensors");
            model.Save(modelFile, new Dictionary<string, string>
            {
                ["data"] = Path.GetFileName(path),
                ["epochs"] = options.EffectiveEpochs.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = options.EffectiveLearningRate.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
                ["train_words"] = train.Count.ToString(CultureInfo.InvariantCulture),
                ["test_accuracy"] = evaluation.Accuracy.ToString("R", CultureInfo.InvariantCulture),
            });
            string chart = Path.Combine(a.Out, $"langid-{name}-confusion{ChartFile.Extension(chartFormat)}");
            ChartFile.Save(LanguageCharts.ConfusionMatrix(evaluation,
                $"{name} (hidden {options.Hidden}, {options.EffectiveEpochs} epochs): held-out accuracy {evaluation.Accuracy:P1} on {test.Count} words"),
                chart, 1000, 900, chartFormat);

            if (a.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new LangIdTrainJson(
                    Data: path,
                    Model: name,
                    Hidden: options.Hidden,
                    Epochs: options.EffectiveEpochs,
                    Lr: options.EffectiveLearningRate,
                    BatchSize: options.Architecture == LanguageIdArchitecture.Cell ? 1 : options.BatchSize,
                    Seed: options.Seed,
                    Parameters: model.Network.ParameterCount,
                    AlphabetSize: model.Alphabet.Count,
                    Languages: model.Languages,
                    TrainWords: train.Count,
                    TestWords: test.Count,
                    EpochLog: epochs.Select(e => new LangIdEpochJson(e.Epoch, e.Loss, e.TrainAccuracy, e.Seconds)).ToArray(),
                    TrainSeconds: trainSeconds,
                    TestAccuracy: evaluation.Accuracy,
                    Unreadable: evaluation.Unreadable,
                    PerLanguage: evaluation.PerLanguage.Select(p => new LanguageScoreJson(p.Language, p.Words, p.Correct, p.Accuracy, p.Unreadable)).ToArray(),
                    Confusion: evaluation.Confusion,
                    Predictions: PredictionJson(predictions),
                    ModelFile: modelFile,
                    Files: [modelFile, chart]), JsonOut.Options));
                return 0;
            }
            foreach (var e in epochs)
                stdout.WriteLine($"  epoch {e.Epoch,3}: loss {e.Loss:F4}, training accuracy {e.TrainAccuracy:P1}  ({e.Seconds:F1} s)");
            var table = new Table().AddColumn("language").AddColumn(new TableColumn("held-out words").RightAligned())
                .AddColumn(new TableColumn("correct").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned());
            foreach (var p in evaluation.PerLanguage)
                table.AddRow(Markup.Escape(p.Language), p.Words.ToString(CultureInfo.InvariantCulture), p.Correct.ToString(CultureInfo.InvariantCulture), p.Accuracy.ToString("P1", CultureInfo.InvariantCulture));
            table.AddRow("[bold]all[/]", test.Count.ToString(CultureInfo.InvariantCulture), evaluation.Correct.ToString(CultureInfo.InvariantCulture), $"[bold]{evaluation.Accuracy.ToString("P1", CultureInfo.InvariantCulture)}[/]");
            console.Write(table);
            if (evaluation.Unreadable > 0)
                stdout.WriteLine($"{evaluation.Unreadable} held-out words contain a letter absent from the training words; they count as wrong.");
            stdout.WriteLine($"held-out accuracy {evaluation.Accuracy:P1} (chance {1.0 / model.Languages.Count:P1}); training took {trainSeconds:F1} s");
            PrintPredictions(stdout, predictions);
            stdout.WriteLine($"wrote {modelFile} and {chart}");
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }

    /// <summary>Null when every word can be read with <paramref name="alphabet"/> (the training words' letters), else the problem.</summary>
    private static string? CheckWords(Alphabet alphabet, string[] words)
    {
        foreach (var w in words)
        {
            var normalized = LanguageIdModel.NormalizeWord(w);
            if (normalized.Length == 0) return "an empty word was given; it has no language.";
            try { alphabet.Encode(normalized); }
            catch (ArgumentException ex) { return ex.Message; }
        }
        return null;
    }

    private static (LanguageIdModel, IReadOnlyList<LanguageIdEpoch>) WithProgress(IAnsiConsole console, LanguageWords train, LanguageIdOptions options)
    {
        (LanguageIdModel, IReadOnlyList<LanguageIdEpoch>) result = default;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(LanguageIdModel.Name(options.Architecture), maxValue: options.EffectiveEpochs);
                result = LanguageIdTrainer.Train(train, options, e =>
                {
                    task.Value = e.Epoch;
                    task.Description = $"{LanguageIdModel.Name(options.Architecture)}  loss {e.Loss:F4}";
                });
            });
        return result;
    }


    private sealed record WordPrediction(string Word, IReadOnlyList<(string Language, double Probability)> Top);

    /// <summary>Top-3 of each word; an unknown letter is an ArgumentException naming it (checked for every word first).</summary>
    private static WordPrediction[] Predictions(LanguageIdModel model, string[] words) =>
        words.Select(w => new WordPrediction(w, model.Top(w, Math.Min(3, model.Languages.Count)))).ToArray();

    private static WordPredictionJson[] PredictionJson(WordPrediction[] predictions) =>
        predictions.Select(p => new WordPredictionJson(p.Word, p.Top.Select(t => new LanguageProbabilityJson(t.Language, t.Probability)).ToArray())).ToArray();

    private static void PrintPredictions(TextWriter stdout, WordPrediction[] predictions)
    {
        foreach (var p in predictions)
            stdout.WriteLine($"{p.Word}: {string.Join(", ", p.Top.Select(t => $"{t.Language} {t.Probability:P1}"))}");
    }

    private static Command CreatePredict()
    {
        var file = new Option<FileInfo>("--model-file") { HelpName = "file", Description = "A model file written by 'langid train'", Required = true }.MustExist();
        var top = new Option<int>("--top") { Description = "Languages to show per word", DefaultValueFactory = _ => 3 }.Positive();
        var json = new Option<bool>("--json") { Description = "Print the predictions as one JSON object and nothing else" };
        var words = new Argument<string[]>("words") { Description = "Words (trimmed and lower-cased before reading)", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("predict", "The most likely languages of each word, from a trained model file.") { file, top, json, words };
        cmd.SetAction(r => RunPredict(r.GetValue(file)!.FullName, r.GetValue(words) ?? [], r.GetValue(top), r.GetValue(json), Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>Loads the model and prints the top languages per word; a bad file or a letter the model never saw is exit 2.</summary>
    public static int RunPredict(string modelFile, string[] words, int top, bool json, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var (model, _) = LanguageIdModel.Load(modelFile);
            var predictions = words.Select(w => new WordPrediction(w, model.Top(w, Math.Min(top, model.Languages.Count)))).ToArray();
            if (json)
                stdout.WriteLine(JsonSerializer.Serialize(new LangIdPredictJson(modelFile, LanguageIdModel.Name(model.Architecture), PredictionJson(predictions)), JsonOut.Options));
            else
                foreach (var p in predictions)
                    stdout.WriteLine($"{p.Word}: {string.Join(", ", p.Top.Select(t => $"{t.Language} {t.Probability.ToString("P1", CultureInfo.InvariantCulture)}"))}");
            return 0;
        }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }
}
