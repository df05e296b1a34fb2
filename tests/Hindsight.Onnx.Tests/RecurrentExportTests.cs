using Hindsight.Layers.Recurrent;
using Xunit.Abstractions;

namespace Hindsight.Onnx.Tests;

public class RecurrentExportTests(ITestOutputHelper output) : ExportTestBase(output)
{
    private const int Input = 3, Hidden = 4, Steps = 5;

    /// <summary>Exports with dynamic batch and sequence, then runs two batch sizes and two lengths.</summary>
    private void Check(RecurrentBase layer, string label)
    {
        layer.Eval();
        var bytes = OnnxExporter.ToBytes(layer, -1, -1, Input);
        var rng = new Rng(11);
        foreach (var (t, b) in new[] { (Steps, 3), (2, 1), (Steps + 2, 4) })
        {
            var x = Tensor.Randn(rng, layer.BatchFirst ? [b, t, Input] : [t, b, Input]);
            var expected = new Dictionary<string, Tensor>();
            using (Tape.NoGrad())
            {
                switch (layer)
                {
                    case Lstm lstm:
                        var (y, h, c) = lstm.Forward(x);
                        expected["output"] = y; expected["h_n"] = h; expected["c_n"] = c!;
                        break;
                    case Gru gru:
                        (expected["output"], expected["h_n"], _) = gru.Forward(x);
                        break;
                    case Rnn rnn:
                        (expected["output"], expected["h_n"], _) = rnn.Forward(x);
                        break;
                }
            }
            AssertMatches(bytes, x, expected, $"{label} {x.ShapeString}");
        }
    }

    [Theory]
    [InlineData(1, false, false, RnnNonlinearity.Tanh, true)]
    [InlineData(1, false, true, RnnNonlinearity.Relu, true)]
    [InlineData(2, false, false, RnnNonlinearity.Relu, false)]
    [InlineData(1, true, false, RnnNonlinearity.Tanh, true)]
    [InlineData(2, true, true, RnnNonlinearity.Tanh, true)]
    [InlineData(2, true, false, RnnNonlinearity.Relu, true)]
    [InlineData(3, true, true, RnnNonlinearity.Tanh, false)]
    public void Rnn(int layers, bool bidirectional, bool batchFirst, RnnNonlinearity act, bool bias) =>
        Check(new Rnn(Input, Hidden, layers, act, bias, batchFirst, bidirectional: bidirectional, rng: new Rng(21)),
            $"rnn L{layers} {(bidirectional ? "bi" : "uni")} {(batchFirst ? "bf" : "tf")} {act} {(bias ? "bias" : "nobias")}");

    [Theory]
    [InlineData(1, false, false, true)]
    [InlineData(1, false, true, false)]
    [InlineData(2, false, true, true)]
    [InlineData(1, true, false, true)]
    [InlineData(2, true, true, true)]
    [InlineData(2, true, false, false)]
    public void Lstm(int layers, bool bidirectional, bool batchFirst, bool bias) =>
        Check(new Lstm(Input, Hidden, layers, bias, batchFirst, bidirectional: bidirectional, rng: new Rng(22)),
            $"lstm L{layers} {(bidirectional ? "bi" : "uni")} {(batchFirst ? "bf" : "tf")} {(bias ? "bias" : "nobias")}");

    [Theory]
    [InlineData(1, false, false, true)]
    [InlineData(1, false, true, false)]
    [InlineData(2, false, true, true)]
    [InlineData(1, true, false, true)]
    [InlineData(2, true, true, true)]
    [InlineData(2, true, false, false)]
    public void Gru(int layers, bool bidirectional, bool batchFirst, bool bias) =>
        Check(new Gru(Input, Hidden, layers, bias, batchFirst, bidirectional: bidirectional, rng: new Rng(23)),
            $"gru L{layers} {(bidirectional ? "bi" : "uni")} {(batchFirst ? "bf" : "tf")} {(bias ? "bias" : "nobias")}");

    [Theory]
    [InlineData("rnn", 1, false, false)]
    [InlineData("rnn", 2, true, true)]
    [InlineData("lstm", 1, true, false)]
    [InlineData("lstm", 3, true, true)]
    [InlineData("gru", 2, false, true)]
    [InlineData("gru", 2, true, false)]
    public void InitialStateInputs(string kind, int layers, bool bidirectional, bool batchFirst)
    {
        RecurrentBase layer = kind switch
        {
            "rnn" => new Rnn(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(25)),
            "lstm" => new Lstm(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(25)),
            _ => new Gru(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(25)),
        };
        layer.Eval();
        var bytes = OnnxExporter.ToBytes(layer, [-1, -1, Input], new OnnxExportOptions { InitialState = true });
        var rng = new Rng(26);
        foreach (var (t, b) in new[] { (4, 3), (1, 2) })
        {
            var x = Tensor.Randn(rng, batchFirst ? [b, t, Input] : [t, b, Input]);
            var h0 = Tensor.Randn(rng, layers * layer.NumDirections, b, Hidden);
            var c0 = Tensor.Randn(rng, layers * layer.NumDirections, b, Hidden);
            var expected = new Dictionary<string, Tensor>();
            var more = new Dictionary<string, Tensor> { ["h0"] = h0 };
            using (Tape.NoGrad())
            {
                if (layer is Lstm lstm)
                {
                    var (y, h, c) = lstm.Forward(x, new HiddenState(h0, c0));
                    expected["output"] = y; expected["h_n"] = h; expected["c_n"] = c!;
                    more["c0"] = c0;
                }
                else
                    (expected["output"], expected["h_n"], _) = ((RecurrentLayer)layer).Forward(x, h0);
            }
            AssertMatches(bytes, x, expected, $"{kind} L{layers} {(bidirectional ? "bi" : "uni")} {(batchFirst ? "bf" : "tf")} h0 {x.ShapeString}", more: more);
        }
    }

