using System.Diagnostics;
using System.Globalization;
using Hindsight.Forecasting;
using Hindsight.Optimizers;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Bench;

/// <summary>
/// Issue 11 point 7: one N-BEATS generic training step (zero_grad, forward, MSE, backward, Adam lr 1e-3) in Hindsight's
/// <see cref="ForecastNet"/> and, in the same run, in PyTorch (<c>tools/reference/nbeats_step.py</c>, same shapes),
/// alternating; prints the best us/step of each and PyTorch / Hindsight.
/// Both engines run on one thread (KernelThreads.Count = 1, torch.set_num_threads(1)) unless [threads] says otherwise.
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- nbeats [rounds] [batch] [lookback] [horizon] [width] [threads]</c>.
/// </summary>
public static class NBeatsStepHarness
{
    public static void Run(string[] args)
    {
        int Arg(int i, int d) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : d;
        int rounds = Arg(1, 2), batch = Arg(2, 32), lookback = Arg(3, 36), horizon = Arg(4, 18), width = Arg(5, 256), threads = Arg(6, 1);
        KernelThreads.Count = threads;
        const int stacks = 3, blocks = 1, layers = 2;
        Console.WriteLine($"nbeats step: batch {batch}, lookback {lookback}, horizon {horizon}, {stacks} stacks x {blocks} block, {layers} layers of {width}; {threads} thread(s), {Environment.ProcessorCount} processors, load {Load()}");
        (double Wall, double Cpu) ours = (double.PositiveInfinity, double.PositiveInfinity), torch = ours;
        for (int r = 0; r < rounds; r++)
        {
            var h = Ours(batch, lookback, horizon, width, stacks, blocks, layers);
            var t = PyTorch(batch, lookback, horizon, width, stacks, blocks, layers, threads);
            ours = (Math.Min(ours.Wall, h.Wall), Math.Min(ours.Cpu, h.Cpu));
            torch = (Math.Min(torch.Wall, t.Wall), Math.Min(torch.Cpu, t.Cpu));
            Console.WriteLine($"round {r + 1}: hindsight {h.Wall:F1} us/step ({h.Cpu:F1} CPU), pytorch {t.Wall:F1} us/step ({t.Cpu:F1} CPU)");
        }
        var parts = Breakdown(batch, lookback, horizon, width, stacks, blocks, layers);
        Console.WriteLine($"hindsight CPU us/step by part: forward {parts.Forward:F1}, forward+backward {parts.Backward:F1}, full step with Adam {parts.Step:F1}");
        Console.WriteLine($"nbeats best: hindsight {ours.Wall:F1} us/step ({ours.Cpu:F1} CPU), pytorch {torch.Wall:F1} us/step ({torch.Cpu:F1} CPU); " +
            $"pytorch / hindsight = {torch.Wall / ours.Wall:F2} wall, {torch.Cpu / ours.Cpu:F2} CPU");
    }

    // Best of 5 runs of 200 steps after 20 warm-up steps: wall and process CPU microseconds per step.
    private static (double Wall, double Cpu) Ours(int batch, int lookback, int horizon, int width, int stacks, int blocks, int layers)
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
        double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < 5; r++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 200; i++) Step();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / 200);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalMicroseconds / 200);
        }
        return (best, bestCpu);
    }

    // CPU microseconds per step (best of 3 x 100) of the forward alone, forward + backward, and the full step.
    private static (double Forward, double Backward, double Step) Breakdown(int batch, int lookback, int horizon, int width, int stacks, int blocks, int layers)
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
        double Time(int part)
        {
            var process = Process.GetCurrentProcess();
            double best = double.PositiveInfinity;
            for (int r = 0; r < 4; r++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                for (int i = 0; i < 100; i++)
                {
                    using var scope = arena.Step();
                    adam.ZeroGrad();
                    var loss = Ops.MseLoss(net.Forward(x), y);
                    if (part == 0) { Tape.Clear(); continue; }
                    loss.Backward();
                    if (part == 2) adam.Step();
                }
                process.Refresh();
                if (r > 0) best = Math.Min(best, (process.TotalProcessorTime - cpu).TotalMicroseconds / 100);
            }
            return best;
        }
        return (Time(0), Time(1), Time(2));
    }

    private static (double Wall, double Cpu) PyTorch(int batch, int lookback, int horizon, int width, int stacks, int blocks, int layers, int threads)
    {
        string script = Path.Combine(Root(), "tools", "reference", "nbeats_step.py");
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, "--batch", $"{batch}", "--lookback", $"{lookback}", "--horizon", $"{horizon}", "--width", $"{width}",
                "--stacks", $"{stacks}", "--blocks", $"{blocks}", "--layers", $"{layers}", "--steps", "50", "--repeats", "3", "--threads", $"{threads}" },
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("nbeats-torch ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"nbeats_step.py printed no timing (exit {p.ExitCode}): {output}");
        var parts = line.Split(' ');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hindsight.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
