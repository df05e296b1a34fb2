using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Lesson;
using Hindsight.Text;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

/// <summary>The lesson's models (a recurrent layer with a Linear head on every step; the fully connected net) and errors.</summary>
public class ModelExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private const int Steps = 6;

    private void Check(ISequenceModel model, int rows, string label)
    {
        model.Module.Eval();
        var bytes = OnnxExporter.ToBytes(model.Module, -1, Steps);
        var x = Tensor.Randn(new Rng(31), rows, Steps);
        Tensor y;
        using (Tape.NoGrad()) y = model.Forward(x);
        AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y }, $"{label} {x.ShapeString}");
    }

    [Fact]
    public void SimpleRnnModel()
    {
        // the seed's SimpleRNN builds its zero state for exactly batchRows rows; the ONNX graph takes any batch
        Check(new SimpleRnnModel(5, 4, new Rng(32)), 4, "lesson rnn");
        var other = new SimpleRnnModel(5, 2, new Rng(32));
        Check(other, 2, "lesson rnn");
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    [InlineData(false, 5)]
    public void GatedModel(bool lstm, int rows) => Check(new GatedModel(lstm, 5, new Rng(33)), rows, lstm ? "lesson lstm" : "lesson gru");

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void JordanModel(int rows) => Check(new JordanModel(5, new Rng(40)), rows, "lesson jordan");

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void FullyConnectedModel(int rows) => Check(new FullyConnectedModel(Steps, 8, new Rng(34)), rows, "lesson fc");

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void CharLanguageModelGivesLogitsOnEveryStep(bool gru, int layers)
    {
        var model = new CharLanguageModel(gru, new Alphabet("abcde "), 5, layers, new Rng(37));
        model.Eval();
        var bytes = OnnxExporter.ToBytes(model, -1, -1, 6);
        foreach (var (t, b) in new[] { (4, 3), (7, 1) })
        {
            var codes = Enumerable.Range(0, t * b).Select(i => (i * 7 + 3) % 6).ToArray();
            var x = model.OneHot(codes, Enumerable.Range(0, b).Select(i => i * t).ToArray(), t);
            var state = new RecurrentState();
            Tensor logits;
            using (Tape.NoGrad()) logits = model.Forward(x, state);
            var expected = new Dictionary<string, Tensor> { ["logits"] = Ops.Reshape(logits, t, b, 6), ["h_n"] = state.Hidden! };
            if (!gru) expected["c_n"] = state.Cell!;
            AssertMatches(bytes, x, expected, $"generate {(gru ? "gru" : "lstm")} L{layers} {x.ShapeString}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CharLanguageModelCarriesTheStateBetweenCalls(bool gru)
    {
        var model = new CharLanguageModel(gru, new Alphabet("abcd"), 5, 2, new Rng(39));
        model.Eval();
        var bytes = OnnxExporter.ToBytes(model, [-1, -1, 4], new OnnxExportOptions { InitialState = true });
        var state = new RecurrentState();
        var feeds = new Dictionary<string, Tensor> { ["h0"] = Tensor.Zeros(2, 2, 5) };
        if (!gru) feeds["c0"] = Tensor.Zeros(2, 2, 5);
        int[] codes = [0, 1, 2, 3, 3, 2, 1, 0, 0, 2, 1, 3];
        for (int chunk = 0; chunk < 3; chunk++)
        {
            // two streams, two letters per call; ONNX Runtime gets back the state it returned last time
            var x = model.OneHot(codes, [chunk * 2, 6 + chunk * 2], 2);
            Tensor logits;
            using (Tape.NoGrad()) logits = model.Forward(x, state);
            var actual = OrtRunner.Run(bytes, x, more: feeds);
            Hindsight.Tests.Support.Compare.Close(Ops.Reshape(logits, 2, 2, 4), actual["logits"], $"generate {(gru ? "gru" : "lstm")} chunk {chunk} logits", Output);
            Hindsight.Tests.Support.Compare.Close(state.Hidden!, actual["h_n"], $"generate {(gru ? "gru" : "lstm")} chunk {chunk} h_n", Output);
            feeds["h0"] = actual["h_n"];
            if (!gru) feeds["c0"] = actual["c_n"];
        }
    }

    [Fact]
    public void InitialStateOptionNeedsARecurrentModel()
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(new Linear(2, 2, rng: new Rng(1)), [-1, 2], new OnnxExportOptions { InitialState = true }));
        Assert.Contains("initial state", e.Message);
    }

    [Theory]
    [InlineData(LanguageIdArchitecture.Gru)]
    [InlineData(LanguageIdArchitecture.Lstm)]
    public void WordClassifierReadsEachWordsLastState(LanguageIdArchitecture architecture)
    {
        var model = new LanguageIdModel(architecture, new Alphabet("abcdef"), ["en", "fr", "de"], 5, new Rng(38));
        var net = (RecurrentWordClassifier)model.Network;
        net.Eval();
        var bytes = OnnxExporter.ToBytes(net, -1, -1, 6);
        foreach (var lengths in new[] { new[] { 4, 2, 1 }, new[] { 3 }, new[] { 5, 5, 3, 1 } })
        {
            int t = lengths.Max(), b = lengths.Length;
            var x = new Tensor(t, b, 6);
            for (int s = 0; s < t; s++)
                for (int r = 0; r < b; r++)
                    if (s < lengths[r]) x.Data[(s * b + r) * 6 + (s * 5 + r * 3) % 6] = 1f;   // one-hot, zero padding
            Tensor logits;
            using (Tape.NoGrad()) logits = net.Forward(x, lengths);
            var expected = new Dictionary<string, Tensor> { ["logits"] = logits, ["log_probs"] = Ops.LogSoftmax(logits, 1) };
            AssertMatches(bytes, x, expected, $"langid {architecture} lengths [{string.Join(",", lengths)}]", lengths);
        }
    }

    [Fact]
    public void RnnCellOneStep()
    {
        var cell = new RnnCell(4, 3, 5, new Rng(47));
        var bytes = OnnxExporter.ToBytes(cell, -1, 4);
        var rng = new Rng(48);
        foreach (int b in new[] { 2, 1, 6 })
        {
            var x = Tensor.Randn(rng, b, 4);
            var h = Tensor.Randn(rng, b, 3);
            Tensor output, hidden;
            using (Tape.NoGrad()) (output, hidden) = cell.Forward(x, h);
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = output, ["hidden_out"] = hidden }, $"rnn cell step ({b}, 4)",
                more: new Dictionary<string, Tensor> { ["hidden"] = h });
        }
    }

    [Fact]
    public void RnnCellOverASequenceAsTheLangIdCellModelReadsAWord()
    {
        var model = new LanguageIdModel(LanguageIdArchitecture.Cell, new Alphabet("abcdef"), ["en", "fr", "de"], 4, new Rng(49));
        var cell = (RnnCell)model.Network;
        var bytes = OnnxExporter.ToBytes(cell, [-1, -1, 6], new OnnxExportOptions { RnnCellOverSequence = true });
        var rng = new Rng(50);
        foreach (var (t, b) in new[] { (5, 3), (1, 1), (7, 2) })
        {
            var x = new Tensor(t, b, 6);
            for (int i = 0; i < t * b; i++) x.Data[i * 6 + rng.NextInt(6)] = 1f;
            Tensor output;
            using (Tape.NoGrad()) output = LanguageIdModel.CellForward(cell, x);
            var actual = OrtRunner.Run(bytes, x);
            Hindsight.Tests.Support.Compare.Close(output, actual["output"], $"langid cell over ({t}, {b}, 6) output", Output);
            Assert.Equal([b, 4], actual["hidden_out"].Shape.ToArray());
        }
        Assert.Contains("RnnCellOverSequence", Assert.Throws<NotSupportedException>(() =>
            OnnxExporter.ToBytes(new Linear(2, 2, rng: new Rng(1)), [-1, 2], new OnnxExportOptions { RnnCellOverSequence = true })).Message);
    }

    [Fact]
    public void ExportWritesAFileThatOnnxRuntimeLoads()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hindsight-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "gru.onnx");
            var gru = new Gru(2, 3, 2, batchFirst: true, rng: new Rng(35));
            OnnxExporter.Export(gru, path, -1, -1, 2);
            Assert.Equal(new[] { "gru.onnx" }, Directory.GetFiles(dir).Select(Path.GetFileName));
            using var session = new InferenceSession(path);
            Assert.Equal(["input"], session.InputMetadata.Keys);
            Assert.Equal(["output", "h_n"], session.OutputMetadata.Keys);
            // dynamic dimensions are declared by name (dim_param), the feature size is fixed
            Assert.Equal(["batch", "sequence", ""], session.InputMetadata["input"].SymbolicDimensions);
            Assert.Equal([-1, -1, 2], session.InputMetadata["input"].Dimensions);
            var x = Tensor.Randn(new Rng(36), 3, 4, 2);
            Tensor y;
            using (Tape.NoGrad()) y = gru.Forward(x).Output;
            Hindsight.Tests.Support.Compare.Close(y, OrtRunner.Run(session, x)["output"], "gru file output", Output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private sealed class Doubler : Layer
    {
        public override Tensor Forward(Tensor input) => Ops.Scale(input, 2f);
    }

    [Fact]
    public void UnsupportedLayerIsNamedByItsPath()
    {
        var net = new Sequential(("body", new Sequential(new Linear(2, 2, rng: new Rng(1)), new Doubler())), ("head", new Linear(2, 1, rng: new Rng(2))));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(net, -1, 2));
        Assert.Contains("'body.1'", e.Message);
        Assert.Contains("Doubler", e.Message);
    }

    private sealed class Wrapper : Module
    {
        public Wrapper(Linear inner) => RegisterModule("inner", inner);
    }

    [Fact]
    public void UnsupportedModelsAreRefused()
    {
        var custom = new Wrapper(new Linear(2, 2, rng: new Rng(4)));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(custom, -1, 2));
        Assert.Contains("'model'", e.Message);
        Assert.Contains("Wrapper", e.Message);
    }

    [Fact]
    public void DropoutInTrainingModeIsRefused()
    {
        var rnn = new Rnn(2, 3, 2, dropout: 0.3f, rng: new Rng(5));   // a new module is in training mode
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(rnn, -1, -1, 2));
        Assert.Contains("'model'", e.Message);
        Assert.Contains("dropout>0", e.Message);
        Assert.Contains("Eval()", e.Message);
    }

    [Fact]
    public void WrongInputShapesAreNamed()
    {
        var linear = new Linear(4, 2, rng: new Rng(6));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(linear, -1, 3));
        Assert.Contains("(batch, 3)", e.Message);
        Assert.Contains("(..., 4)", e.Message);
        var lstm = new Lstm(3, 2, rng: new Rng(7));
        Assert.Contains("rank-3", Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(lstm, -1, 3)).Message);
        Assert.Contains("size 0", Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(linear, 0, 4)).Message);
    }
}
