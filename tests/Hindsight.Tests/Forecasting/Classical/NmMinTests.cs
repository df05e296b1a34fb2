using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>The Nelder-Mead port theta and ets share against R's optim(method = "Nelder-Mead").</summary>
public class NmMinTests
{
    [Fact]
    public void RosenbrockMatchesRsOptim()
    {
        // R: fr <- function(x) 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2; optim(c(-1.2, 1), fr)
        static double Rosenbrock(ReadOnlySpan<double> x) => 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);
        var r = NelderMead.Minimize(Rosenbrock, [-1.2, 1], maxit: 500);
        Assert.Equal(1.0002601387256695, r.Parameters[0], 1e-15);
        Assert.Equal(1.000505999303765, r.Parameters[1], 1e-15);
        Assert.Equal(8.8252410967227472e-08, r.Value, 1e-20);
        Assert.Equal(195, r.Evaluations);
        Assert.Equal(0, r.Fail);
    }

    [Fact]
    public void StopsAtMaxitAndRejectsANonFiniteStart()
    {
        var r = NelderMead.Minimize(x => x[0] * x[0] + x[1] * x[1], [3, 4], maxit: 10);
        Assert.Equal(1, r.Fail);
        Assert.Throws<ArgumentException>(() => NelderMead.Minimize(_ => double.NaN, [1.0], maxit: 10));
    }
}
