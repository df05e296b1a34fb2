using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hindsight.Images;
using Hindsight.Plots;
using Spectre.Console;

namespace Hindsight.Cli.Commands;

/// <summary>Everything <c>hindsight images train</c> was asked to do.</summary>
internal sealed record ImagesTrainArgs
{
    public string? Data { get; init; }
    public ImageReadOptions Read { get; init; } = new();
    public string? Hidden { get; init; }
    public ImageTrainOptions Train { get; init; } = new();
    public string Out { get; init; } = "hindsight-out";
    public string Format { get; init; } = "png";
    public bool Quiet { get; init; }
    public bool Json { get; init; }
}

/// <summary>
/// <c>hindsight images train|predict</c>: the seed's first example ("everything becomes a vector") on image files: a folder
/// per class, decoded, resized, scaled to [0, 1] and flattened, classified by Linear + softmax or an MLP.
/// </summary>
internal static class ImagesCommand
{
    /// <summary>The bundled letters A-J (data/images/letters beside the executable).</summary>
    public static string BundledLetters()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "images", "letters");
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: bundled images not found (was the tool built from the repository?).");
        return path;
    }

    public static Command Create()
    {
        var cmd = new Command("images", "Classify images from a folder per class (PNG, JPEG, BMP, GIF, WebP): each image becomes one vector of pixels in [0, 1] for Linear + softmax or an MLP; the bundled set is the letters A-J in 38 fonts.");
        cmd.Subcommands.Add(CreateTrain());
        cmd.Subcommands.Add(CreatePredict());
        return cmd;
    }

    private static Command CreateTrain()
    {
        var data = new Option<DirectoryInfo>("--data") { HelpName = "dir", Description = "Folder holding one folder per class of images (default: the bundled letters A-J, 28x28 grey)" };
        // Help, default and range from ImageReadOptions and ImageTrainOptions (declared there once).
        var width = SettingOptions.For<ImageReadOptions, int?>(nameof(ImageReadOptions.Width));
        var height = SettingOptions.For<ImageReadOptions, int?>(nameof(ImageReadOptions.Height));
        var channels = SettingOptions.For<ImageReadOptions, ImageChannels?>(nameof(ImageReadOptions.Channels));
        var onBadFile = SettingOptions.For<ImageReadOptions, BadImagePolicy>(nameof(ImageReadOptions.OnBadFile));
        var maxMegapixels = SettingOptions.For<ImageReadOptions, int>(nameof(ImageReadOptions.MaxMegapixels));
        var hidden = SettingOptions.For<ImageTrainOptions, string>(nameof(ImageTrainOptions.Hidden));
        var epochs = SettingOptions.For<ImageTrainOptions, int>(nameof(ImageTrainOptions.Epochs));
        var lr = SettingOptions.For<ImageTrainOptions, float>(nameof(ImageTrainOptions.LearningRate), "--lr");
        var batch = SettingOptions.For<ImageTrainOptions, int>(nameof(ImageTrainOptions.BatchSize));
        var testFraction = SettingOptions.For<ImageTrainOptions, double>(nameof(ImageTrainOptions.TestFraction));
        var seed = SettingOptions.For<ImageTrainOptions, ulong>(nameof(ImageTrainOptions.Seed));
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Folder for the model file and the charts", DefaultValueFactory = _ => "hindsight-out" };
        var format = new Option<string>("--format") { HelpName = "png|svg", Description = "Chart format", DefaultValueFactory = _ => "png" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object and nothing else" };
        var cmd = new Command("train", "Train an image classifier on a folder per class; report held-out accuracy per class; save the model file, a confusion-matrix chart and the first weight matrix's rows as images.")
        {
            data, width, height, channels, onBadFile, maxMegapixels, hidden, epochs, lr, batch, testFraction, seed, output, format, quiet, json,
        };
        cmd.SetAction(r => RunTrain(new ImagesTrainArgs
        {
            Data = r.GetValue(data)?.FullName,
            Read = new ImageReadOptions
            {
                Width = r.GetValue(width), Height = r.GetValue(height), Channels = r.GetValue(channels), OnBadFile = r.GetValue(onBadFile),
                MaxMegapixels = r.GetValue(maxMegapixels),
            },
            Hidden = r.GetValue(hidden),
            Train = new ImageTrainOptions { Epochs = r.GetValue(epochs), LearningRate = r.GetValue(lr), BatchSize = r.GetValue(batch), TestFraction = r.GetValue(testFraction), Seed = r.GetValue(seed) },
            Out = r.GetValue(output)!, Format = r.GetValue(format)!, Quiet = r.GetValue(quiet), Json = r.GetValue(json),
        }, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected));
        return cmd;
    }

    /// <summary>"128,64" as sizes; empty or null: none (Linear + softmax).</summary>
    public static int[] ParseHidden(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() is "none" or "0") return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new ArgumentException($"--hidden: '{parts[i]}' is not a positive integer (expected e.g. 128 or 128,64).");
        return sizes;
    }

    /// <summary>Trains and reports. Bad options or data print one line on <paramref name="stderr"/> and return 2, with nothing written.</summary>
    public static int RunTrain(ImagesTrainArgs a, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        ImageTrainOptions options;
        ChartFormat chartFormat;
        try
        {
            options = a.Train with { Hidden = ParseHidden(a.Hidden) };
            options.Validate();
            Settings.SettingTable.Check(a.Read);
            chartFormat = ChartFile.Parse(a.Format);
            if (File.Exists(a.Out)) throw new ArgumentException($"--out {a.Out} is a file; expected a folder (created if missing).");
        }
        catch (ArgumentException ex) { return CliErrors.Report(stderr, ex); }
        try
        {
            string path = a.Data ?? BundledLetters();
            var set = ImageFolder.Load(path, a.Read);
            foreach (var skipped in set.Notes.Where(IsSkipNote)) stderr.WriteLine($"warning: {skipped}"); // said once, in every mode
            var (train, test) = set.Split(options.TestFraction, options.Seed);
            var probe = new ImageClassifier(set.Shape, set.Classes, options.Hidden, new Rng(0));
            if (!a.Json)
            {
                stdout.WriteLine($"data: {path}: {set.Count} images in {set.Classes.Count} classes ({string.Join(", ", set.Classes.Take(12))}{(set.Classes.Count > 12 ? ", ..." : "")}); {train.Length} for training, {test.Length} held out ({options.TestFraction:P0} of each class, seed {options.Seed})");
                foreach (var note in set.Notes.Where(n => !IsSkipNote(n))) stdout.WriteLine($"note: {note}");
                stdout.WriteLine($"each image: {set.Shape} -> {set.Shape.FeatureCount} values in [0, 1]; model: {probe.Describe()}, {probe.Network.ParameterCount:N0} parameters; cross-entropy on logits, SGD lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, batches of {options.BatchSize}, {options.Epochs} epochs");
            }
            var console = CliConsole.Create(stdout, interactive);
            var clock = Stopwatch.StartNew();
            var seconds = new List<double>();
            (ImageClassifier Model, IReadOnlyList<ImageEpoch> Epochs) trained = default;
            if (interactive && !a.Quiet && !a.Json)
                console.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("training", maxValue: options.Epochs);
                        trained = ImageTrainer.Train(set, train, options, e =>
                        {
                            seconds.Add(clock.Elapsed.TotalSeconds);
                            task.Value = e.Epoch;
                            task.Description = $"training  loss {e.Loss:F4}";
                        });
                    });
            else
                trained = ImageTrainer.Train(set, train, options, _ => seconds.Add(clock.Elapsed.TotalSeconds));
            var model = trained.Model!;
            var epochs = trained.Epochs!;
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var evaluation = ImageTrainer.Evaluate(model, set, test);

            Serialization.AtomicFile.EnsureFolder(a.Out);
            string name = options.Hidden.Count == 0 ? "linear" : "mlp";
            string modelFile = Path.Combine(a.Out, $"images-{name}.safetensors");
            ImageModelFile.Save(model, modelFile, new Dictionary<string, string>
            {
                ["data"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(path)),
                ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
                ["train_images"] = train.Length.ToString(CultureInfo.InvariantCulture),
                ["test_accuracy"] = evaluation.Accuracy.ToString("R", CultureInfo.InvariantCulture),
            });
            string ext = ChartFile.Extension(chartFormat);
            string confusionChart = Path.Combine(a.Out, $"images-{name}-confusion{ext}");
            int side = Math.Clamp(300 + 40 * set.Classes.Count, 600, 1600);
            ChartFile.Save(ImageCharts.ConfusionMatrix(set.Classes, evaluation.Confusion,
                $"{model.Describe()}: held-out accuracy {evaluation.Accuracy:P1} on {test.Length} images"), confusionChart, side + 100, side, chartFormat);
            string weightsChart = Path.Combine(a.Out, $"images-{name}-weights{ext}");
            var w = model.FirstWeight;
            var labels = options.Hidden.Count == 0 ? set.Classes : Enumerable.Range(0, w.Shape[0]).Select(k => $"unit {k}").ToArray();
            var grid = ImageCharts.WeightImages(w.Data, set.Shape.Width, set.Shape.Height, (int)set.Shape.Channels, labels, out int columns, out int rows);
            double aspect = (double)set.Shape.Height / set.Shape.Width;
            ChartFile.Save(grid, weightsChart, columns * 200, (int)Math.Round(rows * (200 * aspect + 30)), chartFormat);

            if (a.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new ImagesTrainJson(
                    Data: path, Model: model.Describe(), Hidden: options.Hidden, Width: set.Shape.Width, Height: set.Shape.Height,
                    Channels: ImageShape.Name(set.Shape.Channels), Features: set.Shape.FeatureCount, Classes: set.Classes, Epochs: options.Epochs,
                    Lr: options.LearningRate, BatchSize: options.BatchSize, TestFraction: options.TestFraction, Seed: options.Seed,
                    Parameters: model.Network.ParameterCount, TrainImages: train.Length, TestImages: test.Length, Notes: set.Notes,
                    Skipped: set.Skipped.Select(s => new SkippedFileJson(s.File, s.Reason)).ToArray(),
                    EpochLog: epochs.Select((e, i) => new ImagesEpochJson(e.Epoch, e.Loss, e.TrainAccuracy, seconds[i])).ToArray(),
                    TrainSeconds: trainSeconds, TestAccuracy: evaluation.Accuracy, TestLoss: evaluation.Loss,
                    PerClass: evaluation.PerClass.Select(p => new ClassScoreJson(p.Class, p.Images, p.Correct, p.Accuracy)).ToArray(),
                    Confusion: evaluation.Confusion, ModelFile: modelFile, Files: [modelFile, confusionChart, weightsChart]), JsonOut.Options));
                return 0;
            }
            foreach (var e in epochs)
                if (e.Epoch == 1 || e.Epoch == epochs.Count || e.Epoch % Math.Max(1, epochs.Count / 10) == 0)
                    stdout.WriteLine($"  epoch {e.Epoch,3}: loss {e.Loss:F4}, training accuracy {e.TrainAccuracy:P1}");
            var table = new Table().AddColumn("class").AddColumn(new TableColumn("held-out images").RightAligned())
                .AddColumn(new TableColumn("correct").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned());
            foreach (var p in evaluation.PerClass)
                table.AddRow(Markup.Escape(p.Class), p.Images.ToString(CultureInfo.InvariantCulture), p.Correct.ToString(CultureInfo.InvariantCulture), p.Accuracy.ToString("P1", CultureInfo.InvariantCulture));
            table.AddRow("[bold]all[/]", test.Length.ToString(CultureInfo.InvariantCulture), evaluation.Correct.ToString(CultureInfo.InvariantCulture), $"[bold]{evaluation.Accuracy.ToString("P1", CultureInfo.InvariantCulture)}[/]");
            console.Write(table);
            stdout.WriteLine($"held-out accuracy {evaluation.Accuracy:P1} (chance {1.0 / set.Classes.Count:P1}), loss {evaluation.Loss:F4}; training took {trainSeconds:F1} s");
            stdout.WriteLine($"wrote {modelFile}, {confusionChart} and {weightsChart}");
            return 0;
        }
        catch (ImageDataException ex) { return ReportData(stderr, ex); }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }

    private static bool IsSkipNote(string note) => note.StartsWith("skipped ", StringComparison.Ordinal);

    /// <summary>A bad or too large image: one line naming the file, exit 2 (a data error).</summary>
    private static int ReportData(TextWriter stderr, ImageDataException ex)
    {
        stderr.WriteLine($"error: {CliErrors.Message(ex)}");
        return CliErrors.BadInput;
    }

    private static Command CreatePredict()
    {
        var file = new Option<FileInfo>("--model-file") { HelpName = "file", Description = "A model file written by 'images train'", Required = true }.MustExist();
        var top = SettingOptions.For<ImagePredictOptions, int>(nameof(ImagePredictOptions.Top));
        var maxMegapixels = SettingOptions.For<ImageReadOptions, int>(nameof(ImageReadOptions.MaxMegapixels));
        var json = new Option<bool>("--json") { Description = "Print the predictions as one JSON object and nothing else" };
        var images = new Argument<string[]>("images") { Description = "Image files, read with the model's preprocessing (size, channels, [0, 1])", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("predict", "Class probabilities of each image file, from a model file written by 'images train'.") { file, top, maxMegapixels, json, images };
        cmd.SetAction(r => RunPredict(r.GetValue(file)!.FullName, r.GetValue(images) ?? [], r.GetValue(top), r.GetValue(maxMegapixels), r.GetValue(json), Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>Loads the model and prints the most likely classes per image; a bad model or image file is one line, exit 2, nothing printed on stdout.</summary>
    public static int RunPredict(string modelFile, string[] images, int top, int maxMegapixels, bool json, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var (model, _) = ImageModelFile.Load(modelFile);
            int shown = Math.Min(top, model.Classes.Count);
            var predictions = images.Select(image =>
            {
                var p = model.Probabilities(image, maxMegapixels);
                var order = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).Take(shown);
                return new ImagePredictionJson(image, order.Select(i => new ClassProbabilityJson(model.Classes[i], p[i])).ToArray());
            }).ToArray(); // every image read before anything is printed
            if (json)
                stdout.WriteLine(JsonSerializer.Serialize(new ImagesPredictJson(modelFile, model.Describe(), model.Shape.Width, model.Shape.Height,
                    ImageShape.Name(model.Shape.Channels), model.Classes, predictions), JsonOut.Options));
            else
                foreach (var p in predictions)
                    stdout.WriteLine($"{p.File}: {string.Join(", ", p.Top.Select(t => $"{t.Class} {t.Probability.ToString("P1", CultureInfo.InvariantCulture)}"))}");
            return 0;
        }
        catch (ImageDataException ex) { return ReportData(stderr, ex); }
        catch (Exception ex) when (CliErrors.IsExpected(ex)) { return CliErrors.Report(stderr, ex); }
    }
}
