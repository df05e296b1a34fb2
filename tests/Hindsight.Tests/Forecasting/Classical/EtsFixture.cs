using System.Text.Json;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Forecasting.Classical;

/// <summary>tests/fixtures/forecast/ets_r.json, written by tools/reference/ets_fixtures.R from R's forecast::ets.</summary>
internal static class EtsFixture
{
    public sealed record Fit(string Key, string Model, bool Fallback, double? Alpha, double? Beta, double? Gamma, double? Phi, double[] InitState,
        double LogLik, double Aicc, double Sigma2, double[] Mean, double[] Lower80, double[] Upper80, double[] Lower95, double[] Upper95);

    public sealed record Series(string Id, int Season, int Horizon, double[] Y, IReadOnlyDictionary<string, Fit> Fits)
    {
        public double[] Train => Y[..^Horizon];
        public double Scale => Train.Average(Math.Abs);
    }

    public sealed record NelderMeadCase(string Name, double[] Start, int MaxIt, double[] Par, double Value, int FnCount, int Convergence);

    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllText(Repo.Path("tests", "fixtures", "forecast", "ets_r.json"))));

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();
    private static double? Opt(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
    private static double[] Arr(JsonElement e) => e.EnumerateArray().Select(Num).ToArray();

    public static IReadOnlyList<Series> All { get; } = Load();

    private static List<Series> Load()
    {
        var list = new List<Series>();
        foreach (var s in Doc.Value.RootElement.GetProperty("series").EnumerateArray())
        {
            var fits = new Dictionary<string, Fit>();
            foreach (var f in s.GetProperty("fits").EnumerateObject())
            {
                var v = f.Value;
                fits[f.Name] = new Fit(f.Name, v.GetProperty("model").GetString()!, v.GetProperty("fallback").GetBoolean(), Opt(v.GetProperty("alpha")),
                    Opt(v.GetProperty("beta")), Opt(v.GetProperty("gamma")), Opt(v.GetProperty("phi")), Arr(v.GetProperty("initstate")),
                    Num(v.GetProperty("loglik")), Num(v.GetProperty("aicc")), Num(v.GetProperty("sigma2")), Arr(v.GetProperty("mean")),
                    Arr(v.GetProperty("lower80")), Arr(v.GetProperty("upper80")), Arr(v.GetProperty("lower95")), Arr(v.GetProperty("upper95")));
            }
            list.Add(new Series(s.GetProperty("id").GetString()!, s.GetProperty("season").GetInt32(), s.GetProperty("horizon").GetInt32(),
                Arr(s.GetProperty("y")), fits));
        }
        return list;
    }

    public static IReadOnlyList<NelderMeadCase> NelderMead => Doc.Value.RootElement.GetProperty("neldermead").EnumerateArray()
        .Select(e => new NelderMeadCase(e.GetProperty("name").GetString()!, Arr(e.GetProperty("start")), e.GetProperty("maxit").GetInt32(),
            Arr(e.GetProperty("par")), e.GetProperty("value").GetDouble(), e.GetProperty("fncount").GetInt32(), e.GetProperty("convergence").GetInt32()))
        .ToList();
}
