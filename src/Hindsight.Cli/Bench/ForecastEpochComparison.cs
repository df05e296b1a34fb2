using System.Globalization;
using System.Text.Json;
using Hindsight.Forecasting;

namespace Hindsight.Cli.Bench;

/// <summary>
/// <c>hindsight bench forecast-epoch --compare</c>: per kind, R rounds of one Hindsight epoch (<see cref="ForecastEpochBench"/>)
/// then the same epoch in <c>tools/reference/torch_forecast_epoch.py</c> in each PyTorch layout of
/// <see cref="BenchComparison.Groups"/>, back to back in one run. Prints each round and, over the rounds, the best time
/// per epoch of each engine, the ratio PyTorch / Hindsight of the best rounds and the range and spread of the per-round ratios.
/// </summary>
internal static class ForecastEpochComparison
{
    /// <summary>The script, in <c>tools/reference/</c>.</summary>
    public const string ScriptName = "torch_forecast_epoch.py";

    /// <summary>One PyTorch epoch: engine, wall and CPU microseconds, windows, batches, parameters.</summary>
    internal sealed record TorchEpoch(string Engine, double UsPerEpoch, double CpuUsPerEpoch, int Windows, int Batches, long Parameters);

    /// <summary>Runs the comparison for <paramref name="kinds"/>, printing to <paramref name="output"/>.</summary>
    /// <exception cref="TorchUnavailableException">PyTorch or its script is not there, or it trains another network or other batches.</exception>
    public static void Run(IReadOnlyList<NeuralKind> kinds, int series, int length, int rounds, int threads, string openBlas, TextWriter output)
    {
        string scripts = TorchReference.FindScripts();
        var groups = BenchComparison.Groups(openBlas, output);
        output.WriteLine(Invariant($"compare forecast-epoch: {series} series x {length} values, {rounds} round(s) of each engine, alternating, one epoch per round; hindsight on {threads} thread(s); {Environment.ProcessorCount} processors, load average {BenchComparison.Load()}"));
        foreach (var kind in kinds) Compare(kind, series, length, rounds, scripts, groups, output);
        output.WriteLine($"load average at the end {BenchComparison.Load()}");
    }

    private static void Compare(NeuralKind kind, int series, int length, int rounds, string scripts, List<BenchComparison.Group> groups, TextWriter output)
    {
        string name = kind.ModelName();
        var ours = new List<ForecastEpochBench.Result>();
        var theirs = groups.Select(_ => new List<(double Ms, double CpuMs, string Layout)>()).ToList();
        string engine = "pytorch";
        for (int r = 1; r <= rounds; r++)
        {
            var result = ForecastEpochBench.Measure(kind, series, length);
            ours.Add(result);
            if (r == 1) output.WriteLine(Invariant($"{name}: {result.Description}; {result.Windows} windows in {result.Batches} batches, {result.Parameters} parameters"));
            double ms = result.UsPerEpoch / 1000;
            var line = Invariant($"{name} round {r}: hindsight {ms:F1} ms/epoch ({result.CpuUsPerEpoch / 1000:F1} CPU)");
            for (int g = 0; g < groups.Count; g++)
            {
                var cells = new List<string>();
                (double Ms, double CpuMs, string Layout) best = (double.PositiveInfinity, 0, "");
                foreach (var layout in groups[g].Layouts)
                {
                    var t = RunTorch(scripts, kind, series, length, layout);
                    engine = t.Engine;
                    CheckSame(result, t);
                    cells.Add(Invariant($"{(groups[g].Layouts.Count > 1 ? layout.Name + " " : "")}{t.UsPerEpoch / 1000:F1} ({t.CpuUsPerEpoch / 1000:F1} CPU)"));
                    if (t.UsPerEpoch / 1000 < best.Ms) best = (t.UsPerEpoch / 1000, t.CpuUsPerEpoch / 1000, layout.Name);
                }
                theirs[g].Add(best);
                line += Invariant($" | {engine} {groups[g].Name} {string.Join(", ", cells)} = {best.Ms / ms:F2}x");
            }
            output.WriteLine(line);
        }
        double ourBest = ours.Min(o => o.UsPerEpoch) / 1000, ourCpu = ours.Min(o => o.CpuUsPerEpoch) / 1000;
        var summary = Invariant($"{name} best of {rounds}: hindsight {ourBest:F1} ms/epoch");
        var cpuSummary = Invariant($"{name} CPU time, best of {rounds}: hindsight {ourCpu:F1} ms/epoch");
        for (int g = 0; g < groups.Count; g++)
        {
            var best = theirs[g].MinBy(t => t.Ms);
            var ratios = theirs[g].Select((t, i) => t.Ms / (ours[i].UsPerEpoch / 1000)).ToList();
            string layout = groups[g].Layouts.Count > 1 ? $" ({best.Layout})" : "";
            summary += Invariant($"; {groups[g].Name}{layout} {best.Ms:F1} ms/epoch: {best.Ms / ourBest:F2}x (rounds {ratios.Min():F2}-{ratios.Max():F2}x, spread {100 * (ratios.Max() / ratios.Min() - 1):F0}%)");
            double cpu = theirs[g].Min(t => t.CpuMs);
            cpuSummary += Invariant($"; {groups[g].Name} {cpu:F1}: {cpu / ourCpu:F2}x");
        }
        output.WriteLine(summary);
        output.WriteLine(cpuSummary);
    }

    /// <summary>One run of the script for <paramref name="kind"/> under <paramref name="layout"/>.</summary>
    internal static TorchEpoch RunTorch(string scripts, NeuralKind kind, int series, int length, TorchLayout layout, string python = TorchReference.Python)
    {
        string[] args = [kind.ModelName(), "--series", $"{series}", "--length", $"{length}", "--threads", $"{layout.TorchThreads}", "--json"];
        return Parse(TorchReference.RunScript(scripts, ScriptName, $"{kind.ModelName()}", args, layout, python));
    }

    /// <summary>The result of a <c>--json</c> line of the script.</summary>
    internal static TorchEpoch Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var r = root.GetProperty("results")[0];
        return new TorchEpoch(root.GetProperty("engine").GetString() ?? "pytorch", r.GetProperty("usPerEpoch").GetDouble(), r.GetProperty("cpuUsPerEpoch").GetDouble(),
            r.GetProperty("windows").GetInt32(), r.GetProperty("batches").GetInt32(), r.GetProperty("parameters").GetInt64());
    }

    // The script must train the network Hindsight times on as many windows in as many batches.
    private static void CheckSame(ForecastEpochBench.Result ours, TorchEpoch theirs)
    {
        if (theirs.Parameters != ours.Parameters || theirs.Windows != ours.Windows || theirs.Batches != ours.Batches)
            throw new TorchUnavailableException(Invariant($"bench --compare: {ScriptName} {ours.Kind.ModelName()} trains {theirs.Parameters} parameters on {theirs.Windows} windows in {theirs.Batches} batches, Hindsight {ours.Parameters} on {ours.Windows} in {ours.Batches}: not the same epoch."));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
