using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Serialization;

/// <summary>
/// Weights both ways between PyTorch and Hindsight through safetensors with state_dict names
/// (fixtures from tools/reference/cell_fixtures.py).
/// </summary>
public class ModelFileTests(ITestOutputHelper output)
{
    /// <summary>The Python script's WordClassifier: the seed's cell over the letters, then a Linear head on tanh(last hidden).</summary>
    private sealed class WordClassifier : Module
    {
        public RnnCell Rnn { get; }
        public Linear Out { get; }

        public WordClassifier(int alphabet, int hidden, int classes, Rng rng)
        {
            Rnn = RegisterModule("rnn", new RnnCell(alphabet, hidden, classes, rng));
            Out = RegisterModule("out", new Linear(hidden, classes, rng: rng));
        }

        public Tensor Forward(Tensor lines)
        {
            var h = Rnn.InitHidden(lines.Dim(1));
            for (int i = 0; i < lines.Dim(0); i++) (_, h) = Rnn.Forward(Ops.Select(lines, 0, i), h);
            return Out.Forward(Ops.Tanh(h));
        }
    }

    private static Sequential Mlp(int input, int hidden, int outputs, Rng rng) =>
        new(new Linear(input, hidden, rng: rng), new Tanh(), new Linear(hidden, outputs, rng: rng));

    [Fact]
    public void ModelsTrainedInPyTorchLoadAndGiveTheSameOutputs()
    {
        var io = SafeTensors.Load(Repo.Fixture("torch_trained_io.safetensors"));
        var clf = new WordClassifier(3, 6, 3, new Rng(1));
        var meta = clf.LoadSafeTensors(Repo.Fixture("torch_trained_classifier.safetensors"));
        Assert.Equal("5", meta["steps"]);
        Assert.Equal(["rnn.i2h.weight", "rnn.i2h.bias", "rnn.i2o.weight", "rnn.i2o.bias", "out.weight", "out.bias"],
            clf.NamedParameters().Select(p => p.Name));
        using (Tape.NoGrad())
            Compare.Close(io.Get("classifier_logits"), clf.Forward(io.Get("lines")), "classifier_logits", output);

        var seq = Mlp(4, 8, 3, new Rng(1));
        seq.LoadSafeTensors(Repo.Fixture("torch_trained_sequential.safetensors"));
        using (Tape.NoGrad())
            Compare.Close(io.Get("sequential_output"), seq.Forward(io.Get("x")), "sequential_output", output);
    }

    // The models Hindsight writes for PyTorch to load: fixed seeds, so today's bytes must equal the committed files.
    private static (RnnCell Cell, Sequential Seq) FromHindsightModels() =>
        (new RnnCell(5, 4, 3, new Rng(21)), Mlp(3, 5, 2, new Rng(22)));

    private static readonly Dictionary<string, string> CellMeta = new() { ["input"] = "5", ["hidden"] = "4", ["output"] = "3" };
    private static readonly Dictionary<string, string> SeqMeta = new() { ["input"] = "3", ["hidden"] = "5", ["output"] = "2" };

    /// <summary>
    /// Regenerate with <c>HINDSIGHT_WRITE_FIXTURES=1 dotnet test tests/Hindsight.Tests --filter FullyQualifiedName~FromHindsight</c>,
    /// then run tools/reference/cell_fixtures.py so torch's outputs follow.
    /// </summary>
    [Fact]
    public void FromHindsightFilesAreWhatHindsightWritesToday()
    {
        var (cell, seq) = FromHindsightModels();
        bool write = Environment.GetEnvironmentVariable("HINDSIGHT_WRITE_FIXTURES") == "1";
        foreach (var (module, name, meta) in new (Module, string, Dictionary<string, string>)[]
                 { (cell, "from_hindsight_rnncell", CellMeta), (seq, "from_hindsight_sequential", SeqMeta) })
        {
            string committed = Repo.Fixture(name + ".safetensors");
            if (write) module.SaveSafeTensors(committed, meta);
            string fresh = Path.Combine(Path.GetTempPath(), $"{name}.{Guid.NewGuid():N}.safetensors");
            try
            {
                module.SaveSafeTensors(fresh, meta);
                Assert.True(File.ReadAllBytes(committed).AsSpan().SequenceEqual(File.ReadAllBytes(fresh)),
                    $"{name}: the bytes Hindsight writes today differ from the committed file");
            }
            finally { File.Delete(fresh); }
        }
    }

