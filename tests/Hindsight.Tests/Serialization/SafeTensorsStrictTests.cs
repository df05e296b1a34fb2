using System.Buffers.Binary;
using System.Text;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;

namespace Hindsight.Tests.Serialization;

/// <summary>Every malformed safetensors file is an InvalidDataException naming the file (and the tensor), never a crash or a huge allocation.</summary>
public class SafeTensorsStrictTests
{
    private const string Src = "bad.safetensors";

    private static byte[] File(string header, int dataBytes, ulong? headerLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    private static InvalidDataException Bad(byte[] bytes) => Assert.Throws<InvalidDataException>(() => SafeTensors.Read(bytes, Src));

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void WellFormedFileReads()
    {
        var f = SafeTensors.Read(File("{" + Entry("w", "F32", "[2,3]", 0, 24) + "}", 24), Src);
        Assert.True(f.Get("w").HasShape(2, 3));
    }

    [Fact]
    public void TruncatedFile()
    {
        Assert.Contains("bad.safetensors: truncated", Bad([1, 0, 0]).Message);
        var full = File("{" + Entry("w", "F32", "[2,3]", 0, 24) + "}", 24);
        var ex = Bad(full[..^4]);
        Assert.Contains("tensor 'w'", ex.Message);
        Assert.Contains("point outside the data of 20 bytes", ex.Message);
    }

    [Fact]
    public void HeaderLengthOutsideTheFile()
    {
        var ex = Bad(File("{}", 0, headerLength: 3000));
        Assert.Contains("bad.safetensors: header length 3000 points outside the file of 10 bytes", ex.Message);
    }

    [Fact]
    public void HugeHeaderLengthDoesNotAllocate()
    {
        var ex = Bad(File("{}", 0, headerLength: ulong.MaxValue));
        Assert.Contains("header length 18446744073709551615 points outside the file", ex.Message);
        ex = Bad(File("{}", 0, headerLength: 1UL << 40));
        Assert.Contains("points outside the file", ex.Message);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"w\":")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public void HeaderNotJsonObject(string header)
    {
        var ex = Bad(File(header, 0));
        Assert.StartsWith("bad.safetensors: header is not", ex.Message);
    }

    [Fact]
    public void HeaderWithInvalidUtf8()
    {
        var bytes = File("{\"ab\":1}", 0);
        bytes[10] = 0xFF;
        Assert.Contains("bad.safetensors", Bad(bytes).Message);
    }

    [Theory]
    [InlineData("F16", 12)]
    [InlineData("I64", 48)]
    [InlineData("BF16", 12)]
    public void WrongDtype(string dtype, int bytes)
    {
        var ex = Bad(File("{" + Entry("rnn.weight_ih_l0", dtype, "[2,3]", 0, bytes) + "}", bytes));
        Assert.Contains($"tensor 'rnn.weight_ih_l0': dtype {dtype} is not supported; expected F32", ex.Message);
    }

    [Fact]
    public void DataOffsetsOutsideTheData()
    {
        var ex = Bad(File("{" + Entry("w", "F32", "[2]", 8, 16) + "}", 8));
        Assert.Contains("tensor 'w': data_offsets [8, 16] point outside the data of 8 bytes", ex.Message);
        ex = Bad(File("{" + Entry("w", "F32", "[2]", -8, 0) + "}", 8));
        Assert.Contains("tensor 'w': invalid data_offsets", ex.Message);
        ex = Bad(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",8]}}", 8));
        Assert.Contains("tensor 'w': invalid data_offsets", ex.Message);
    }

    [Fact]
    public void DataOffsetsNotMatchingTheShape()
    {
        var ex = Bad(File("{" + Entry("w", "F32", "[2,3]", 0, 20) + "}", 20));
        Assert.Contains("tensor 'w': shape (2, 3) needs 24 bytes but data_offsets span 20", ex.Message);
    }

    [Fact]
    public void HugeShapeIsRejectedBeforeAllocating()
    {
        var ex = Bad(File("{" + Entry("w", "F32", "[100000,100000]", 0, 8) + "}", 8));
        Assert.Contains("tensor 'w': shape too large", ex.Message);
        ex = Bad(File("{" + Entry("w", "F32", "[50000,10000]", 0, 8) + "}", 8));
        Assert.Contains("needs 2000000000 bytes but data_offsets span 8", ex.Message);
    }

    [Fact]
    public void OverlappingOrGappedOrDuplicateData()
    {
        var ex = Bad(File("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12));
        Assert.Contains("tensor 'b': data_offsets [4, 12] overlap", ex.Message);
        ex = Bad(File("{" + Entry("a", "F32", "[1]", 4, 8) + "}", 8));
        Assert.Contains("tensor 'a': data_offsets [4, 8] leave a gap", ex.Message);
        ex = Bad(File("{" + Entry("a", "F32", "[1]", 0, 4) + "}", 8));
        Assert.Contains("cover 4 bytes of data but the file holds 8", ex.Message);
        ex = Bad(File("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}", 8));
        Assert.Contains("entry 'a' appears twice", ex.Message);
    }

    [Fact]
    public void MissingFieldsNameTheTensor()
    {
        Assert.Contains("tensor 'w': missing dtype", Bad(File("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)).Message);
        Assert.Contains("tensor 'w': missing shape", Bad(File("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4)).Message);
        Assert.Contains("tensor 'w': missing data_offsets", Bad(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)).Message);
        Assert.Contains("tensor 'w': invalid dimension", Bad(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)).Message);
    }

    [Fact]
    public void MissingTensorNamesItAndTheFile()
    {
        var f = SafeTensors.Read(File("{" + Entry("w", "F32", "[1]", 0, 4) + "}", 4), Src);
        var ex = Assert.Throws<InvalidDataException>(() => f.Get("bias", Src));
        Assert.Contains("bad.safetensors: missing tensor 'bias'", ex.Message);
    }

    [Fact]
    public void LoadingABadFileIntoAModelNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bad.{Guid.NewGuid():N}.safetensors");
        try
        {
            var good = File("{" + Entry("i2h.weight", "F32", "[4,9]", 0, 144) + "}", 144);
            System.IO.File.WriteAllBytes(path, good[..100]);
            var ex = Assert.Throws<InvalidDataException>(() => new RnnCell(5, 4, 3).LoadSafeTensors(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("tensor 'i2h.weight'", ex.Message);
            System.IO.File.WriteAllBytes(path, good);
            ex = Assert.Throws<InvalidDataException>(() => new RnnCell(5, 4, 3).LoadSafeTensors(path));
            Assert.Contains("missing tensor 'i2h.bias' (expected shape (4))", ex.Message);
        }
        finally { System.IO.File.Delete(path); }
    }
}
