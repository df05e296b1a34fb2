using System.Globalization;

namespace Hindsight.Data;

/// <summary>
/// Detects a training run that diverged, by the size of its epoch losses as well as by non-finite values: an epoch's mean
/// loss that is NaN or infinite, above <see cref="MaxLoss"/>, or more than <see cref="GrowthFactor"/> times the first
/// epoch's (the first taken as at least <see cref="GrowthFloor"/>, so a near-zero first loss does not make noise look
/// like growth) throws <see cref="TrainingDivergedException"/> naming the run and the epoch. Every Hindsight trainer
/// (forecasting, language ID, text generation, the lesson, digits) checks each epoch with one, so a diverged model is
/// never returned (and never saved).
/// </summary>
/// <param name="what">Names the run in the message, e.g. <c>"text generation"</c>.</param>
/// <param name="advice">What to try, appended to the message, e.g. <c>"try a smaller learningRate."</c>.</param>
public sealed class DivergenceGuard(string what, string advice = "try a smaller learningRate.")
{
    /// <summary>Largest growth of an epoch's mean loss over the first epoch's: 10^6.</summary>
    public const double GrowthFactor = 1e6;
    /// <summary>Smallest first-epoch loss growth is measured from: 10^-3 (so growth alone fails a run only above 1000).</summary>
    public const double GrowthFloor = 1e-3;
    /// <summary>Largest mean loss of any epoch: 10^10 (far above any loss of a working run in Hindsight's units).</summary>
    public const double MaxLoss = 1e10;

    private double _first = double.NaN;

    /// <summary>The first epoch's mean loss, or NaN before the first <see cref="Check"/>.</summary>
    public double FirstLoss => _first;

    /// <summary>Checks the mean loss of 1-based <paramref name="epoch"/>.</summary>
    /// <exception cref="TrainingDivergedException">The loss is not finite, above <see cref="MaxLoss"/>, or grew more than <see cref="GrowthFactor"/>-fold.</exception>
    public void Check(int epoch, double loss)
    {
        string Text(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException($"{what} diverged: the mean loss is {Text(loss)} at epoch {epoch}; {advice}");
        if (loss > MaxLoss)
            throw new TrainingDivergedException($"{what} diverged: the mean loss is {Text(loss)} at epoch {epoch}, above the bound {Text(MaxLoss)}; {advice}");
        if (double.IsNaN(_first)) { _first = loss; return; }
        double from = Math.Max(_first, GrowthFloor);
        if (loss > GrowthFactor * from)
            throw new TrainingDivergedException(
                $"{what} diverged: the mean loss grew from {Text(_first)} (epoch 1) to {Text(loss)} at epoch {epoch}, more than {Text(GrowthFactor)} times; {advice}");
    }
}
