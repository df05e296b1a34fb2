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
        // Help, default and range from VectorModelOptions (declared there once).
        var epochs = SettingOptions.For<VectorModelOptions, int>(nameof(VectorModelOptions.Epochs));
        var lr = SettingOptions.For<VectorModelOptions, float>(nameof(VectorModelOptions.LearningRate), "--lr");
        var batch = SettingOptions.For<VectorModelOptions, int>(nameof(VectorModelOptions.BatchSize));
        var seed = SettingOptions.For<VectorModelOptions, ulong>(nameof(VectorModelOptions.Seed));
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
