using System.Diagnostics;
using System.Text.Json;

namespace Hindsight.Cli.Bench;

/// <summary>
/// How PyTorch runs for a comparison: on the BLAS it links (Debian: the reference <c>libblas3</c>) or on OpenBLAS from
/// <paramref name="OpenBlasDirectory"/> (through <c>LD_LIBRARY_PATH</c>, the system unchanged), with
/// <paramref name="BlasThreads"/> OpenBLAS threads and <paramref name="TorchThreads"/> intra-op threads.
/// </summary>
internal sealed record TorchLayout(string Name, string? OpenBlasDirectory, int BlasThreads, int TorchThreads);

/// <summary>One PyTorch run of a workload: wall and (where the script reports it) process CPU microseconds per step.</summary>
internal sealed record TorchTiming(string Engine, double UsPerStep, double? CpuUsPerStep, long? Parameters, double FinalLoss);

/// <summary>PyTorch is not available (no <c>/usr/bin/python3</c>, no torch, no script): a runtime failure, exit 1.</summary>
internal sealed class TorchUnavailableException(string message) : Exception(message);

/// <summary>Runs the PyTorch twin of a workload: <c>tools/reference/nbeats_step.py</c> for nbeats, <c>torch_workloads.py</c> for W1-W5, <c>torch_forecast_epoch.py</c> for forecast-epoch.</summary>
internal static class TorchReference
{
    /// <summary>The interpreter (Debian's, where <c>python3-torch</c> installs).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The script file of <paramref name="workload"/> in <c>tools/reference/</c>.</summary>
    public static string ScriptName(string workload) => workload == "nbeats" ? "nbeats_step.py" : "torch_workloads.py";

    /// <summary>
    /// <c>tools/reference/</c> of the repository above the current directory or the <c>hindsight</c> binary.
    /// </summary>
    /// <exception cref="TorchUnavailableException">Not found.</exception>
    public static string FindScripts()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tools", "reference");
                if (File.Exists(Path.Combine(candidate, "nbeats_step.py"))) return candidate;
            }
        }
        throw new TorchUnavailableException("bench --compare: tools/reference/nbeats_step.py not found above the current directory or the hindsight binary; run it from the repository.");
    }

    /// <summary>
    /// Runs <paramref name="steps"/> timed steps of <paramref name="workload"/> in PyTorch under <paramref name="layout"/>
    /// with the interpreter <paramref name="python"/>.
    /// </summary>
    /// <exception cref="TorchUnavailableException">Python, torch or the script failed; the message has the script's last error line.</exception>
    public static TorchTiming Run(string scripts, string workload, int steps, TorchLayout layout, string python = Python)
    {
        var args = new List<string>();
        if (workload != "nbeats") args.Add(workload);
        args.AddRange(["--steps", $"{steps}", "--threads", $"{layout.TorchThreads}", "--json"]);
        return Parse(RunScript(scripts, ScriptName(workload), workload, args, layout, python));
    }

    /// <summary>
    /// Runs <c>tools/reference/<paramref name="scriptName"/></c> with <paramref name="arguments"/> under
    /// <paramref name="layout"/> and returns the last line of its output that starts with <c>{</c> (its <c>--json</c> line);
    /// <paramref name="label"/> names the workload in messages.
    /// </summary>
    /// <exception cref="TorchUnavailableException">Python, torch or the script failed; the message has the script's last error line.</exception>
    public static string RunScript(string scripts, string scriptName, string label, IReadOnlyList<string> arguments, TorchLayout layout, string python = Python)
    {
        if (!File.Exists(python)) throw new TorchUnavailableException($"bench --compare: {python} not found; the comparison needs Python 3 with PyTorch (bash tools/reference/setup.sh installs Debian's python3-torch).");
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scripts,
        };
        psi.ArgumentList.Add(Path.Combine(scripts, scriptName));
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["OPENBLAS_NUM_THREADS"] = $"{layout.BlasThreads}";
        if (layout.OpenBlasDirectory is { } dir)
        {
            string? inherited = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            psi.Environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(inherited) ? dir : $"{dir}:{inherited}";
        }
        string stdout, stderr;
        int exit;
        try
        {
            using var p = Process.Start(psi) ?? throw new TorchUnavailableException($"bench --compare: {python} did not start.");
            var errorTask = p.StandardError.ReadToEndAsync();
            stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            stderr = errorTask.GetAwaiter().GetResult();
            exit = p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new TorchUnavailableException($"bench --compare: {python} did not start: {ex.Message}");
        }
        string? json = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (exit != 0 || json is null)
        {
            string last = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no output";
            string hint = last.Contains("No module named", StringComparison.Ordinal) ? " (bash tools/reference/setup.sh installs Debian's python3-torch)" : "";
            throw new TorchUnavailableException($"bench --compare: {python} {scriptName} {label} failed (exit {exit}): {last}{hint}");
        }
        return json;
    }

    /// <summary>The first result of a <c>--json</c> line of the scripts.</summary>
    internal static TorchTiming Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var r = root.GetProperty("results")[0];
        double? Optional(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        return new TorchTiming(root.GetProperty("engine").GetString() ?? "pytorch", r.GetProperty("usPerStep").GetDouble(), Optional("cpuUsPerStep"),
            Optional("parameters") is double p ? (long)p : null, r.GetProperty("finalLoss").GetDouble());
    }
}
