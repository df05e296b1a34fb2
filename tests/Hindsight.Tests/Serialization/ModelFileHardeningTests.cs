using System.Buffers.Binary;
using System.Text;
using Hindsight.Layers;
using Hindsight.Serialization;

namespace Hindsight.Tests.Serialization;

/// <summary>Model files are checked before they are trusted: the header before the data, every weight finite.</summary>
public sealed class ModelFileHardeningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hindsight-modelfile-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void BadHeaderOfAHugeFileIsRefusedBeforeItsDataIsRead()
    {
        string path = Path.Combine(_folder, "huge.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        using (var fs = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            fs.Write(len);
            fs.Write(header);
            fs.SetLength(1_500_000_000); // sparse: 1.5 GB on paper, nothing on disk
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("the tensors cover 8 bytes of data but the file holds", ex.Message);
        Assert.True(allocated < 10_000_000, $"{allocated} bytes allocated to refuse a bad header");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(float bad)
    {
        string path = Path.Combine(_folder, "model.safetensors");
        var model = new Sequential(new Linear(3, 2, rng: new Rng(1)), new Tanh(), new Linear(2, 1, rng: new Rng(2)));
        model.SaveSafeTensors(path);
        var before = model.StateDict()["2.weight"].Data.ToArray();
        var file = SafeTensors.Load(path);
        file.Tensors["2.weight"].Data[1] = bad;
        SafeTensors.Save(path, file.Tensors, file.Metadata);
        var ex = Assert.Throws<InvalidDataException>(() => model.LoadSafeTensors(path));
        Assert.Equal($"{path}: tensor '2.weight' holds {bad} at index 1; a model file's weights must be finite numbers.", ex.Message);
        Assert.Equal(before, model.StateDict()["2.weight"].Data); // nothing changed
        model.LoadSafeTensors(path, allowNonFinite: true);     // PyTorch's behaviour, on request
        Assert.Equal(bad, model.StateDict()["2.weight"].Data[1]);
    }
}
