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
        RecurrentFixtures.CheckParity(kind, name, output, Tolerance);
    }
}
