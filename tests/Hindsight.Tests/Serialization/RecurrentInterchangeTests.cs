using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Serialization;

/// <summary>
/// nn.LSTM and nn.GRU weights both ways between PyTorch and Hindsight through safetensors with state_dict names
/// (fixtures from tools/reference/interchange_fixtures.py).
/// </summary>
public class RecurrentInterchangeTests(ITestOutputHelper output)
{
    /// <summary>The Python script's Net around nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True): Linear(2H, C) on every step.</summary>
    private sealed class LstmNet : Module
    {
        public Lstm Rnn { get; }
        public Linear Out { get; }

        public LstmNet(int inputs, int hidden, int classes, Rng rng)
        {
            Rnn = RegisterModule("rnn", new Lstm(inputs, hidden, numLayers: 2, batchFirst: true, bidirectional: true, rng: rng));
            Out = RegisterModule("out", new Linear(2 * hidden, classes, rng: rng));
        }

        public (Tensor Logits, Tensor H, Tensor C) Forward(Tensor x, Tensor? h0 = null, Tensor? c0 = null)
        {
            var (y, h, c) = Rnn.Forward(x, h0 is null ? null : new HiddenState(h0, c0));
            return (Out.Forward(y), h, c!);
        }
    }

    /// <summary>The Python script's Net around nn.GRU(I, H) (time-first, 1 layer): Linear(H, C) on every step.</summary>
    private sealed class GruNet : Module
    {
        public Gru Rnn { get; }
        public Linear Out { get; }

        public GruNet(int inputs, int hidden, int classes, Rng rng)
        {
            Rnn = RegisterModule("rnn", new Gru(inputs, hidden, rng: rng));
            Out = RegisterModule("out", new Linear(hidden, classes, rng: rng));
        }

        public (Tensor Logits, Tensor H) Forward(Tensor x, Tensor? h0 = null)
        {
            var (y, h, _) = Rnn.Forward(x, h0);
            return (Out.Forward(y), h);
        }
    }

    private static readonly string[] LstmNames =
    [
        .. new[] { "l0", "l0_reverse", "l1", "l1_reverse" }.SelectMany(s => new[] { $"rnn.weight_ih_{s}", $"rnn.weight_hh_{s}", $"rnn.bias_ih_{s}", $"rnn.bias_hh_{s}" }),
        "out.weight", "out.bias",
    ];

    /// <summary>Runs both nets on the "lstm.", "lstm_state.", "gru.", "gru_state." cases of <paramref name="io"/> and compares.</summary>
    private void CompareWithTorch(SafeTensorsFile io, LstmNet lstm, GruNet gru)
    {
        using var _ = Tape.NoGrad();
        foreach (var p in new[] { "lstm.", "lstm_state." })
        {
            bool state = p == "lstm_state.";
            var (logits, h, c) = lstm.Forward(io.Get(p + "x"), state ? io.Get(p + "h0") : null, state ? io.Get(p + "c0") : null);
            Compare.Close(io.Get(p + "logits"), logits, p + "logits", output);
            Compare.Close(io.Get(p + "h"), h, p + "h", output);
            Compare.Close(io.Get(p + "c"), c, p + "c", output);
        }
        foreach (var p in new[] { "gru.", "gru_state." })
        {
            var (logits, h) = gru.Forward(io.Get(p + "x"), p == "gru_state." ? io.Get(p + "h0") : null);
            Compare.Close(io.Get(p + "logits"), logits, p + "logits", output);
            Compare.Close(io.Get(p + "h"), h, p + "h", output);
        }
    }

