using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Data;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Forecasting.Covariates;

/// <summary>The bundled real data with a static category across many series (data/gapminder-life-expectancy.csv) loads as documented.</summary>
public class BundledCovariateDataTests
{
    [Fact]
    public void GapminderLoadsWithContinentAndRegionStaticAndFertilityPast()
    {
        var data = CovariateCsv.Load(Repo.Path("data", "gapminder-life-expectancy.csv"), new SeriesCsvOptions { ValueColumn = "life_expectancy" },
            new CovariateOptions { Static = "continent,region", Past = "fertility" });
        Assert.Equal(185, data.Count);
        Assert.All(data.Items, s => Assert.Equal(57, s.Length));
        var schema = data.Covariates!;
        Assert.Equal(["continent", "region"], schema.Static);
        Assert.Equal([true, true], schema.StaticCategorical);
        Assert.Equal(["fertility"], schema.Past);
        var albania = data.Items.Single(s => s.Id == "Albania");
        Assert.Equal(["Europe", "Southern Europe"], albania.Covariates!.Static);
        Assert.Equal(62.87f, albania.Values[0]);
        Assert.Equal(6.19f, albania.Covariates.Past[0][0]);
        Assert.Equal(new DateTime(1960, 1, 1), albania.Start);
        Assert.Contains(data.Items, s => s.Id == "Congo Dem. Rep." && s.Covariates!.Static[0] == "Africa");
        var continents = data.Items.GroupBy(s => s.Covariates!.Static[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["Africa"] = 51, ["Americas"] = 36, ["Asia"] = 47, ["Europe"] = 39, ["Oceania"] = 12 }, continents);
        Assert.Equal(22, data.Items.Select(s => s.Covariates!.Static[1]).Distinct().Count());
        Assert.All(data.Items, s => Assert.All(s.Covariates!.Past[0].Take(57), v => Assert.True(float.IsFinite(v) && v > 0)));
    }
}
