using Hindsight.Layers;
using Hindsight.Layers.Recurrent;
using Hindsight.Optimizers;

namespace Hindsight.Cli.Bench;

/// <summary>W1, the seed's SimpleRNN: Rnn(1 -> 2, tanh, batch-first) and Linear(2 -> 1) on every step; batch 10, length 10; MSE; SGD lr 0.01.</summary>
internal sealed class SimpleRnnWorkload : Workload
{
    private readonly Rnn _rnn;
    private readonly Linear _head;
    private readonly Sgd _optimizer;
    private readonly Tensor _x, _y;

    public SimpleRnnWorkload(ulong seed)
    {
        var rng = new Rng(seed);
        _rnn = new Rnn(1, 2, batchFirst: true, rng: rng);
        _head = new Linear(2, 1, rng: rng);
        _optimizer = new Sgd([.. _rnn.Parameters(), .. _head.Parameters()], lr: 0.01f);
        _x = Tensor.Randn(rng, 10, 10, 1);
        _y = Tensor.Randn(rng, 10, 10, 1);
    }

    public override string Name => "W1";
    public override string Description => "seed SimpleRNN: Rnn(1->2, tanh, batch-first) + Linear(2->1) every step, B=10 T=10, MSE, SGD";

    protected override float TrainStep()
    {
        var (output, _) = _rnn.Forward(_x);
        var loss = Ops.MseLoss(_head.Forward(output), _y);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}

/// <summary>W4 and W5: Lstm(I -> H, L layers, batch-first), Linear(H -> 1) on the last step; MSE; Adam lr 1e-3.</summary>
internal sealed class LstmWorkload : Workload
{
    private readonly Lstm _lstm;
    private readonly Linear _head;
    private readonly Adam _optimizer;
    private readonly Tensor _x, _y;
    private readonly int _length;

    public LstmWorkload(string name, int inputSize, int hiddenSize, int layers, int length, int batch, ulong seed, int defaultSteps)
    {
        Name = name;
        DefaultSteps = defaultSteps;
        _length = length;
        var rng = new Rng(seed);
        _lstm = new Lstm(inputSize, hiddenSize, layers, batchFirst: true, rng: rng);
        _head = new Linear(hiddenSize, 1, rng: rng);
        _optimizer = new Adam([.. _lstm.Parameters(), .. _head.Parameters()], lr: 1e-3f);
        _x = Tensor.Randn(rng, batch, length, inputSize);
        _y = Tensor.Randn(rng, batch, 1);
        Description = $"Lstm({inputSize}->{hiddenSize}, {layers} layer{(layers > 1 ? "s" : "")}, batch-first) B={batch} T={length}, Linear({hiddenSize}->1) on the last step, MSE, Adam";
        // Matrix products per step: forward x W_ih^T and h W_hh^T per layer; backward twice that (input and weight
        // gradients), minus the input gradient of layer 0 (the data does not require one).
        double flops = 0;
        for (int l = 0; l < layers; l++)
        {
            int inF = l == 0 ? inputSize : hiddenSize;
            flops += 6.0 * length * batch * 4 * hiddenSize * (inF + hiddenSize);
        }
        FlopsPerStep = flops - 2.0 * length * batch * 4 * hiddenSize * inputSize;
    }

    public override string Name { get; }
    public override string Description { get; }
    public override double FlopsPerStep { get; }
    public override int DefaultSteps { get; }

    protected override float TrainStep()
    {
        var (output, _, _) = _lstm.Forward(_x);
        var last = Ops.Select(output, 1, _length - 1);
        var loss = Ops.MseLoss(_head.Forward(last), _y);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}
