using Hindsight.Layers;
using Hindsight.Optimizers;

namespace Hindsight.Cli.Bench;

/// <summary>W2, the seed's FC network: Linear(10,2) Tanh Linear(2,2) Tanh Linear(2,10); batch 10; MSE; SGD lr 0.01.</summary>
internal sealed class FullyConnectedWorkload : Workload
{
    private readonly Sequential _model;
    private readonly Sgd _optimizer;
    private readonly Tensor _x, _y;

    public FullyConnectedWorkload(ulong seed)
    {
        var rng = new Rng(seed);
        _model = new Sequential(new Linear(10, 2, rng: rng), new Tanh(), new Linear(2, 2, rng: rng), new Tanh(), new Linear(2, 10, rng: rng));
        _optimizer = new Sgd(_model.Parameters(), lr: 0.01f);
        _x = Tensor.Randn(rng, 10, 10);
        _y = Tensor.Randn(rng, 10, 10);
    }

    public override string Name => "W2";
    public override string Description => "FC Linear(10,2) Tanh Linear(2,2) Tanh Linear(2,10), batch 10, MSE, SGD";

    protected override float TrainStep()
    {
        var loss = Ops.MseLoss(_model.Forward(_x), _y);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}

/// <summary>
/// W3, the seed's from-scratch RNN: <c>combined = cat(input, hidden)</c>, <c>hidden = i2h(combined)</c>,
/// <c>output = LogSoftmax(i2o(combined))</c> over the 7 one-hot letters (57) of a word, hidden 128, 18 classes;
/// NLL on the last step; plain SGD lr 0.005.
/// </summary>
internal sealed class RnnCellWorkload : Workload
{
    private const int Letters = 57, Hidden = 128, Classes = 18, WordLength = 7;
    private readonly Linear _i2h, _i2o;
    private readonly Sgd _optimizer;
    private readonly Tensor[] _word;
    private readonly Tensor _hidden0;
    private readonly int[] _target;

    public RnnCellWorkload(ulong seed)
    {
        var rng = new Rng(seed);
        _i2h = new Linear(Letters + Hidden, Hidden, rng: rng);
        _i2o = new Linear(Letters + Hidden, Classes, rng: rng);
        _optimizer = new Sgd([.. _i2h.Parameters(), .. _i2o.Parameters()], lr: 0.005f);
        _word = new Tensor[WordLength];
        for (int t = 0; t < WordLength; t++)
        {
            _word[t] = new Tensor(1, Letters);
            _word[t].Data[rng.NextInt(Letters)] = 1f;
        }
        _hidden0 = new Tensor(1, Hidden);
        _target = [rng.NextInt(Classes)];
    }

    public override string Name => "W3";
    public override string Description => "seed RnnCell (i2h, i2o on cat(input, hidden), LogSoftmax), 57->128->18, 7 letters, NLL, SGD";

    protected override float TrainStep()
    {
        var hidden = _hidden0;
        Tensor output = hidden;
        for (int t = 0; t < WordLength; t++)
        {
            var combined = Ops.Concat(_word[t], hidden, 1);
            hidden = _i2h.Forward(combined);
            output = Ops.LogSoftmax(_i2o.Forward(combined), 1);
        }
        var loss = Ops.NllLoss(output, _target);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}
