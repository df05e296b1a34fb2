using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Recurrent;

/// <summary>
/// Rnn (tanh), Lstm and Gru against PyTorch 1.13.1 at small magnitudes (tools/reference/small_magnitude_fixtures.py):
/// weights x0.01, inputs x1e-3 without biases, and both, where every activation's argument is near zero. Activations
/// computed through exp lost their relative precision there (up to 3.6e-3 relative difference from PyTorch); with the
/// exact kernels (Tensors/Kernels/Activation.cs) every output, final state and gradient is within 1e-5 of each
/// tensor's scale, as at ordinary magnitudes.
/// </summary>
public class SmallMagnitudeParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> RnnCases => RecurrentFixtures.CaseNames("small_rnn_tanh");
    public static TheoryData<string> LstmCases => RecurrentFixtures.CaseNames("small_lstm");
    public static TheoryData<string> GruCases => RecurrentFixtures.CaseNames("small_gru");

    [Theory, MemberData(nameof(RnnCases))] public void RnnTanh(string name) => Check("small_rnn_tanh", name);
    [Theory, MemberData(nameof(LstmCases))] public void Lstm(string name) => Check("small_lstm", name);
    [Theory, MemberData(nameof(GruCases))] public void Gru(string name) => Check("small_gru", name);

    private const double Tolerance = 1e-5;

    private void Check(string kind, string name)
    {
        var c = RecurrentFixtures.Case(kind, name);
        Assert.False(c.Bias && !name.StartsWith("w001", StringComparison.Ordinal), "the x1e-3 families have no biases");
        var layer = RecurrentFixtures.Build(c);
        Tensor Fx(string t) => RecurrentFixtures.Get(kind, name, t);
        var x = Fx("input").Clone(); x.RequiresGrad = true;
        Tensor? h0 = null, c0 = null;
        if (c.Init) { h0 = Fx("h0").Clone(); h0.RequiresGrad = true; }
        if (c.Init && kind == "small_lstm") { c0 = Fx("c0").Clone(); c0.RequiresGrad = true; }

        var (y, hn, cn) = RecurrentFixtures.Run(layer, x, h0, c0, null);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(y, Fx("grad_output"))), Ops.Sum(Ops.Mul(hn, Fx("grad_h_n"))));
        if (cn is not null) loss = Ops.Add(loss, Ops.Sum(Ops.Mul(cn, Fx("grad_c_n"))));
        loss.Backward();

        Compare.Close(Fx("output"), y, "output", output, Tolerance);
        Compare.Close(Fx("h_n"), hn, "h_n", output, Tolerance);
        if (cn is not null) Compare.Close(Fx("c_n"), cn, "c_n", output, Tolerance);
        Compare.Close(Fx("grad/input"), x.Grad!, "grad/input", output, Tolerance);
        if (h0 is not null) Compare.Close(Fx("grad/h0"), h0.Grad!, "grad/h0", output, Tolerance);
        if (c0 is not null) Compare.Close(Fx("grad/c0"), c0.Grad!, "grad/c0", output, Tolerance);
        foreach (var (pn, p) in layer.NamedParameters())
            Compare.Close(Fx("grad/" + pn), p.Grad!, "grad/" + pn, output, Tolerance);
    }
}
