using Hindsight.Distributions;
using Hindsight.Losses;
using Hindsight.Tests.Engine;

namespace Hindsight.Tests.Distributions;

/// <summary>
/// Reads tests/fixtures/distributions.safetensors (tools/reference/distribution_fixtures.py): per family (gaussian,
/// studentt, negbin) its parameter names, the head whose links the fixture used, and the likelihood op.
/// </summary>
internal static class DistributionFixture
{
    public const string File = "distributions";

    public static readonly string[] Families = ["gaussian", "studentt", "negbin"];

    /// <summary>"family/case" for every case of every family.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var family in Families)
            foreach (var c in ParityFixture.Names(File, $"{family}.cases")) data.Add($"{family}/{c}");
        return data;
    }

    public static string[] ParameterNames(string family) => family switch
    {
        "gaussian" => ["loc", "scale"],
        "studentt" => ["df", "loc", "scale"],
        "negbin" => ["mu", "alpha"],
        _ => throw new ArgumentException(family),
    };

    public static DistributionHead Head(string family, int inFeatures) => family switch
    {
        "gaussian" => new GaussianHead(inFeatures, new Rng(1)),
        "studentt" => new StudentTHead(inFeatures, new Rng(1)),
        "negbin" => new NegativeBinomialHead(inFeatures, new Rng(1)),
        _ => throw new ArgumentException(family),
    };

    public static Distribution Create(string family, Tensor[] p) => family switch
    {
        "gaussian" => new Gaussian(p[0], p[1]),
        "studentt" => new StudentT(p[0], p[1], p[2]),
        "negbin" => new NegativeBinomial(p[0], p[1]),
        _ => throw new ArgumentException(family),
    };

    public static Tensor Nll(string family, Tensor[] p, Tensor target, Reduction reduction) => family switch
    {
        "gaussian" => Ops.GaussianNll(p[0], p[1], target, reduction),
        "studentt" => Ops.StudentTNll(p[0], p[1], p[2], target, reduction),
        "negbin" => Ops.NegativeBinomialNll(p[0], p[1], target, reduction),
        _ => throw new ArgumentException(family),
    };

    public static float[] Levels(ParityFixture f) =>
        f.Meta("levels").Split(',').Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
