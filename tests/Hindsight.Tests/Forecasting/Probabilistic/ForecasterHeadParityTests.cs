using Hindsight.Forecasting;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Tests.Engine;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Forecasting.Probabilistic;

/// <summary>
/// The quantile and distribution heads as the neural forecaster wires them (its MLP, whose last layer outputs O x W raw
/// values, then <see cref="HeadOutputs.Loss"/>) against PyTorch (tools/reference/forecaster_head_fixtures.py): the loss
/// and the gradient of every weight.
/// </summary>
public class ForecasterHeadParityTests(ITestOutputHelper output)
{
    private const string File = "forecaster_heads";

    public static TheoryData<string> Heads => ParityFixture.CaseNames(File, "heads");

    [Theory]
    [MemberData(nameof(Heads))]
    public void HeadWiredIntoTheForecastNetMatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        var sizes = f.Meta("sizes").Split(',').Select(int.Parse).ToArray();
        var head = name switch
        {
            "quantiles" => new ProbabilisticOptions { Quantiles = f.Meta("quantiles.levels") }.Head(),
            "gaussian" => new ProbabilisticOptions { Distribution = OutputDistribution.Gaussian }.Head(),
            "studentt" => new ProbabilisticOptions { Distribution = OutputDistribution.StudentT }.Head(),
            _ => new ProbabilisticOptions { Distribution = OutputDistribution.NegBin }.Head(),
        };
        var config = new NeuralConfig { Kind = NeuralKind.Mlp, Lookback = sizes[0], Hidden = sizes[1], Horizon = sizes[2], Head = head };
        Tape.Clear();
        var net = new ForecastNet(config, new Rng(1));
        net.LoadStateDict(net.NamedParameters().ToDictionary(p => p.Name, p => f.Get($"{name}/{p.Name}")));
        net.ZeroGrad();
        var raw = net.Forward(f.Get($"{name}/x"));
        Assert.Equal(config.NetworkOutputs, raw.Dim(1));
        var loss = HeadOutputs.Loss(head, raw, f.Get($"{name}/y"), f.Has($"{name}/scale") ? f.Get($"{name}/scale") : null);
        Compare.Close(f.Get($"{name}/loss"), loss, $"{name} loss", output, 1e-5);
        loss.Backward();
        foreach (var (parameter, value) in net.NamedParameters())
            Compare.Close(f.Get($"{name}/d_{parameter}"), value.Grad!, $"{name} d {parameter}", output, 1e-5);
    }
}
