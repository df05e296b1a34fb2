using Hindsight.Forecasting.Classical.Optimization;

namespace Hindsight.Tests.Forecasting.Classical;

public class BfgsTests
{
    // a smooth non-quadratic objective: finite differences differ in the last bits whenever the points do
    private static double Objective(ReadOnlySpan<double> p)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += Math.Exp(0.3 * p[i]) * (i + 1) + Math.Sin(p[i] * (i + 2));
        for (int i = 0; i + 1 < p.Length; i++) s += Math.Cos(p[i] * p[i + 1]) / 3;
        return Math.Log(1 + s * s);
    }

    // R's optimhess loop as written: gradient (fmingr) at dpar + eps and dpar - eps for each row, dpar restored by += eps
    private static double[] ReferenceHessian(Objective fn, double[] par, double[] scale, double ndeps, ref int evaluations)
    {
        int n = par.Length;
        var dpar = new double[n];
        for (int i = 0; i < n; i++) dpar[i] = par[i] / scale[i];
        int count = 0;
        double[] Gradient(double[] p)
        {
            var df = new double[n];
            var x = new double[n];
            for (int j = 0; j < n; j++) x[j] = p[j] * scale[j];
            for (int j = 0; j < n; j++)
            {
                x[j] = (p[j] + ndeps) * scale[j];
                double v1 = fn(x);
                x[j] = (p[j] - ndeps) * scale[j];
                double v2 = fn(x);
                count += 2;
                df[j] = (v1 - v2) / (2 * ndeps);
                x[j] = p[j] * scale[j];
            }
            return df;
        }
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / scale[i];
            dpar[i] += eps;
            var df1 = Gradient(dpar);
            dpar[i] -= 2 * eps;
            var df2 = Gradient(dpar);
            for (int j = 0; j < n; j++) h[i * n + j] = (df1[j] - df2[j]) / (2 * eps * scale[i] * scale[j]);
            dpar[i] += eps;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) h[i * n + j] = h[j * n + i] = 0.5 * (h[i * n + j] + h[j * n + i]);
        evaluations = count;
        return h;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Equals_Rs_optimhess_bit_for_bit_with_fewer_evaluations(bool twoThreads)
    {
        double[] par = [0.31, -0.72, 0.05, 1.7, -0.4];
        double[] scale = [1, 1, 1, 1, 23.5]; // ARMA-like coefficients and one regressor with parscale 10 se
        int referenceCount = 0;
        var expected = ReferenceHessian(Objective, par, scale, 1e-3, ref referenceCount);
        int count = 0;
        double Counted(ReadOnlySpan<double> p) { Interlocked.Increment(ref count); return Objective(p); }
        var h = Bfgs.Hessian(Counted, par, scale, fn2: twoThreads ? Counted : null);
        Assert.Equal(expected.Length, h.Length);
        for (int i = 0; i < h.Length; i++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(h[i]));
        Assert.Equal(4 * par.Length * par.Length, referenceCount);
        Assert.True(count < referenceCount, $"{count} evaluations, R's loop {referenceCount}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Two_threads_find_the_same_minimum_bit_for_bit(int dimension)
    {
        var start = Enumerable.Range(0, dimension).Select(i => 0.2 * i - 0.3).ToArray();
        var scale = Enumerable.Range(0, dimension).Select(i => i == dimension - 1 ? 7.5 : 1.0).ToArray();
        var one = Bfgs.Minimize(Objective, start, scale);
        var two = Bfgs.Minimize(Objective, start, scale, fn2: Objective);
        Assert.True(one.GradientCount > 2);
        Assert.Equal(one.GradientCount, two.GradientCount);
        Assert.Equal(one.FunctionCount, two.FunctionCount);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Value), BitConverter.DoubleToInt64Bits(two.Value));
        for (int i = 0; i < dimension; i++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(one.Par[i]), BitConverter.DoubleToInt64Bits(two.Par[i]));
    }

    [Fact]
    public void Fails_as_optim_on_a_non_finite_difference() =>
        Assert.Throws<OptimizationException>(() => Bfgs.Hessian(p => p[0] > 1.0005 ? double.PositiveInfinity : p[0] * p[0], [1.0, 2.0]));
}
