namespace Hindsight.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.lr_scheduler.StepLR</c>: the learning rate is multiplied by <see cref="Gamma"/> every
/// <see cref="StepSize"/> calls of <see cref="Step"/> (so it is the initial one times gamma<sup>floor(steps / step size)</sup>).
/// Call <see cref="Step"/> after each optimizer step (NeuralForecast steps it every training step).
/// </summary>
public sealed class StepLr
{
    private readonly Optimizer _optimizer;
    private double _rate;
    private int _steps;

    /// <summary>Scheduler of <paramref name="optimizer"/>, starting from its current learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> below 1, or <paramref name="gamma"/> not in (0, 1].</exception>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), $"gamma must be in (0, 1], got {gamma}.");
        _optimizer = optimizer;
        // The rate as the decimal it was written as (1e-3f is "0.001"), so the chain of products is PyTorch's in double.
        _rate = double.Parse(optimizer.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }
    /// <summary>Factor of each decay.</summary>
    public double Gamma { get; }

    /// <summary>Counts a step and sets the optimizer's learning rate for the next one.</summary>
    public void Step()
    {
        _steps++;
        // As PyTorch's chainable form: the rate (a Python float, so double) times gamma at every multiple of the step size.
        if (_steps % StepSize == 0) _rate *= Gamma;
        _optimizer.LearningRate = (float)_rate;
    }
}
