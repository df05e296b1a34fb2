using Hindsight.Forecasting.Classical.Arima;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>The SVD and least squares behind the regression part, on small matrices with known answers.</summary>
public class RegressionAlgebraTests
{
    [Fact]
    public void SvdRotatesToOrthogonalColumnsWithDescendingNorms()
    {
        var rng = new Random(3);
        for (int k = 1; k <= 5; k++)
        {
            var cols = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, 30).Select(i => rng.NextDouble() * (j + 1) + (j == 0 ? 100 : i)).ToArray()).ToArray();
            var (sv, v) = RegressionAlgebra.Svd(cols);
            var u = RegressionAlgebra.Rotate(cols, v);
            for (int a = 0; a < k; a++)
            {
                Assert.Equal(sv[a], Math.Sqrt(u[a].Sum(x => x * x)), 1e-9 * sv[0]);
                if (a > 0) Assert.True(sv[a] <= sv[a - 1]);
                for (int b = 0; b < k; b++)
                {
                    double vv = 0, uu = 0;
                    for (int j = 0; j < k; j++) vv += v[j][a] * v[j][b];
                    for (int i = 0; i < 30; i++) uu += u[a][i] * u[b][i];
                    Assert.Equal(a == b ? 1 : 0, vv, 1e-12);
                    if (a != b) Assert.Equal(0, uu, 1e-9 * sv[0] * sv[0]);
                }
            }
            // V b undoes the rotation: X (V b) = (X V) b
            var coef = Enumerable.Range(0, k).Select(j => j + 0.5).ToArray();
            var back = RegressionAlgebra.Multiply(v, coef);
            for (int i = 0; i < 30; i++)
            {
                double viaRotated = 0, viaOriginal = 0;
                for (int j = 0; j < k; j++) { viaRotated += u[j][i] * coef[j]; viaOriginal += cols[j][i] * back[j]; }
                Assert.Equal(viaRotated, viaOriginal, 1e-9 * Math.Abs(viaRotated));
            }
        }
    }

    [Fact]
    public void LeastSquaresRecoversAnExactFitAndRejectsACollinearColumn()
    {
        var x1 = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var x2 = Enumerable.Range(0, 20).Select(i => Math.Sin(i)).ToArray();
        var y = x1.Zip(x2, (a, b) => 2 * a - 3 * b).ToArray();
        Assert.True(RegressionAlgebra.TryLeastSquares(y, [x1, x2], out var coef, out var se));
        Assert.Equal(2, coef[0], 1e-12);
        Assert.Equal(-3, coef[1], 1e-12);
        Assert.All(se, s => Assert.True(s < 1e-10));
        // one noisy point: the standard errors are lm's sqrt(rss / (n - k) diag((X'X)^-1))
        y[7] += 1;
        Assert.True(RegressionAlgebra.TryLeastSquares(y, [x1, x2], out coef, out se));
        double rss = 0, sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < 20; i++) { double r = y[i] - coef[0] * x1[i] - coef[1] * x2[i]; rss += r * r; sxx += x1[i] * x1[i]; sxy += x1[i] * x2[i]; syy += x2[i] * x2[i]; }
        double det = sxx * syy - sxy * sxy;
        Assert.Equal(Math.Sqrt(rss / 18 * syy / det), se[0], 1e-10);
        Assert.Equal(Math.Sqrt(rss / 18 * sxx / det), se[1], 1e-10);
        Assert.False(RegressionAlgebra.TryLeastSquares(y, [x1, x2, x1.Select(v => 4 * v).ToArray()], out _, out _));
    }
}
