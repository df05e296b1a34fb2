using Hindsight.Forecasting;
using Hindsight.Optimizers;

namespace Hindsight.Cli.Bench;

/// <summary>
/// <c>nbeats</c> (issue 11 point 7): one training step of the generic N-BEATS network as <c>NeuralTrainer</c> runs it, with the
/// forecasting defaults (<see cref="ForecastSettings"/>: 3 stacks x 1 block x 2 layers of 256 units, batch 32, Adam at the
/// default rate, gradient norm clipped to 1) on the sizes of a monthly benchmark series: horizon 18, lookback 2 x 18 = 36.
/// Step = zero_grad, forward, MSE, backward, clip, Adam; x (32, 36) and y (32, 18) are fixed N(0, 1) draws.
/// The same step in PyTorch: <c>tools/reference/nbeats_step.py</c>.
/// </summary>
internal sealed class NBeatsWorkload : Workload
{
    /// <summary>Forecast steps of the benchmark's monthly series (M4 monthly horizon).</summary>
    public const int HorizonSteps = 18;

    private readonly ForecastNet _net;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly Adam _optimizer;
    private readonly Tensor _x, _y;

    public NBeatsWorkload(ulong seed)
    {
        Config = new ForecastSettings { Horizon = HorizonSteps }.Neural(NeuralKind.NBeats);  // lookback 2 x horizon
        var rng = new Rng(seed);
        _net = new ForecastNet(Config, rng);
        _parameters = _net.Parameters();
        _optimizer = new Adam(_parameters, Config.LearningRate);
        _x = Tensor.Randn(rng, Config.BatchSize, Config.Lookback);                        // (B, L)
        _y = Tensor.Randn(rng, Config.BatchSize, Config.Horizon);                         // (B, H)
        int b = Config.BatchSize, l = Config.Lookback, w = Config.BlockWidth, theta = Config.Lookback + Config.Horizon;
        double blockForward = 2.0 * b * w * (l + (Config.BlockLayers - 1) * w + theta);
        int blocks = Config.Stacks * Config.StackBlocks;
        // Forward, weight gradients and input gradients of every Linear, except the input gradient of the first block's
        // first layer (the data needs none).
        FlopsPerStep = 3 * blocks * blockForward - 2.0 * b * l * w;
    }

    /// <summary>The network's settings (the forecasting defaults at horizon 18).</summary>
    public NeuralConfig Config { get; }

    /// <summary>Trainable values (PyTorch's <c>sum(p.numel() for p in net.parameters())</c>).</summary>
    public int ParameterCount => _net.ParameterCount;

    public override string Name => "nbeats";
    public override string Description =>
        $"N-BEATS generic {Config.Stacks} stacks x {Config.StackBlocks} block x {Config.BlockLayers} layers x {Config.BlockWidth}, B={Config.BatchSize} L={Config.Lookback} H={Config.Horizon}, MSE, clip 1, Adam {Config.LearningRate:G3}";
    public override double FlopsPerStep { get; }
    public override int DefaultSteps => 500;

    protected override float TrainStep()
    {
        _optimizer.ZeroGrad();
        var loss = Ops.MseLoss(_net.Forward(_x), _y);                                      // (B, L) -> (B, H) -> scalar
        loss.Backward();
        GradClip.ClipGradNorm(_parameters, 1f);
        _optimizer.Step();
        return loss.Item();
    }
}