    [Fact]
    public void LstmAndGruTrainedInPyTorchLoadAndGiveTheSameOutputsAndStates()
    {
        var lstm = new LstmNet(3, 8, 2, new Rng(1));
        var gru = new GruNet(3, 8, 2, new Rng(2));
        Assert.Equal(LstmNames, lstm.NamedParameters().Select(p => p.Name));
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "out.weight", "out.bias"],
            gru.NamedParameters().Select(p => p.Name));

        var meta = lstm.LoadSafeTensors(Repo.Fixture("torch_trained_lstm.safetensors"));
        Assert.Equal("5", meta["steps"]);
        gru.LoadSafeTensors(Repo.Fixture("torch_trained_gru.safetensors"));
        // Every value came from the file.
        foreach (var (net, file) in new (Module, string)[] { (lstm, "torch_trained_lstm"), (gru, "torch_trained_gru") })
        {
            var stored = SafeTensors.Load(Repo.Fixture(file + ".safetensors"));
            foreach (var (name, p) in net.NamedParameters()) Assert.Equal(stored.Get(name).Data, p.Data);
        }
        CompareWithTorch(SafeTensors.Load(Repo.Fixture("torch_trained_recurrent_io.safetensors")), lstm, gru);
    }

    // The models Hindsight writes for PyTorch to load: fixed seeds, so today's bytes must equal the committed files.
    private static (LstmNet Lstm, GruNet Gru) FromHindsightModels() => (new LstmNet(2, 3, 2, new Rng(41)), new GruNet(3, 4, 2, new Rng(42)));

    private static readonly Dictionary<string, string> LstmMeta = new() { ["input"] = "2", ["hidden"] = "3", ["output"] = "2" };
    private static readonly Dictionary<string, string> GruMeta = new() { ["input"] = "3", ["hidden"] = "4", ["output"] = "2" };

    /// <summary>
    /// Regenerate with <c>HINDSIGHT_WRITE_FIXTURES=1 dotnet test tests/Hindsight.Tests --filter FullyQualifiedName~FromHindsightFiles</c>,
    /// then run tools/reference/interchange_fixtures.py so torch's outputs follow.
    /// </summary>
    [Fact]
    public void FromHindsightFilesOfLstmAndGruAreWhatHindsightWritesToday()
    {
        var (lstm, gru) = FromHindsightModels();
        bool write = Environment.GetEnvironmentVariable("HINDSIGHT_WRITE_FIXTURES") == "1";
        foreach (var (module, name, meta) in new (Module, string, Dictionary<string, string>)[]
                 { (lstm, "from_hindsight_lstm", LstmMeta), (gru, "from_hindsight_gru", GruMeta) })
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
    public void FromHindsightLstmAndGruGiveTorchsOutputsAndStates()
    {
        // Different seeds than the writer: every value must come from the file.
        var lstm = new LstmNet(2, 3, 2, new Rng(99));
        var gru = new GruNet(3, 4, 2, new Rng(98));
        Assert.Equal("3", lstm.LoadSafeTensors(Repo.Fixture("from_hindsight_lstm.safetensors"))["hidden"]);
        Assert.Equal("4", gru.LoadSafeTensors(Repo.Fixture("from_hindsight_gru.safetensors"))["hidden"]);
        var (writtenLstm, writtenGru) = FromHindsightModels();
        foreach (var (name, p) in writtenLstm.NamedParameters()) Assert.Equal(p.Data, lstm.StateDict()[name].Data);
        foreach (var (name, p) in writtenGru.NamedParameters()) Assert.Equal(p.Data, gru.StateDict()[name].Data);
        CompareWithTorch(SafeTensors.Load(Repo.Fixture("from_hindsight_recurrent_torch_outputs.safetensors")), lstm, gru);
    }

    [Fact]
    public void WrongShapedOrMissingLstmWeightNamesTheTensorAndChangesNothing()
    {
        var good = SafeTensors.Load(Repo.Fixture("torch_trained_lstm.safetensors")).Tensors;
        string path = Path.Combine(Path.GetTempPath(), $"lstm.{Guid.NewGuid():N}.safetensors");
        try
        {
            var net = new LstmNet(3, 8, 2, new Rng(3));
            var before = net.Parameters().Select(p => p.Data.ToArray()).ToList();

            // Layer 1's input weight as a unidirectional LSTM would have it: (4H, H) instead of (4H, 2H).
            SafeTensors.Save(path, good.Select(kv => kv.Key == "rnn.weight_ih_l1" ? KeyValuePair.Create(kv.Key, new Tensor(32, 8)) : kv));
            var ex = Assert.Throws<InvalidDataException>(() => net.LoadSafeTensors(path));
            output.WriteLine(ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.Contains("tensor 'rnn.weight_ih_l1' has shape (32, 8), expected (32, 16)", ex.Message);
            Assert.Equal(before, net.Parameters().Select(p => p.Data.ToArray()).ToList());

            // A transposed hidden weight: same element count, wrong shape.
            SafeTensors.Save(path, good.Select(kv => kv.Key == "rnn.weight_hh_l0_reverse" ? KeyValuePair.Create(kv.Key, new Tensor(8, 32)) : kv));
            ex = Assert.Throws<InvalidDataException>(() => net.LoadSafeTensors(path));
            Assert.Contains("tensor 'rnn.weight_hh_l0_reverse' has shape (8, 32), expected (32, 8)", ex.Message);
            Assert.Equal(before, net.Parameters().Select(p => p.Data.ToArray()).ToList());

            SafeTensors.Save(path, good.Where(kv => kv.Key != "rnn.bias_hh_l1_reverse"));
            ex = Assert.Throws<InvalidDataException>(() => net.LoadSafeTensors(path));
            output.WriteLine(ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.Contains("missing tensor 'rnn.bias_hh_l1_reverse' (expected shape (32))", ex.Message);
            Assert.Equal(before, net.Parameters().Select(p => p.Data.ToArray()).ToList());

            // Not strict: the present tensors load, the missing bias keeps its value.
            net.LoadSafeTensors(path, strict: false);
            Assert.Equal(good["rnn.bias_hh_l1"].Data, net.StateDict()["rnn.bias_hh_l1"].Data);
            Assert.Equal(before[LstmNames.ToList().IndexOf("rnn.bias_hh_l1_reverse")], net.StateDict()["rnn.bias_hh_l1_reverse"].Data);
        }
        finally { File.Delete(path); }
    }
}
