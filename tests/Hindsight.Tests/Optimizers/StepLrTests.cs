using Hindsight.Optimizers;

namespace Hindsight.Tests.Optimizers;

/// <summary>StepLR's learning rates as PyTorch computes them.</summary>
public class StepLrTests
{
    [Fact]
    public void RatesAreTorchs()
    {
        // torch 1.13: Adam(lr=1e-3), StepLR(step_size=3, gamma=0.1); param_groups[0]['lr'] after each of 10 step() calls.
        double[] torch = [0.001, 0.001, 0.0001, 0.0001, 0.0001, 1e-05, 1e-05, 1e-05, 1.0000000000000002e-06, 1.0000000000000002e-06];
        var p = new Tensor([0f], [1]);
        var adam = new Adam([p], 1e-3f);
        var schedule = new StepLr(adam, 3, 0.1);
        Assert.Equal(3, schedule.StepSize);
        foreach (double rate in torch)
        {
            schedule.Step();
            Assert.Equal((float)rate, adam.LearningRate);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(adam, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(adam, 3, 1.5));
    }

    [Fact]
    public void HalvingsOverTheStepLimitEndAtAnEighth()
    {
        // The forecasters' schedule: 3 halvings over 1000 steps, every 333 steps (NeuralForecast's num_lr_decays = 3).
        var adam = new Adam([new Tensor([0f], [1])], 1e-3f);
        var schedule = new StepLr(adam, 1000 / 3, 0.5);
        for (int i = 0; i < 332; i++) schedule.Step();
        Assert.Equal(1e-3f, adam.LearningRate);
        schedule.Step();
        Assert.Equal(5e-4f, adam.LearningRate);
        for (int i = 333; i < 1000; i++) schedule.Step();
        Assert.Equal(1.25e-4f, adam.LearningRate);
    }
}
