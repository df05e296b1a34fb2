using System.Text.Json;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>One series of tests/fixtures/forecast/theta_r.json (written by tools/reference/theta_fixtures.R from R's thetaf).</summary>
public sealed record ThetaCase(string Id, int Season, int Horizon, float[] Train, bool Seasonal, double? Statistic, double Alpha, double Level0,
    double Drift, double Sigma2, double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95,
    double[]? Acf, double[]? DecomposeTrend, double[]? DecomposeFigure, double[]? DecomposeRandom, double[]? AdditiveFigure)
{
    /// <summary>Mean absolute training value: the scale forecast differences are measured against.</summary>
    public double Scale => Train.Average(v => Math.Abs((double)v));

    /// <summary>The training values in double precision (exactly the float32 values R used).</summary>
    public double[] TrainDouble => Array.ConvertAll(Train, v => (double)v);
}

/// <summary>Loads the thetaf fixture once.</summary>
public static class ThetaFixture
{
    private static readonly Lazy<(ThetaCase[] Series, ThetaCase[] Edges)> Loaded = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Fixture("forecast/theta_r.json")));
        return (Load(doc.RootElement.GetProperty("series")), Load(doc.RootElement.GetProperty("edges")));
    });

    /// <summary>The benchmark series (bench/forecast), training parts.</summary>
    public static ThetaCase[] Cases => Loaded.Value.Series;

    /// <summary>Synthetic edge cases: constant, very short, short seasonal, zeros, negative values.</summary>
    public static ThetaCase[] Edges => Loaded.Value.Edges;

    public static ThetaCase Edge(string id) => Edges.Single(e => e.Id == id);

    private static ThetaCase[] Load(JsonElement list)
    {
        return list.EnumerateArray().Select(s => new ThetaCase(
            s.GetProperty("id").GetString()!, s.GetProperty("season").GetInt32(), s.GetProperty("horizon").GetInt32(),
            s.GetProperty("train").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(),
            s.GetProperty("seasonal").GetBoolean(), Number(s.GetProperty("statistic")),
            s.GetProperty("alpha").GetDouble(), s.GetProperty("level0").GetDouble(), s.GetProperty("drift").GetDouble(),
            s.GetProperty("sigma2").GetDouble(), Array(s, "mean")!, Array(s, "lower80")!, Array(s, "upper80")!, Array(s, "lower95")!,
            Array(s, "upper95")!, Array(s, "acf"), Array(s, "decomposeTrend"), Array(s, "decomposeFigure"), Array(s, "decomposeRandom"),
            Array(s, "additiveFigure"))).ToArray();
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static double[]? Array(JsonElement s, string name) =>
        s.TryGetProperty(name, out var a) ? a.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray() : null;
}
