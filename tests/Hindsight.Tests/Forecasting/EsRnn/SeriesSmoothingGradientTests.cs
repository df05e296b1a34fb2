using Hindsight.Forecasting.EsRnn;

namespace Hindsight.Tests.Forecasting.EsRnn;

/// <summary>
/// The hand-written backward of the exponential smoothing (through the normalised windows and the level penalty) against
/// central finite differences of the same forward, on tiny data, for every smoothing parameter.
/// </summary>
public class SeriesSmoothingGradientTests
{
    private static float[][] TinySeries() =>
    [
        [5f, 7f, 4f, 6f, 8f, 5f, 7f, 9f, 6f, 8f, 10f, 7f, 9f],
        [2f, 3f, 1.5f, 2.2f, 3.4f, 1.7f, 2.5f, 3.3f, 2.0f, 2.6f, 3.9f, 2.1f],
    ];

    private static readonly (int S, int T)[] Windows = [(0, 5), (0, 8), (1, 4), (1, 9), (0, 10)];
    private const int Lookback = 4, Horizon = 3;

    // sum(z * g) + penalty, in double, for the smoothing's current parameters; with gradients when record is true.
    private static double Loss(SeriesSmoothing es, float[][] y, float[] g, float weight, bool record)
    {
        Tape.Clear();
        if (!record)
        {
            using (Tape.NoGrad()) return Value(es, y, g, weight, out _);
        }
        double v = Value(es, y, g, weight, out var loss);
        loss.Backward();
        return v;
    }

    private static double Value(SeriesSmoothing es, float[][] y, float[] g, float weight, out Tensor loss)
    {
        var z = NormalisedWindows.Build(es, y, Windows, Lookback, Horizon);
        var penalty = NormalisedWindows.LevelPenalty(es, y, Windows.Select(w => w.S), s => y[s].Length - 2, weight);
        loss = Ops.Add(Ops.Sum(Ops.Mul(z, Tensor.FromArray(g, z.Dim(0), z.Dim(1)))), penalty);
        double v = penalty.Data[0];
        for (int i = 0; i < z.Length; i++) v += (double)z.Data[i] * g[i];
        return v;
    }

    [Theory]
    [InlineData(3, 0f)]
    [InlineData(3, 5f)]
    [InlineData(1, 5f)]
    public void BackwardMatchesFiniteDifferences(int season, float penaltyWeight)
    {
        var y = TinySeries();
        var es = new SeriesSmoothing(2, season);
        var rng = new Rng(7);
        foreach (var p in es.Parameters()) for (int i = 0; i < p.Length; i++) p.Data[i] = (float)(0.6 * rng.NextGaussian());
        var g = new float[Windows.Length * (Lookback + Horizon)];
        for (int i = 0; i < g.Length; i++) g[i] = (float)rng.NextGaussian();
        es.ZeroGrad();
        Loss(es, y, g, penaltyWeight, record: true);
        const float eps = 1e-2f;
        int checkedCount = 0;
        double largest = 0;
        foreach (var (name, p) in es.NamedParameters())
        {
            var analytic = p.Grad!.Data.ToArray();
            for (int i = 0; i < p.Length; i++)
            {
                float keep = p.Data[i];
                p.Data[i] = keep + eps; double up = Loss(es, y, g, penaltyWeight, record: false);
                p.Data[i] = keep - eps; double down = Loss(es, y, g, penaltyWeight, record: false);
                p.Data[i] = keep;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{name}[{i}]: backward {analytic[i]}, finite difference {numeric}");
                checkedCount++;
                largest = Math.Max(largest, Math.Abs(numeric));
            }
        }
        Assert.Equal(season > 1 ? 2 + 2 + 2 * season : 2, checkedCount);
        Assert.True(largest > 0.05, $"the largest gradient is {largest}: the check compares nothing");
    }

    [Fact]
    public void WindowsAreLogsOfValuesOverLevelAndSeason()
    {
        // Constant smoothing on an exactly seasonal series: level = the deseasonalised value, normalised inputs = 0.
        float[] pattern = [0.8f, 1.0f, 1.2f];
        var y = new[] { Enumerable.Range(0, 12).Select(t => 10f * pattern[t % 3]).ToArray() };
        var es = new SeriesSmoothing(1, 3);
        es.InitialiseSeason(0, y[0]);
        using (Tape.NoGrad())
        {
            var z = NormalisedWindows.Build(es, y, [(0, 6)], 3, 3);
            foreach (float v in z.Data) Assert.True(Math.Abs(v) < 1e-5, $"normalised value {v}");
        }
    }
}
