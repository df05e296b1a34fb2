using System.Diagnostics;
using System.Globalization;
using Hindsight.Forecasting;
using Hindsight.Optimizers;

namespace Hindsight.Bench;

/// <summary>
/// Issue 11 point 7: one N-BEATS generic training step (zero_grad, forward, MSE, backward, Adam lr 1e-3) in Hindsight's
/// <see cref="ForecastNet"/> and, in the same run, in PyTorch (<c>tools/reference/nbeats_step.py</c>, same shapes),
/// alternating; prints the best us/step of each and PyTorch / Hindsight.
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- nbeats [rounds] [batch] [lookback] [horizon] [width]</c>.
/// </summary>
public static class NBeatsStepHarness
{
    public static void Run(string[] args)
    {
        int Arg(int i, int d) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : d;
        int rounds = Arg(1, 2), batch = Arg(2, 32), lookback = Arg(3, 36), horizon = Arg(4, 18), width = Arg(5, 256);
        const int stacks = 3, blocks = 1, layers = 2;
        Console.WriteLine($"nbeats step: batch {batch}, lookback {lookback}, horizon {horizon}, {stacks} stacks x {blocks} block, {layers} layers of {width}; {Environment.ProcessorCount} processors, load {Load()}");
        double ours = double.PositiveInfinity, torch = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            ours = Math.Min(ours, Hindsight(batch, lookback, horizon, width, stacks, blocks, layers));
            torch = Math.Min(torch, PyTorch(batch, lookback, horizon, width, stacks, blocks, layers));
            Console.WriteLine($"round {r + 1}: hindsight {ours:F1} us/step, pytorch {torch:F1} us/step (best so far)");
        }
        Console.WriteLine($"nbeats: hindsight {ours:F1} us/step, pytorch {torch:F1} us/step, pytorch / hindsight = {torch / ours:F2}");
    }

    // Best of 5 runs of 200 steps after 20 warm-up steps, microseconds per step.
    private static double Hindsight(int batch, int lookback, int horizon, int width, int stacks, int blocks, int layers)
    {
        var net = new ForecastNet(new NeuralConfig
        {
            Kind = NeuralKind.NBeats, Lookback = lookback, Horizon = horizon, Stacks = stacks, StackBlocks = blocks, BlockWidth = width, BlockLayers = layers,
        }, new Rng(0));
        var adam = new Adam(net.Parameters(), 1e-3f);
        var rng = new Rng(1);
        var x = Tensor.Randn(rng, batch, lookback);
        var y = Tensor.Randn(rng, batch, horizon);
        var arena = new TensorArena();
        void Step()
        {
            using var scope = arena.Step();
            adam.ZeroGrad();
            var loss = Ops.MseLoss(net.Forward(x), y);
            loss.Backward();
            adam.Step();
        }
        for (int i = 0; i < 20; i++) Step();
        double best = double.PositiveInfinity;
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++) Step();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / 200);
        }
        return best;
    }

    private static double PyTorch(int batch, int lookback, int horizon, int width, int stacks, int blocks, int layers)
    {
        string script = Path.Combine(Root(), "tools", "reference", "nbeats_step.py");
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, "--batch", $"{batch}", "--lookback", $"{lookback}", "--horizon", $"{horizon}", "--width", $"{width}",
                "--stacks", $"{stacks}", "--blocks", $"{blocks}", "--layers", $"{layers}", "--steps", "50", "--repeats", "3" },
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("nbeats-torch ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"nbeats_step.py printed no timing (exit {p.ExitCode}): {output}");
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hindsight.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
