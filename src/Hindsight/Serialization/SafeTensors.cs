using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Hindsight.Serialization;

/// <summary>A safetensors file's content: float32 tensors by name and the string metadata of <c>__metadata__</c>.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>, or an error naming it and the file.</summary>
    public Tensor Get(string name, string? source = null) =>
        Tensors.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"{source ?? "safetensors"}: missing tensor '{name}'.");
}

/// <summary>
/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header, raw little-endian data),
/// with PyTorch state_dict names, so weights move both ways between Hindsight and PyTorch.
/// The reader checks everything in the header before allocating; the writer replaces the target file atomically.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest JSON header accepted (the format's own limit is 100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Reads a file; see <see cref="Read(ReadOnlySpan{byte}, string)"/>. The header is read and checked against the
    /// file's length first, so a forged or foreign file is refused before its data is read or any tensor allocated.
    /// </summary>
    public static SafeTensorsFile Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: file not found.", path);
        if (info.Length > int.MaxValue) throw new InvalidDataException($"{path}: file of {info.Length} bytes is too large (2 GB limit).");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (got < 8) throw new InvalidDataException($"{path}: truncated: {got} bytes, a header length needs 8.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        CheckHeaderLength(headerLength, info.Length, path);
        var bytes = new byte[8 + (int)headerLength];
        prefix.CopyTo(bytes);
        stream.ReadExactly(bytes.AsSpan(8));
        // Checks every entry against the data length the file declares, without the data.
        ParseHeader(bytes.AsSpan(8), info.Length - 8 - (long)headerLength, path);
        var all = new byte[info.Length];
        bytes.CopyTo(all, 0);
        stream.ReadExactly(all.AsSpan(bytes.Length));
        return Read(all, path);
    }

    private static void CheckHeaderLength(ulong headerLength, long fileLength, string source)
    {
        if (headerLength > (ulong)(fileLength - 8))
            throw new InvalidDataException($"{source}: header length {headerLength} points outside the file of {fileLength} bytes (truncated or not a safetensors file).");
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{source}: header length {headerLength} exceeds the format's limit of {MaxHeaderBytes} bytes.");
    }

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the file in errors.</summary>
    public static SafeTensorsFile Read(ReadOnlySpan<byte> bytes, string source = "safetensors")
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: truncated: {bytes.Length} bytes, a header length needs 8.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        CheckHeaderLength(headerLength, bytes.Length, source);
        var data = bytes[(8 + (int)headerLength)..];
        var (entries, metadata) = ParseHeader(bytes.Slice(8, (int)headerLength), data.Length, source);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, shape, begin, end) in entries)
        {
            var values = new float[(end - begin) / 4];
            var src = data.Slice((int)begin, (int)(end - begin));
            if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            else for (int k = 0; k < values.Length; k++) values[k] = BinaryPrimitives.ReadSingleLittleEndian(src[(k * 4)..]);
            tensors[name] = new Tensor(values, shape) { Name = name };
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private readonly record struct Entry(string Name, int[] Shape, long Begin, long End);

    /// <summary>The header's tensor entries and metadata, every entry checked against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(ReadOnlySpan<byte> header, long dataLength, string source)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new InvalidDataException($"{source}: header is not valid UTF-8 JSON.");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header.ToArray()); }
        catch (JsonException ex) { throw new InvalidDataException($"{source}: header is not valid JSON: {ex.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: header is not a JSON object.");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            var spans = new List<(long Begin, long End, string Name)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    if (!seen.Add(prop.Name))
                        throw new InvalidDataException($"{source}: entry '{prop.Name}' appears twice in the header.");
                    if (prop.Name == "__metadata__")
                    {
                        if (prop.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: __metadata__ is not an object.");
                        foreach (var m in prop.Value.EnumerateObject())
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                                : throw new InvalidDataException($"{source}: __metadata__ value '{m.Name}' is not a string.");
                        continue;
                    }
                    var entry = ReadEntry(prop.Name, prop.Value, dataLength, source);
                    entries.Add(entry);
                    spans.Add((entry.Begin, entry.End, prop.Name));
                }
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to decode an escaped lone surrogate (\uDDDD) into a string
                throw new InvalidDataException($"{source}: header holds a name or string that is not valid Unicode (a lone surrogate escape).");
            }
            CheckLayout(spans, dataLength, source);
            return (entries, metadata);
        }
    }

    /// <summary>
    /// The format requires the tensors' byte ranges to tile the data buffer exactly (no overlap, no gap, nothing after),
    /// as the reference implementation checks; an overlap would alias two tensors, a gap hides unread bytes.
    /// </summary>
    private static void CheckLayout(List<(long Begin, long End, string Name)> spans, long dataLength, string source)
    {
        spans.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var (begin, end, name) in spans)
        {
            if (begin < expected)
                throw new InvalidDataException($"{source}: tensor '{name}': data_offsets [{begin}, {end}] overlap the previous tensor's data (ending at {expected}).");
            if (begin > expected)
                throw new InvalidDataException($"{source}: tensor '{name}': data_offsets [{begin}, {end}] leave a gap after byte {expected} of the data.");
            expected = end;
        }
        if (expected != dataLength)
            throw new InvalidDataException($"{source}: the tensors cover {expected} bytes of data but the file holds {dataLength} after the header.");
    }

    private static Entry ReadEntry(string name, JsonElement e, long dataLength, string source)
    {
        string where = $"{source}: tensor '{name}'";
        if (e.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: entry is not an object.");
        if (!e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: missing dtype.");
        string dtype = dtypeEl.GetString()!;
        if (dtype != "F32") throw new InvalidDataException($"{where}: dtype {dtype} is not supported; expected F32.");
        if (!e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: missing shape.");
        var shape = new int[shapeEl.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0 || dim > int.MaxValue)
                throw new InvalidDataException($"{where}: invalid dimension in shape.");
            shape[i++] = (int)dim;
            count *= dim;
            if (count > int.MaxValue) throw new InvalidDataException($"{where}: shape too large.");
        }
        if (!e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new InvalidDataException($"{where}: missing data_offsets [begin, end].");
        long begin = 0, end = 0;
        if (offEl[0].ValueKind != JsonValueKind.Number || offEl[1].ValueKind != JsonValueKind.Number
            || !offEl[0].TryGetInt64(out begin) || !offEl[1].TryGetInt64(out end) || begin < 0 || end < begin)
            throw new InvalidDataException($"{where}: invalid data_offsets {offEl.GetRawText()}.");
        if (end > dataLength)
            throw new InvalidDataException($"{where}: data_offsets [{begin}, {end}] point outside the data of {dataLength} bytes (file truncated?).");
        if (end - begin != count * 4)
            throw new InvalidDataException($"{where}: shape {Tensor.FormatShape(shape)} needs {count * 4} bytes but data_offsets span {end - begin}.");
        return new Entry(name, shape, begin, end);
    }

    /// <summary>Serialises tensors (float32) and optional string metadata to safetensors bytes.</summary>
    public static byte[] Write(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, t) in list)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"SafeTensors.Write: invalid tensor name '{name}'.");
            if (!seen.Add(name)) throw new ArgumentException($"SafeTensors.Write: tensor '{name}' appears twice.");
            if (t is null) throw new ArgumentNullException(nameof(tensors), $"SafeTensors.Write: tensor '{name}' is null.");
        }
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in list)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + 4L * t.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += 4L * t.Length;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference implementation does.
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        var header = buffer.ToArray();
        long total = 8 + header.Length + list.Sum(p => 4L * p.Value.Length);
        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        int pos = 8 + header.Length;
        foreach (var (_, t) in list)
        {
            MemoryMarshal.AsBytes(t.Data.AsSpan()).CopyTo(bytes.AsSpan(pos));
            pos += 4 * t.Length;
        }
        return bytes;
    }

    /// <summary>Writes a file atomically (temporary file in the same folder, then rename).</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        => AtomicFile.WriteAllBytes(path, Write(tensors, metadata));
}
