using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Serialization;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Corpus;

/// <summary>
/// The inputs that coverage-guided fuzzing (tools/fuzz/run.sh) kept for reaching new code in the CSV, JSON and
/// safetensors readers (tests/corpus/fuzz-queue/TARGET): each must be read or refused with the documented
/// exception (DataFormatException, InvalidDataException), never anything else. The crashes the fuzzer found are cases of
/// the bad-input corpus (tools/corpus/fuzz-found, ids fuzz-*).
/// </summary>
public class FuzzQueueTests
{
    private static readonly string QueueDir = Repo.Path("tests", "corpus", "fuzz-queue");

    /// <summary>Every kept input as (target, file name).</summary>
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "csv", "json", "safetensors" })
        {
            string dir = Path.Combine(QueueDir, target);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)) data.Add(target, Path.GetFileName(file));
        }
        return data;
    }

    /// <summary>Reads one kept input with its reader.</summary>
    [Theory]
    [MemberData(nameof(Inputs))]
    public void ReadOrRefusedWithTheDocumentedException(string target, string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(QueueDir, target, name));
        string work = Path.Combine(Path.GetTempPath(), "hindsight-fuzzq-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            string path = Path.Combine(work, name);
            File.WriteAllBytes(path, bytes);
            var ex = Record.Exception(() =>
            {
                if (target == "safetensors") SafeTensors.Read(bytes, name);
                else SeriesCsv.Load(path);
            });
            if (ex is null) return;
            Assert.True(ex is DataFormatException or InvalidDataException, $"{target}/{name}: {ex.GetType().Name}: {ex.Message}");
            Assert.Contains(name, ex.Message);
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    [Fact]
    public void TheQueueIsThere()
    {
        var inputs = Inputs();
        Assert.Contains(inputs, row => (string)row[0] == "csv");
        Assert.Contains(inputs, row => (string)row[0] == "json");
        Assert.Contains(inputs, row => (string)row[0] == "safetensors");
    }
}
