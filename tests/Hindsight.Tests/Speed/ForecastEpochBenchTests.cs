using Hindsight.Cli.Bench;
using Hindsight.Forecasting;

namespace Hindsight.Tests.Speed;

/// <summary>The forecast-epoch workload's PyTorch side: the script is found, its JSON line read, its failures one line.</summary>
public class ForecastEpochBenchTests
{
    [Fact]
    public void TheScriptIsBesideTheOthers()
    {
        Assert.True(File.Exists(Path.Combine(TorchReference.FindScripts(), ForecastEpochComparison.ScriptName)));
    }

    [Fact]
    public void ReadsTheScriptsJsonLine()
    {
        var t = ForecastEpochComparison.Parse("""{"engine": "pytorch 1.13.1", "threads": 1, "blas": null, "results": [{"workload": "forecast-epoch", "kind": "lstm", "description": "lstm", "windows": 3488, "batches": 109, "usPerEpoch": 1500000.5, "cpuUsPerEpoch": 900000.25, "parameters": 4876, "finalLoss": 0.9}]}""");
        Assert.Equal(new ForecastEpochComparison.TorchEpoch("pytorch 1.13.1", 1500000.5, 900000.25, 3488, 109, 4876), t);
    }

    [Theory]
    [InlineData("/nonexistent/python3", "bench --compare: /nonexistent/python3 not found")]
    [InlineData("/bin/false", "bench --compare: /bin/false torch_forecast_epoch.py rnn failed (exit 1): no output")]
    public void MissingOrFailingPythonIsOneLineError(string python, string start)
    {
        var ex = Assert.Throws<TorchUnavailableException>(() =>
            ForecastEpochComparison.RunTorch(TorchReference.FindScripts(), NeuralKind.Rnn, 2, 40, new TorchLayout("installed BLAS", null, 1, 1), python));
        Assert.StartsWith(start, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void TheStepLimitNeverCutsTheEpochShort()
    {
        var config = ForecastEpochBench.Config(NeuralKind.Lstm, windows: 3488, epochs: 1);
        Assert.Equal(109, config.Steps);
        Assert.Equal(new ForecastSettings().BatchSize, config.BatchSize);
        Assert.Equal(NeuralLoss.Mase, config.Loss);
        Assert.Equal(0, config.Validation);
    }
}
