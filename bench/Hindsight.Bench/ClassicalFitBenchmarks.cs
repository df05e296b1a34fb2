using BenchmarkDotNet.Attributes;
using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;

namespace Hindsight.Bench;

/// <summary>
/// Fitting one classical model (and forecasting 18 months) on a 200-point monthly series: the first 200 months of the
/// benchmark's Nino 1+2 sea surface temperatures (bench/forecast/series.csv). Issue 10 asks for under 50 ms each.
/// </summary>
[MemoryDiagnoser]
public class ClassicalFitBenchmarks
{
    [Params("ets", "theta", "otm", "arima")]
    public string Model { get; set; } = "ets";

    private float[] _series = [];
    private ForecastSettings _settings = new();

    [GlobalSetup]
    public void Setup()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Hindsight.slnx"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("Hindsight.slnx");
        var data = SeriesCsv.Load(Path.Combine(root, "bench", "forecast", "series.csv"));
        _series = data["elnino_nino12"].Values[..200];
        _settings = new ForecastSettings { SeasonalPeriod = 12, Horizon = 18 };
    }

    [Benchmark]
    public float FitAndForecast()
    {
        var model = _settings.Create(Model);
        model.Fit([_series]);
        return model.Predict(18)[0][^1];
    }
}
