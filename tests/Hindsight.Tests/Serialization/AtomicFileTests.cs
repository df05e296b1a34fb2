using System.Diagnostics;
using Hindsight.Serialization;

namespace Hindsight.Tests.Serialization;

/// <summary>Output files: written whole or not at all, failures named on one line, no temporary file left behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hindsight-atomic-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string[] Leftovers() => Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public void WritesAndReplacesWholeFiles()
    {
        string target = Path.Combine(_folder, "sub", "model.bin");
        AtomicFile.WriteAllBytes(target, [1, 2, 3]);
        AtomicFile.WriteAllText(target, "second");
        Assert.Equal("second", File.ReadAllText(target));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void ParentThatIsAFileIsNamed()
    {
        string file = Path.Combine(_folder, "plain");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<OutputWriteException>(() => AtomicFile.WriteAllText(Path.Combine(file, "model.bin"), "y"));
        Assert.Contains("model.bin", ex.Message);
        Assert.Contains($"'{file}' is a file, not a folder", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void TargetThatIsAFolderIsRefused()
    {
        string dir = Path.Combine(_folder, "out");
        Directory.CreateDirectory(dir);
        var ex = Assert.Throws<OutputWriteException>(() => AtomicFile.WriteAllText(dir, "y"));
        Assert.Contains("a folder of that name exists", ex.Message);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void StaleTemporariesOfDeadProcessesAreRemoved()
    {
        int dead = DeadPid();
        string stale = Path.Combine(_folder, $".model.bin.{dead}.{Guid.NewGuid():N}.tmp");
        string mine = Path.Combine(_folder, $".model.bin.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string other = Path.Combine(_folder, $".other.bin.{dead}.{Guid.NewGuid():N}.tmp");
        string foreign = Path.Combine(_folder, ".model.bin.notours.tmp");
        foreach (var f in new[] { stale, mine, other, foreign }) File.WriteAllText(f, "partial");
        AtomicFile.WriteAllText(Path.Combine(_folder, "model.bin"), "whole");
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(mine));     // this process may be writing it
        Assert.True(File.Exists(other));    // another target's
        Assert.True(File.Exists(foreign));  // not Hindsight's pattern
    }

    private static int DeadPid()
    {
        // A process that has exited: its pid is not running (pids are not reused this quickly).
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [SkippableFact]
    public void FullDiskIsOneLineAndLeavesNothing() => OnTinyMount("size=16k", dir =>
    {
        string target = Path.Combine(dir, "model.bin");
        var ex = Assert.Throws<OutputWriteException>(() => AtomicFile.WriteAllBytes(target, new byte[256 * 1024]));
        Assert.Equal($"cannot write '{target}': no space left on the device", ex.Message);
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    });

    [SkippableFact]
    public void ReadOnlyFolderIsOneLineAndLeavesNothing() => OnTinyMount("ro,size=16k", dir =>
    {
        string target = Path.Combine(dir, "model.bin");
        var ex = Assert.Throws<OutputWriteException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Equal($"cannot write '{target}': read-only file system", ex.Message);
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    });

    /// <summary>Runs <paramref name="test"/> on a small tmpfs (needs root on Linux; skipped elsewhere, saying why).</summary>
    private void OnTinyMount(string options, Action<string> test)
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root on Linux to mount a small tmpfs");
        string dir = Path.Combine(_folder, "mnt");
        Directory.CreateDirectory(dir);
        Skip.IfNot(Run("mount", $"-t tmpfs -o {options} tmpfs {dir}") == 0, "mount of a tmpfs was refused in this sandbox");
        try { test(dir); }
        finally { Run("umount", dir); }
    }

    private static int Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
