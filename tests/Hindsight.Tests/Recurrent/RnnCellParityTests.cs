using Hindsight.Data;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>The seed's RNN cell against PyTorch (tools/reference/cell_fixtures.py): every step's output and every gradient.</summary>
public class RnnCellParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("rnn_cell_seed", 57, 128, 18)]
    [InlineData("rnn_cell_small", 5, 4, 3)]
    public void LetterByLetterLoopMatchesPyTorch(string fixture, int input, int hidden, int classes)
    {
        var f = SafeTensors.Load(Repo.Fixture(fixture + ".safetensors"));
        var cell = new RnnCell(input, hidden, classes);
        cell.LoadStateDict(cell.StateDict().Keys.ToDictionary(k => k, k => f.Get(k)));
        var line = f.Get("line");
        int steps = line.Dim(0), batch = line.Dim(1);
        var h = cell.InitHidden(batch);
        var outputs = new List<Tensor>();
        Tensor o = null!;
        for (int i = 0; i < steps; i++)
        {
            (o, h) = cell.Forward(Ops.Select(line, 0, i), h);
            outputs.Add(o);
        }
        var targets = f.Get("target").Data.Select(v => (int)v).ToArray();
        var loss = Ops.NllLoss(o, targets);
        loss.Backward();
        var expectedOutputs = f.Get("outputs");
        for (int i = 0; i < steps; i++)
            Compare.Close(Ops.Select(expectedOutputs, 0, i), outputs[i], $"output[{i}]", output);
        Compare.Close(f.Get("hidden"), h, "hidden", output);
        Compare.Close(f.Get("loss"), loss.Data, "loss", output);
        foreach (var (name, p) in cell.NamedParameters())
            Compare.Close(f.Get("grad." + name), p.Grad!, "grad." + name, output);
    }

    [Fact]
    public void ParameterNamesAreTheSeeds()
    {
        var cell = new RnnCell(57, 128, 18);
        Assert.Equal(["i2h.weight", "i2h.bias", "i2o.weight", "i2o.bias"], cell.NamedParameters().Select(p => p.Name));
        Assert.True(cell.I2H.Weight.HasShape(128, 185));
        Assert.True(cell.I2O.Weight.HasShape(18, 185));
    }

    [Fact]
    public void WordBecomesOneHotLetters()
    {
        var t = OneHot.Word("aA", OneHot.SeedAlphabet);
        Assert.True(t.HasShape(2, 1, 57));
        Assert.Equal(1f, t[0, 0, 0]);
        Assert.Equal(1f, t[1, 0, 26]);
        Assert.Equal(2f, t.Data.Sum());
        var ex = Assert.Throws<ArgumentException>(() => OneHot.Word("a9", OneHot.SeedAlphabet));
        Assert.Contains("'9' at position 1", ex.Message);
    }

    [Fact]
    public void WrongShapesNameTheTensor()
    {
        var cell = new RnnCell(5, 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => cell.Forward(new Tensor(1, 6), cell.InitHidden()));
        Assert.Contains("input has shape (1, 6), expected (batch, 5)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => cell.Forward(new Tensor(2, 5), cell.InitHidden()));
        Assert.Contains("hidden has shape (1, 4), expected (2, 4)", ex.Message);
    }
}
