using System.Buffers.Binary;
using System.Text;

namespace Hindsight.Onnx;

/// <summary>
/// Protocol-buffers wire format, write side only: varints (wire type 0), 32-bit (5) and length-delimited (2) fields.
/// A nested message is written into its own writer, then added with <see cref="Message"/> (length prefix + bytes).
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[64];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80) { Reserve(1)[0] = (byte)(value | 0x80); value >>= 7; }
        Reserve(1)[0] = (byte)value;
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    /// <summary>int64 / int32 / enum field (negative values take ten bytes, as protobuf sign-extends them).</summary>
    public void Int64(int field, long value) { Tag(field, 0); Varint((ulong)value); }

    /// <summary>float field (wire type 5, little-endian).</summary>
    public void Float(int field, float value)
    {
        Tag(field, 5);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    }

    /// <summary>bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        Varint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    /// <summary>string field (UTF-8).</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Embedded message field.</summary>
    public void Message(int field, ProtoWriter message) => Bytes(field, message.Written);

    /// <summary>Repeated float field, packed (one length-delimited run of little-endian floats).</summary>
    public void PackedFloats(int field, ReadOnlySpan<float> values)
    {
        Tag(field, 2);
        Varint((ulong)values.Length * 4);
        var dst = Reserve(values.Length * 4);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(dst.Slice(i * 4, 4), values[i]);
    }
}
