using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Tests.Forecasting.Classical;

public class NelderMeadTests
{
    private static double Function(string name, ReadOnlySpan<double> p) => name.StartsWith("rosenbrock", StringComparison.Ordinal)
        ? 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]) + (1 - p[0]) * (1 - p[0])
        : Quadratic(p);

    private static double Quadratic(ReadOnlySpan<double> p)
    {
        double[] c = [1, -2, 3, 0.5], w = [1, 10, 100, 1000];
        double s = 0;
        for (int i = 0; i < 4; i++) s += (p[i] - c[i]) * (p[i] - c[i]) * w[i];
        return s + p[0] * p[1];
    }

    [Fact]
    public void Reaches_Rs_optim_result_with_the_same_number_of_evaluations()
    {
        foreach (var c in EtsFixture.NelderMead)
        {
            var r = NelderMead.Minimize(p => Function(c.Name, p), c.Start, c.MaxIt);
            Assert.Equal(c.FnCount, r.Evaluations);
            Assert.Equal(c.Convergence, r.Fail);
            for (int i = 0; i < c.Par.Length; i++) Assert.Equal(c.Par[i], r.Parameters[i], 1e-12);
            Assert.Equal(c.Value, r.Value, 1e-12);
        }
    }

    [Fact]
    public void Rejects_a_start_where_the_function_is_not_finite() =>
        Assert.Throws<ArgumentException>(() => NelderMead.Minimize(_ => double.NaN, [1.0, 2.0]));
}
