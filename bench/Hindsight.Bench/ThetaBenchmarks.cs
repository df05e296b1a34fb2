using BenchmarkDotNet.Attributes;
using Hindsight.Forecasting.Classical.Theta;

namespace Hindsight.Bench;

/// <summary>
/// Fit and forecast of the theta models on one 200-point monthly series (issue 10: well under 50 ms each).
/// <c>dotnet run -c Release --project bench/Hindsight.Bench -- --filter '*Theta*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ThetaBenchmarks
{
    [Params("theta", "otm", "dotm")]
    public string Model { get; set; } = "theta";

    private float[] _series = [];

    [GlobalSetup]
    public void Setup()
    {
        // a trending seasonal series with a deterministic wobble (multiplicative season, so thetaf adjusts it)
        _series = [.. Enumerable.Range(0, 200).Select(t => (float)((100 + 0.5 * t) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / 12)) + 3 * Math.Sin(0.7 * t * t)))];
    }

    [Benchmark]
    public float FitAndForecast()
    {
        Hindsight.Forecasting.Forecaster model = Model == "theta" ? new ThetaForecaster(12) : new OptimizedThetaForecaster(12, Model == "dotm");
        model.Fit([_series]);
        return model.Predict(18)[0][^1];
    }
}