    [Fact]
    public void FromHindsightModelsGiveTorchsOutputs()
    {
        var torch = SafeTensors.Load(Repo.Fixture("from_hindsight_torch_outputs.safetensors"));
        var cell = new RnnCell(5, 4, 3, new Rng(99));
        var meta = cell.LoadSafeTensors(Repo.Fixture("from_hindsight_rnncell.safetensors"));
        Assert.Equal("4", meta["hidden"]);
        var line = torch.Get("line");
        using (Tape.NoGrad())
        {
            var h = cell.InitHidden(line.Dim(1));
            var outs = new List<Tensor>();
            for (int i = 0; i < line.Dim(0); i++)
            {
                (var o, h) = cell.Forward(Ops.Select(line, 0, i), h);
                outs.Add(o);
            }
            for (int i = 0; i < outs.Count; i++)
                Compare.Close(Ops.Select(torch.Get("cell_outputs"), 0, i), outs[i], $"cell_outputs[{i}]", output);
            Compare.Close(torch.Get("cell_hidden"), h, "cell_hidden", output);
            var seq = Mlp(3, 5, 2, new Rng(98));
            seq.LoadSafeTensors(Repo.Fixture("from_hindsight_sequential.safetensors"));
            Compare.Close(torch.Get("sequential_output"), seq.Forward(torch.Get("x")), "sequential_output", output);
        }
    }

    [Fact]
    public void RoundTripKeepsEveryValueAndMetadata()
    {
        var jordan = new Jordan(3, 8, 2, numLayers: 2, outputActivation: JordanActivation.Tanh, rng: new Rng(5));
        string path = Path.Combine(Path.GetTempPath(), $"jordan.{Guid.NewGuid():N}.safetensors");
        try
        {
            jordan.SaveSafeTensors(path, new Dictionary<string, string> { ["kind"] = "jordan" });
            var copy = new Jordan(3, 8, 2, numLayers: 2, outputActivation: JordanActivation.Tanh, rng: new Rng(6));
            Assert.Equal("jordan", copy.LoadSafeTensors(path)["kind"]);
            foreach (var (name, p) in jordan.NamedParameters())
                Assert.Equal(p.Data, copy.StateDict()[name].Data);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MismatchedModelNamesTensorsAndShapesAndChangesNothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cell.{Guid.NewGuid():N}.safetensors");
        try
        {
            new RnnCell(5, 4, 3, new Rng(1)).SaveSafeTensors(path);
            var wider = new RnnCell(5, 6, 3, new Rng(2));
            var before = wider.Parameters().Select(p => p.Data.ToArray()).ToList();
            var ex = Assert.Throws<InvalidDataException>(() => wider.LoadSafeTensors(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("tensor 'i2h.weight' has shape (4, 9), expected (6, 11)", ex.Message);
            Assert.Contains("tensor 'i2o.weight' has shape (3, 9), expected (3, 11)", ex.Message);
            Assert.Equal(before, wider.Parameters().Select(p => p.Data.ToArray()).ToList());

            var other = new WordClassifier(5, 4, 3, new Rng(3));
            ex = Assert.Throws<InvalidDataException>(() => other.LoadSafeTensors(path));
            Assert.Contains("missing tensor 'rnn.i2h.weight' (expected shape (4, 9))", ex.Message);
            Assert.Contains("unexpected tensor 'i2h.weight' (4, 9)", ex.Message);
            // Not strict: names that match load, the rest is left alone.
            var seq = new Sequential(("i2h", (Layer)new Linear(9, 4, rng: new Rng(4))));
            seq.LoadSafeTensors(path, strict: false);
            Assert.Equal(SafeTensors.Load(path).Get("i2h.weight").Data, seq.StateDict()["i2h.weight"].Data);
        }
        finally { File.Delete(path); }
    }
}