    [Theory]
    [InlineData("rnn", 1, true, false, false)]
    [InlineData("rnn", 2, true, true, true)]
    [InlineData("lstm", 1, false, true, false)]
    [InlineData("lstm", 2, true, false, true)]
    [InlineData("gru", 2, true, true, false)]
    [InlineData("gru", 1, false, false, true)]
    public void LengthsInput(string kind, int layers, bool bidirectional, bool batchFirst, bool initialState)
    {
        RecurrentBase layer = kind switch
        {
            "rnn" => new Rnn(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(27)),
            "lstm" => new Lstm(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(27)),
            _ => new Gru(Input, Hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, rng: new Rng(27)),
        };
        layer.Eval();
        var bytes = OnnxExporter.ToBytes(layer, [-1, -1, Input], new OnnxExportOptions { Lengths = true, InitialState = initialState });
        var rng = new Rng(28);
        foreach (var lengths in new[] { new[] { 5, 3, 1, 4 }, new[] { 2 }, new[] { 1, 6 } })
        {
            int t = lengths.Max(), b = lengths.Length;
            // padding is random, not zero: it must not reach any output or state
            var x = Tensor.Randn(rng, batchFirst ? [b, t, Input] : [t, b, Input]);
            Tensor? h0 = initialState ? Tensor.Randn(rng, layers * layer.NumDirections, b, Hidden) : null;
            Tensor? c0 = initialState && layer is Lstm ? Tensor.Randn(rng, layers * layer.NumDirections, b, Hidden) : null;
            var expected = new Dictionary<string, Tensor>();
            using (Tape.NoGrad())
            {
                if (layer is Lstm lstm)
                {
                    var (y, h, c) = lstm.Forward(x, h0 is null ? null : new HiddenState(h0, c0), lengths);
                    expected["output"] = y; expected["h_n"] = h; expected["c_n"] = c!;
                }
                else
                    (expected["output"], expected["h_n"], _) = ((RecurrentLayer)layer).Forward(x, h0, lengths);
            }
            var more = new Dictionary<string, Tensor>();
            if (h0 is not null) more["h0"] = h0;
            if (c0 is not null) more["c0"] = c0;
            AssertMatches(bytes, x, expected, $"{kind} L{layers} {(bidirectional ? "bi" : "uni")} {(batchFirst ? "bf" : "tf")} lengths [{string.Join(",", lengths)}]{(initialState ? " h0" : "")}", lengths, more);
        }
    }

    [Theory]
    [InlineData(1, false, JordanActivation.Tanh, JordanActivation.Identity, false)]
    [InlineData(1, true, JordanActivation.Relu, JordanActivation.Sigmoid, true)]
    [InlineData(2, false, JordanActivation.Sigmoid, JordanActivation.Tanh, true)]
    [InlineData(3, true, JordanActivation.Tanh, JordanActivation.Identity, false)]
    public void Jordan(int layers, bool batchFirst, JordanActivation hidden, JordanActivation output, bool initialState)
    {
        var jordan = new Jordan(Input, Hidden, 2, layers, hidden, output, batchFirst, new Rng(29));
        jordan.Eval();
        var bytes = OnnxExporter.ToBytes(jordan, [-1, -1, Input], new OnnxExportOptions { InitialState = initialState });
        var rng = new Rng(30);
        foreach (var (t, b) in new[] { (Steps, 3), (1, 1), (Steps + 3, 2) })
        {
            var x = Tensor.Randn(rng, batchFirst ? [b, t, Input] : [t, b, Input]);
            Tensor? y0 = initialState ? Tensor.Randn(rng, layers, b, 2) : null;
            Tensor y, last;
            using (Tape.NoGrad()) (y, last, _) = jordan.Forward(x, y0);
            var more = y0 is null ? null : new Dictionary<string, Tensor> { ["y0"] = y0 };
            AssertMatches(bytes, x, new Dictionary<string, Tensor> { ["output"] = y, ["last_output"] = last },
                $"jordan L{layers} {(batchFirst ? "bf" : "tf")} {hidden}/{output}{(initialState ? " y0" : "")} {x.ShapeString}", more: more);
        }
    }

    [Fact]
    public void DropoutIsDroppedInEvalMode()
    {
        var lstm = new Lstm(Input, Hidden, 2, dropout: 0.5f, rng: new Rng(24));
        Check(lstm, "lstm L2 dropout 0.5 eval");
    }
}
