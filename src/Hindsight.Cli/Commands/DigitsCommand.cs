using System.CommandLine;
using System.Text.Json;
using Hindsight.Data;
using Hindsight.Lesson.Digits;

namespace Hindsight.Cli.Commands;

/// <summary><c>hindsight digits</c>: the seed's "everything becomes a vector" example on the bundled hand-written digits.</summary>
internal static class DigitsCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "CSV(.gz) of rows 'features...,label' (default: the bundled 8x8 digits)" }.MustExist();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training rows", DefaultValueFactory = _ => 30 }.Positive();
        var lr = new Option<float>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => 0.1f }.PositiveFinite();
        var batch = new Option<int>("--batch-size") { Description = "Rows per SGD step", DefaultValueFactory = _ => 32 }.Positive();
        var seed = new Option<ulong>("--seed") { Description = "Seed of split, shuffling and initial weights", DefaultValueFactory = _ => 0UL };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object" };
        var cmd = new Command("digits", "Train Linear+Softmax (cross-entropy, SGD) on flattened 8x8 digits, and the same model with out_features=1 as a regression; print held-out accuracy.")
        {
            data, epochs, lr, batch, seed, json,
        };
        cmd.SetAction(r =>
        {
            string path = r.GetValue(data)?.FullName ?? BundledData.Path("digits.csv.gz");
            var set = LabeledVectors.Load(path);
            var options = new VectorModelOptions { Epochs = r.GetValue(epochs), LearningRate = r.GetValue(lr), BatchSize = r.GetValue(batch), Seed = r.GetValue(seed) };
            var classification = VectorModelTask.Classify(set, options);
            var regression = VectorModelTask.Regress(set, options with { LearningRate = Math.Min(options.LearningRate, 0.05f) });
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new DigitsJson(path, classification, regression), JsonOut.Options));
                return 0;
            }
            Console.WriteLine($"digits: {set.Count} images of {set.FeatureCount} pixels, {classification.TrainRows} for training, {classification.TestRows} held out");
            Console.WriteLine($"Linear({set.FeatureCount},{set.ClassCount}) + softmax, cross-entropy, SGD lr {options.LearningRate}, {options.Epochs} epochs: held-out accuracy {classification.TestAccuracy:P1} (loss {classification.TestLoss:F4})");
            Console.WriteLine($"Linear({set.FeatureCount},1) regression on the digit value, MSE: held-out RMSE {regression.TestRmse:F3}, rounded accuracy {regression.TestAccuracy:P1}");
            return 0;
        });
        return cmd;
    }
}
