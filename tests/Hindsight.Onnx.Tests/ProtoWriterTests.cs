namespace Hindsight.Onnx.Tests;

public class ProtoWriterTests
{
    [Fact]
    public void VarintsTagsAndLengthsFollowTheWireFormat()
    {
        var w = new ProtoWriter();
        w.Int64(1, 300);            // tag (1<<3|0) = 08, 300 = AC 02
        w.String(2, "ab");          // tag 12, length 02, 'a' 'b'
        w.Float(3, 1f);             // tag 1D, 00 00 80 3F
        w.Int64(4, -1);             // tag 20, ten bytes FF..FF 01
        Assert.Equal(Convert.FromHexString("08AC0212026162" + "1D0000803F" + "20FFFFFFFFFFFFFFFFFF01"), w.ToArray());
    }

    [Fact]
    public void NestedMessagesAndPackedFloatsAreLengthPrefixed()
    {
        var inner = new ProtoWriter();
        inner.PackedFloats(4, [1f, -2f]);   // tag 22, length 08, 0000803F 000000C0
        var outer = new ProtoWriter();
        outer.Message(7, inner);            // tag 3A, length 0A
        Assert.Equal(Convert.FromHexString("3A0A2208" + "0000803F000000C0"), outer.ToArray());
    }
}
