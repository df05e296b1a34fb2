using Hindsight.Cli.Bench;
using Hindsight.Forecasting;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Speed;

/// <summary>The <c>nbeats</c> bench workload and its PyTorch side (no timings; no Python needed).</summary>
public class NBeatsWorkloadTests
{
    [Fact]
    public void IsTheGenericNetworkWithTheForecastingDefaults()
    {
        var workload = (NBeatsWorkload)Workload.Create("nbeats");
        var defaults = new ForecastSettings();
        var c = workload.Config;
        Assert.Equal(NeuralKind.NBeats, c.Kind);
        Assert.Equal((18, 36), (c.Horizon, c.Lookback));
        Assert.Equal((defaults.BatchSize, defaults.Stacks, defaults.StackBlocks, defaults.BlockLayers, defaults.BlockWidth, defaults.LearningRate),
            (c.BatchSize, c.Stacks, c.StackBlocks, c.BlockLayers, c.BlockWidth, c.LearningRate));
        Assert.Equal((32, 3, 1, 2, 256), (c.BatchSize, c.Stacks, c.StackBlocks, c.BlockLayers, c.BlockWidth));
        // sum(p.numel()) that tools/reference/nbeats_step.py prints for the same sizes: 3 x (36*256+256 + 256*256+256 + 256*54+54).
        Assert.Equal(267_426, workload.ParameterCount);
        // 3 x forward, weight and input gradients per Linear, less the data's input gradient.
        Assert.Equal(3.0 * 3 * 2 * 32 * 256 * (36 + 256 + 54) - 2.0 * 32 * 36 * 256, workload.FlopsPerStep);
    }

    [Fact]
    public void StepsReturnFiniteLossesThatFallOnTheFixedBatch()
    {
        var workload = Workload.Create("NBeats");
        float first = workload.Step();
        float last = first;
        for (int i = 0; i < 30; i++) last = workload.Step();
        Assert.True(float.IsFinite(first) && float.IsFinite(last));
        Assert.True(last < 0.5f * first, $"loss {first} -> {last}");
    }

    [Fact]
    public void SameSeedSameLoss()
    {
        var a = Workload.Create("nbeats", seed: 3);
        var b = Workload.Create("nbeats", seed: 3);
        for (int i = 0; i < 3; i++) Assert.Equal(a.Step(), b.Step());
    }

    [Fact]
    public void ScriptsAreFoundAndNamedPerWorkload()
    {
        string scripts = TorchReference.FindScripts();
        Assert.Equal(Repo.Path("tools", "reference"), scripts);
        Assert.True(File.Exists(Path.Combine(scripts, TorchReference.ScriptName("nbeats"))));
        Assert.True(File.Exists(Path.Combine(scripts, TorchReference.ScriptName("W4"))));
    }

    [Theory]
    [InlineData("/nonexistent/python3", "bench --compare: /nonexistent/python3 not found")]
    [InlineData("/bin/false", "bench --compare: /bin/false nbeats_step.py nbeats failed (exit 1): no output")]
    public void MissingOrFailingPythonIsOneLineError(string python, string start)
    {
        var ex = Assert.Throws<TorchUnavailableException>(() =>
            TorchReference.Run(TorchReference.FindScripts(), "nbeats", 1, new TorchLayout("installed BLAS", null, 1, 1), python));
        Assert.StartsWith(start, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ReadsTheScriptsJsonLine()
    {
        var t = TorchReference.Parse("""{"engine": "pytorch 1.13.1", "threads": 1, "results": [{"workload": "nbeats", "steps": 5, "usPerStep": 9000.5, "cpuUsPerStep": 8000.25, "gflopPerSecond": 5.6, "parameters": 267426, "finalLoss": 0.125}]}""");
        Assert.Equal(new TorchTiming("pytorch 1.13.1", 9000.5, 8000.25, 267426, 0.125), t);
        var w4 = TorchReference.Parse("""{"engine": "pytorch 1.13.1", "threads": 2, "results": [{"workload": "W4", "steps": 5, "usPerStep": 8000.0, "gflopPerSecond": null, "finalLoss": 0.5}]}""");
        Assert.Null(w4.CpuUsPerStep);
        Assert.Null(w4.Parameters);
    }
}
