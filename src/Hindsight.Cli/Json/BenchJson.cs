using Hindsight.Cli.Commands;

namespace Hindsight.Cli.Json;

/// <summary><c>hindsight bench --json</c> (fields in docs/json.md).</summary>
/// <param name="Engine">Always <c>hindsight</c> (the same layout is written for the PyTorch reference).</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="Results">One entry per workload.</param>
internal sealed record BenchJson(string Engine, int Threads, IReadOnlyList<BenchCommand.Result> Results);
