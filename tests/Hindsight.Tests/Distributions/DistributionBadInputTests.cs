using Hindsight.Distributions;

namespace Hindsight.Tests.Distributions;

/// <summary>Bad inputs to the likelihood ops and heads fail with an ArgumentException naming the parameter.</summary>
public class DistributionBadInputTests
{
    private static Tensor V(params float[] v) => new(v, v.Length);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteTargetsAreRejectedNamingTarget(float bad)
    {
        var target = V(1f, bad, 2f);
        Assert.Equal("target", Assert.ThrowsAny<ArgumentException>(() => Ops.GaussianNll(V(0, 0, 0), V(1, 1, 1), target)).ParamName);
        Assert.Equal("target", Assert.ThrowsAny<ArgumentException>(() => Ops.StudentTNll(V(3, 3, 3), V(0, 0, 0), V(1, 1, 1), target)).ParamName);
        Assert.Equal("target", Assert.ThrowsAny<ArgumentException>(() => Ops.NegativeBinomialNll(V(1, 1, 1), V(1, 1, 1), target)).ParamName);
        var head = new GaussianHead(2, new Rng(1));
        var e = Assert.ThrowsAny<ArgumentException>(() => head.Loss(new Tensor(3, 2), target));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("element 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeCountsAreRejectedNamingTarget()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Ops.NegativeBinomialNll(V(1, 1), V(0.5f, 0.5f), V(3, -1)));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("non-negative", e.Message, StringComparison.Ordinal);
        // Negative values are fine for the continuous distributions.
        Assert.True(float.IsFinite(Ops.GaussianNll(V(0, 0), V(1, 1), V(3, -1)).Item()));
    }

    [Fact]
    public void InvalidParametersAreRejectedNamingThem()
    {
        Assert.Equal("scale", Assert.ThrowsAny<ArgumentException>(() => Ops.GaussianNll(V(0), V(0), V(1))).ParamName);
        Assert.Equal("scale", Assert.ThrowsAny<ArgumentException>(() => Ops.GaussianNll(V(0), V(float.NaN), V(1))).ParamName);
        Assert.Equal("df", Assert.ThrowsAny<ArgumentException>(() => Ops.StudentTNll(V(-1), V(0), V(1), V(1))).ParamName);
        Assert.Equal("mu", Assert.ThrowsAny<ArgumentException>(() => Ops.NegativeBinomialNll(V(0), V(1), V(1))).ParamName);
        Assert.Equal("alpha", Assert.ThrowsAny<ArgumentException>(() => Ops.NegativeBinomialNll(V(1), V(-2), V(1))).ParamName);
        Assert.Equal("scale", Assert.ThrowsAny<ArgumentException>(() => Ops.GaussianNll(V(0, 0), V(1), V(1, 1))).ParamName);
        Assert.Equal("loc", Assert.ThrowsAny<ArgumentException>(() => Ops.GaussianNll(V(0), V(1, 1), V(1, 1))).ParamName);
    }

    [Fact]
    public void BadLevelsAndShapesAreRejected()
    {
        var d = new Gaussian(V(0), V(1));
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => d.Quantile(1f)).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentOutOfRangeException>(() => d.Quantiles([0.5f, 0f])).ParamName);
        Assert.Equal("levels", Assert.ThrowsAny<ArgumentException>(() => new MonotoneQuantileHead(3, [0.5f, 0.5f])).ParamName);
        Assert.Equal("levels", Assert.ThrowsAny<ArgumentException>(() => new MonotoneQuantileHead(3, [0.9f, 0.1f])).ParamName);
        Assert.Equal("levels", Assert.ThrowsAny<ArgumentException>(() => new MonotoneQuantileHead(3, [0.1f, 1.5f])).ParamName);
        Assert.Equal("raw", Assert.ThrowsAny<ArgumentException>(() => Ops.SplitWithLinks(new Tensor(4, 3), [ParameterLink.Identity, ParameterLink.Softplus()])).ParamName);
        Assert.Equal("minimum", Assert.ThrowsAny<ArgumentException>(() => ParameterLink.Softplus(-1f)).ParamName);
    }
}
