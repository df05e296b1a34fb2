using Hindsight.Inference;
using Hindsight.Layers;
using Hindsight.Layers.Recurrent;

namespace Hindsight.Bench;

/// <summary>
/// Runs one inference case in a loop for a profiler (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>):
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- inferprof lstm|gru|mlp batch seconds</c>.
/// </summary>
internal static class InferenceProfile
{
    public static void Run(string[] args)
    {
        string kind = args[1];
        int batch = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        double seconds = double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        Action call;
        if (kind == "mlp")
        {
            var p = new SequentialPredictor(new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10)));
            var x = new float[batch * 64]; var y = new float[batch * 10];
            call = () => p.Run(x, batch, y);
        }
        else
        {
            RecurrentBase layer = kind == "gru" ? new Gru(8, 128, 2, batchFirst: true) : new Lstm(1, 64, batchFirst: true);
            int steps = kind == "gru" ? 100 : 48;
            var p = new RecurrentPredictor(layer, new Linear(layer.HiddenSize, 1));
            var x = new float[batch * steps * layer.InputSize]; var y = new float[batch];
            new Rng(1).FillNormal(x, 0f, 1f);
            call = () => p.Run(x, batch, steps, y);
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long calls = 0;
        while (sw.Elapsed.TotalSeconds < seconds) { call(); calls++; }
        Console.WriteLine($"{kind} batch {batch}: {sw.Elapsed.TotalMicroseconds / calls:F1} us/call over {calls} calls");
    }
}
