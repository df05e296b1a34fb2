using System.Globalization;
using Hindsight.Cli.Commands;

namespace Hindsight.Cli.Bench;

/// <summary>
/// <c>hindsight bench ... --compare</c>: per workload, R rounds of Hindsight then its PyTorch twin (<see cref="TorchReference"/>)
/// in each layout, back to back in one run. Prints each round and, over the rounds, the best us/step of each engine, the
/// ratio PyTorch / Hindsight of the best rounds and the range of the per-round ratios (their spread: max / min - 1).
/// PyTorch runs on its installed BLAS and, where OpenBLAS is found, on OpenBLAS with 1 and with 2 BLAS threads (the faster
/// layout per round counts); always with one intra-op thread, since two intra-op threads beside OpenBLAS's or another
/// process's threads oversubscribe the two cores (10x slower per step under load).
/// </summary>
internal static class BenchComparison
{
    /// <summary>A PyTorch configuration family whose fastest layout per round is compared.</summary>
    internal sealed record Group(string Name, IReadOnlyList<TorchLayout> Layouts);

    /// <summary>Runs the comparison for <paramref name="names"/>, printing to <paramref name="output"/>.</summary>
    /// <exception cref="TorchUnavailableException">PyTorch or its scripts are not there, or its network is not the one Hindsight times.</exception>
    public static void Run(IReadOnlyList<string> names, int? steps, int rounds, int threads, string openBlas, TextWriter output)
    {
        string scripts = TorchReference.FindScripts();
        var groups = Groups(openBlas, output);
        output.WriteLine(Invariant($"compare: {rounds} round(s) of each engine, alternating; hindsight on {threads} thread(s); {Environment.ProcessorCount} processors, load average {Load()}"));
        foreach (var name in names) Compare(name, steps, rounds, scripts, groups, output);
        output.WriteLine($"load average at the end {Load()}");
    }

    /// <summary>The installed BLAS, and OpenBLAS with 1 and 2 threads where <paramref name="openBlas"/> has it (else a note).</summary>
    internal static List<Group> Groups(string openBlas, TextWriter output)
    {
        var groups = new List<Group> { new("reference BLAS", [new TorchLayout("installed BLAS", null, 1, 1)]) };
        if (File.Exists(Path.Combine(openBlas, "libblas.so.3")))
            groups.Add(new("OpenBLAS", [new TorchLayout("1 thread", openBlas, 1, 1), new TorchLayout("2 threads", openBlas, 2, 1)]));
        else
            output.WriteLine($"OpenBLAS: no libblas.so.3 in {openBlas} (bash tools/reference/openblas.sh fetches it there); PyTorch runs on its installed BLAS only.");
        return groups;
    }

    private static void Compare(string name, int? steps, int rounds, string scripts, List<Group> groups, TextWriter output)
    {
        var probe = Workload.Create(name, seed: 0);
        int n = steps ?? probe.DefaultSteps;
        var ours = new List<(double Us, double Cpu)>();
        var theirs = groups.Select(_ => new List<(double Us, double? Cpu, string Layout)>()).ToList();
        string engine = "pytorch";
        for (int r = 1; r <= rounds; r++)
        {
            var (result, cpu) = BenchCommand.Measure(name, n);
            ours.Add((result.UsPerStep, cpu));
            if (r == 1) output.WriteLine($"{name}: {result.Description}; {n} timed steps per run");
            var line = Invariant($"{name} round {r}: hindsight {result.UsPerStep:F1} us/step ({cpu:F1} CPU)");
            for (int g = 0; g < groups.Count; g++)
            {
                var cells = new List<string>();
                (double Us, double? Cpu, string Layout) best = (double.PositiveInfinity, null, "");
                foreach (var layout in groups[g].Layouts)
                {
                    var t = TorchReference.Run(scripts, name, n, layout);
                    engine = t.Engine;
                    CheckSameNetwork(probe, t);
                    cells.Add(Invariant($"{(groups[g].Layouts.Count > 1 ? layout.Name + " " : "")}{t.UsPerStep:F1}") + (t.CpuUsPerStep is double c ? Invariant($" ({c:F1} CPU)") : ""));
                    if (t.UsPerStep < best.Us) best = (t.UsPerStep, t.CpuUsPerStep, layout.Name);
                }
                theirs[g].Add(best);
                line += Invariant($" | {engine} {groups[g].Name} {string.Join(", ", cells)} = {best.Us / result.UsPerStep:F2}x");
            }
            output.WriteLine(line);
        }
        double ourBest = ours.Min(o => o.Us), ourCpu = ours.Min(o => o.Cpu);
        var summary = Invariant($"{name} best of {rounds}: hindsight {ourBest:F1} us/step");
        var cpuSummary = Invariant($"{name} CPU time, best of {rounds}: hindsight {ourCpu:F1} us/step");
        for (int g = 0; g < groups.Count; g++)
        {
            var best = theirs[g].MinBy(t => t.Us);
            var ratios = theirs[g].Select((t, i) => t.Us / ours[i].Us).ToList();
            string layout = groups[g].Layouts.Count > 1 ? $" ({best.Layout})" : "";
            summary += Invariant($"; {groups[g].Name}{layout} {best.Us:F1} us/step: {best.Us / ourBest:F2}x (rounds {ratios.Min():F2}-{ratios.Max():F2}x, spread {100 * (ratios.Max() / ratios.Min() - 1):F0}%)");
            if (theirs[g].All(t => t.Cpu is not null))
            {
                double cpu = theirs[g].Min(t => t.Cpu!.Value);
                cpuSummary += Invariant($"; {groups[g].Name} {cpu:F1}: {cpu / ourCpu:F2}x");
            }
        }
        output.WriteLine(summary);
        if (theirs.All(g => g.All(t => t.Cpu is not null))) output.WriteLine(cpuSummary);
    }

    // The PyTorch script must train the network Hindsight times: the same number of parameters at least.
    private static void CheckSameNetwork(Workload workload, TorchTiming timing)
    {
        if (workload is NBeatsWorkload nbeats && timing.Parameters is long p && p != nbeats.ParameterCount)
            throw new TorchUnavailableException(Invariant($"bench --compare: {TorchReference.ScriptName(workload.Name)} trains {p} parameters, Hindsight's {workload.Name} {nbeats.ParameterCount}: not the same network."));
    }

    /// <summary>The 1-minute load average, or "unknown".</summary>
    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
