using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Networks;

/// <summary>
/// <see cref="Ops.MaxPool1d"/> against PyTorch's <c>F.max_pool1d</c> (tests/fixtures/engine_maxpool.safetensors, written
/// by tools/reference/nbeats_fixtures.py), its gradient against central differences, and its sizes and errors.
/// </summary>
public class MaxPool1dTests(ITestOutputHelper output)
{
    private const string File = "engine_maxpool";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        var args = f.Meta(name).Split(',').Select(int.Parse).ToArray();
        var x = f.Leaf($"{name}/x");
        Tape.Clear();
        var y = Ops.MaxPool1d(x, args[0], args[1] == 0 ? null : args[1], ceilMode: args[2] == 1);
        Compare.Close(f.Get($"{name}/y"), y, $"{name}/y", output, 0);
        Ops.Sum(Ops.Mul(y, f.Get($"{name}/g"))).Backward();
        Compare.Close(f.Get($"{name}/dx"), x.Grad!, $"{name}/dx", output, 1e-6);
    }

    [Theory]
    [InlineData(12, 2, 2, true, 6)]
    [InlineData(13, 2, 2, true, 7)]
    [InlineData(13, 2, 2, false, 6)]
    [InlineData(3, 4, 4, true, 1)]
    [InlineData(3, 4, 4, false, 0)]
    [InlineData(10, 3, 2, true, 5)]
    [InlineData(9, 3, 2, true, 4)]
    [InlineData(1, 4, 2, true, 0)]
    public void PooledLengthIsPyTorchs(int length, int kernel, int stride, bool ceil, int expected) =>
        Assert.Equal(expected, Ops.PooledLength(length, kernel, stride, ceil));

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // Distinct values at least 0.1 apart, so a step of 0.01 never changes which value is a window's maximum.
        var rng = new Rng(7);
        var perm = rng.Permutation(3 * 11);
        var x = new Tensor(3, 11) { RequiresGrad = true };
        for (int i = 0; i < x.Length; i++) x.Data[i] = 0.1f * perm[i] - 1.5f;
        var g = Tensor.Randn(rng, 3, 4);
        Tape.Clear();
        Ops.Sum(Ops.Mul(Ops.MaxPool1d(x, 3, ceilMode: true), g)).Backward();
        var analytic = (float[])x.Grad!.Data.Clone();
        const float h = 1e-2f;
        for (int j = 0; j < x.Length; j++)
        {
            float v = x.Data[j];
            x.Data[j] = v + h; double fp = Objective(x, g);
            x.Data[j] = v - h; double fm = Objective(x, g);
            x.Data[j] = v;
            Assert.Equal(analytic[j], (fp - fm) / (2 * h), 4);
        }
        Assert.Equal(12, analytic.Count(a => a != 0));                        // one maximum per window (3 rows x 4 windows)
    }

    private static double Objective(Tensor x, Tensor g)
    {
        using var _ = Tape.NoGrad();
        var y = Ops.MaxPool1d(x, 3, ceilMode: true);
        return y.Data.Select((v, i) => (double)v * g.Data[i]).Sum();
    }

    [Fact]
    public void BadSizesAreErrorsNamingTheParameter()
    {
        var x = new Tensor(2, 3);
        Assert.Equal("kernelSize", Assert.Throws<ArgumentOutOfRangeException>(() => Ops.MaxPool1d(x, 0)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Ops.MaxPool1d(x, 2, 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Ops.MaxPool1d(x, 4)).ParamName);
        Assert.Equal((2, 1), (Ops.MaxPool1d(x, 4, ceilMode: true).Dim(0), Ops.MaxPool1d(x, 4, ceilMode: true).Dim(1)));
    }

    [Fact]
    public void NaNIsAWindowsMaximum()
    {
        var y = Ops.MaxPool1d(Tensor.FromArray([1f, float.NaN, 5f, 2f], 1, 4), 2);
        Assert.True(float.IsNaN(y.Data[0]));
        Assert.Equal(5f, y.Data[1]);
    }
}
