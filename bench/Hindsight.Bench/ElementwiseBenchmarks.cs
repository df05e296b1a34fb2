using BenchmarkDotNet.Attributes;

namespace Hindsight.Bench;

/// <summary>Elementwise ops with their backward, at the sizes of the LSTM gates of W4 (64x256) and W5 (128x1024).</summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    [Params(64 * 256, 128 * 1024)]
    public int Length { get; set; }

    private Tensor _x = null!, _y = null!;
    private readonly TensorArena _arena = new();

    [GlobalSetup]
    public void Setup()
    {
        _x = Tensor.Randn(new Rng(2), Length);
        _x.RequiresGrad = true;
        _y = Tensor.Randn(new Rng(3), Length);
    }

    [Benchmark]
    public float TanhForward()
    {
        using var _ = _arena.Step();
        using var __ = Tape.NoGrad();
        return Ops.Tanh(_y).Data[0];
    }

    [Benchmark]
    public float SigmoidForwardBackward()
    {
        using var _ = _arena.Step();
        var loss = Ops.Sum(Ops.Sigmoid(_x));
        loss.Backward();
        return loss.Item();
    }

    [Benchmark]
    public float MulAddForwardBackward()
    {
        using var _ = _arena.Step();
        var loss = Ops.Sum(Ops.Add(Ops.Mul(_x, _y), _x));
        loss.Backward();
        return loss.Item();
    }
}
