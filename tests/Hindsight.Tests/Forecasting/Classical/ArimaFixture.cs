using System.Text.Json;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>tests/fixtures/forecast/arima_r.json, written by tools/reference/arima_fixtures.R from R 4.2 + forecast 8.20.</summary>
public static class ArimaFixture
{
    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllText(Repo.Fixture("forecast/arima_r.json"))));

    public static JsonElement Root => Doc.Value.RootElement;

    public static IEnumerable<JsonElement> Series => Root.GetProperty("series").EnumerateArray();

    public static double[] Numbers(this JsonElement e) =>
        e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    public static bool IsError(this JsonElement e) => e.TryGetProperty("error", out _);

    /// <summary>Range of the training values: the scale forecast differences are measured in.</summary>
    public static double Scale(double[] y) => Math.Max(y.Max() - y.Min(), 1e-12);
}
