using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Hindsight.Data;

/// <summary>
/// Reads data files the one strict way every Hindsight reader shares: text is UTF-8 (with or without a byte-order mark),
/// and an invalid byte is a <see cref="DataFormatException"/> naming the file, the 1-based line and the 1-based byte
/// column, never a silent U+FFFD. A path ending in <c>.gz</c> is decompressed in full and its gzip trailer checked
/// (CRC-32 and length), so a truncated or corrupt file is an error rather than a shorter table.
/// </summary>
public static class DataFile
{
    /// <summary>Largest file (and, for <c>.gz</c>, largest decompressed content) read: 1 GiB.</summary>
    public const int MaxBytes = 1 << 30;

    /// <summary>The bytes of <paramref name="path"/>, decompressed (trailer checked) when it ends in <c>.gz</c>.</summary>
    /// <exception cref="DataFormatException">Missing file, a file over <see cref="MaxBytes"/>, or a truncated or corrupt gzip file.</exception>
    public static byte[] ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found.");
        long length = new FileInfo(path).Length;
        if (length > MaxBytes) throw new DataFormatException(path, null, null, $"the file has {length} bytes; data files are read whole, at most {MaxBytes} bytes (1 GiB).");
        var bytes = File.ReadAllBytes(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path, bytes) : bytes;
    }

    /// <summary>The text of <paramref name="path"/> (see <see cref="ReadBytes"/>) decoded as strict UTF-8, a leading BOM removed.</summary>
    /// <exception cref="DataFormatException">As <see cref="ReadBytes"/>, or a byte sequence that is not UTF-8 (file, line, byte column).</exception>
    public static string ReadText(string path) => DecodeUtf8(path, ReadBytes(path));

    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8 (a leading BOM is dropped); <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="DataFormatException">An invalid byte: the message names the line, the byte column and the byte offset.</exception>
    public static string DecodeUtf8(string source, ReadOnlySpan<byte> bytes)
    {
        bytes = SkipBom(source, bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> are UTF-8 and returns them without a leading BOM.
    /// </summary>
    /// <exception cref="DataFormatException">An invalid byte (file, line, byte column and offset).</exception>
    public static ReadOnlySpan<byte> SkipBom(string source, ReadOnlySpan<byte> bytes)
    {
        int start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        if (System.Text.Unicode.Utf8.IsValid(bytes[start..])) return bytes[start..];
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            throw new DataFormatException(source, 1, "1", "the file starts with a UTF-16 byte-order mark; Hindsight reads text as UTF-8 (with or without a BOM): re-save the file as UTF-8.");
        int line = 1, lineStart = 0;
        for (int i = start; i < bytes.Length;)
        {
            byte b = bytes[i];
            if (b < 0x80)
            {
                if (b == (byte)'\n') { line++; lineStart = i + 1; }
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out int used) != OperationStatus.Done)
                throw new DataFormatException(source, line, (i - lineStart + 1).ToString(CultureInfo.InvariantCulture),
                    $"byte 0x{b:X2} (offset {i} in the file; columns count bytes) is not valid UTF-8; Hindsight reads text as UTF-8 (with or without a BOM): re-save the file as UTF-8.");
            i += used;
        }
        return bytes[start..]; // not reached: IsValid said there is an invalid sequence
    }

    /// <summary>
    /// Decompresses a gzip file held in <paramref name="compressed"/> and checks its trailer: the last 8 bytes must hold the
    /// CRC-32 and the length (mod 2^32) of the last member's output (for the usual one-member file, of all of it).
    /// </summary>
    /// <exception cref="DataFormatException">Not gzip, truncated or corrupt, or over <see cref="MaxBytes"/> when decompressed.</exception>
    public static byte[] Gunzip(string source, byte[] compressed)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        if (compressed.Length < 2 || compressed[0] != 0x1F || compressed[1] != 0x8B)
            throw new DataFormatException(source, null, null, "not a gzip file (it does not start with the gzip signature 1F 8B); name it without .gz if it is plain text.");
        if (compressed.Length < 18) throw new DataFormatException(source, null, null, $"truncated or corrupt gzip: {compressed.Length} bytes, shorter than a gzip header and trailer.");
        var output = new MemoryStream();
        try
        {
            using var gz = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            var buffer = new byte[81920];
            int n;
            while ((n = gz.Read(buffer)) > 0)
            {
                if (output.Length + n > MaxBytes)
                    throw new DataFormatException(source, null, null, $"decompresses to more than {MaxBytes} bytes (1 GiB), the most a data file may hold.");
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException ex) { throw new DataFormatException(source, null, null, $"truncated or corrupt gzip ({ex.Message})."); }
        var data = output.ToArray();
        uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
        uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if (size > data.Length || Crc32(data.AsSpan(data.Length - (int)size)) != crc)
            throw new DataFormatException(source, null, null,
                $"truncated or corrupt gzip: the trailer (CRC-32 {crc:x8}, length {size}) does not match the {data.Length} decompressed bytes.");
        return data;
    }

    private static readonly uint[] CrcTable = MakeCrcTable();

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>CRC-32 (IEEE 802.3, as gzip and zip use it) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>Index of the first control character (U+0000-U+001F, U+007F-U+009F) in <paramref name="cell"/>, or -1.</summary>
    public static int IndexOfControl(ReadOnlySpan<char> cell)
    {
        for (int i = 0; i < cell.Length; i++)
            if (char.IsControl(cell[i])) return i;
        return -1;
    }

    /// <summary>
    /// A problem sentence for a cell holding a control character (e.g. a NUL byte), or null when it has none:
    /// number parsers would otherwise skip trailing NULs silently.
    /// </summary>
    public static string? ControlProblem(ReadOnlySpan<char> cell)
    {
        int i = IndexOfControl(cell);
        return i < 0 ? null : $"the cell contains the control character U+{(int)cell[i]:X4} at position {i + 1}; a number or time is plain text.";
    }
}
