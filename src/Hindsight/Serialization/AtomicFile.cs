using System.Diagnostics;
using System.Text;

namespace Hindsight.Serialization;

/// <summary>
/// Writes files so a failure never leaves half a file behind: the bytes go to a temporary file beside the target,
/// named <c>.NAME.PID.GUID.tmp</c>, which is flushed to disk and renamed over the target. On failure the temporary
/// file is removed and <see cref="OutputWriteException"/> names the target and the cause; before writing, temporary
/// files of this pattern left beside the target by a process that no longer runs (a kill mid-write) are removed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, creating its folder if needed.</summary>
    /// <exception cref="OutputWriteException">The file or its folder cannot be written (the message says why).</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new OutputWriteException(path, "the path names a folder, not a file");
        if (Directory.Exists(full)) throw new OutputWriteException(path, "a folder of that name exists");
        CreateFolder(path, dir);
        RemoveStaleTemporaries(dir, name);
        string tmp = Path.Combine(dir, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new OutputWriteException(path, Cause(ex), ex);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes text (UTF-8, no byte-order mark) atomically.</summary>
    /// <exception cref="OutputWriteException">The file or its folder cannot be written.</exception>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Creates <paramref name="folder"/> (and its parents) for output files.</summary>
    /// <exception cref="OutputWriteException">A parent is a file, or the folder cannot be created (the message says why).</exception>
    public static void EnsureFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (File.Exists(folder)) throw new OutputWriteException(folder, "a file of that name exists where a folder is needed");
        CreateFolder(folder, Path.GetFullPath(folder));
    }

    private static void CreateFolder(string path, string dir)
    {
        // A parent that is a file: name it rather than let CreateDirectory say "file exists".
        for (var d = dir; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            if (File.Exists(d)) throw new OutputWriteException(path, $"'{d}' is a file, not a folder");
            if (Directory.Exists(d)) break;
        }
        try { Directory.CreateDirectory(dir); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException(path, $"cannot create folder '{dir}': {Cause(ex)}", ex);
        }
    }

    /// <summary>Removes <c>.NAME.PID.GUID.tmp</c> files beside the target whose writing process is gone.</summary>
    internal static int RemoveStaleTemporaries(string dir, string name)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, $".{name}.*.tmp").ToArray(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var file in candidates)
        {
            var parts = Path.GetFileName(file)[(name.Length + 2)..].Split('.');
            if (parts.Length != 3 || parts[1].Length != 32 || !int.TryParse(parts[0], out int pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            if (TryDelete(file)) removed++;
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static bool TryDelete(string file)
    {
        try { File.Delete(file); return true; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string Cause(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException io when io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on the device",
        IOException io when io.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "read-only file system",
        _ => ex.Message.ReplaceLineEndings(" "),
    };
}

/// <summary>An output file could not be written; the message names the file and the cause, on one line.</summary>
public sealed class OutputWriteException : IOException
{
    /// <summary>The file that was to be written, as given.</summary>
    public string Path { get; }

    /// <summary>Creates the error: <c>cannot write 'path': cause</c>.</summary>
    public OutputWriteException(string path, string cause, Exception? inner = null)
        : base($"cannot write '{path}': {cause}", inner) => Path = path;
}
