using System.Runtime.CompilerServices;

namespace Hindsight.Inference;

/// <summary>
/// Keeps one predictor per model between calls, so that a model asked again and again (a forecaster predicting at every
/// backtest origin, a classifier called per word) plans its buffers once instead of on every call. <see cref="Rent"/>
/// hands out the kept predictor after refreshing it from the model's current weights (or makes one), and
/// <see cref="Return"/> keeps it for the next call; a second thread renting while the first holds it gets a predictor of
/// its own, so calls may overlap. A model that is collected takes its predictor with it.
/// </summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <typeparam name="TPredictor">Its predictor type.</typeparam>
/// <param name="create">Makes a predictor for a model, or null when the model has no inference path.</param>
/// <param name="refresh">Re-reads a kept predictor's weights from its model (they may have changed since it was returned).</param>
public sealed class PredictorCache<TModel, TPredictor>(Func<TModel, TPredictor?> create, Action<TPredictor> refresh)
    where TModel : class where TPredictor : class
{
    private readonly ConditionalWeakTable<TModel, StrongBox<TPredictor?>> _kept = new();

    /// <summary>The kept predictor of <paramref name="model"/>, refreshed, or a new one (null: the model has no inference path).</summary>
    public TPredictor? Rent(TModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_kept.TryGetValue(model, out var box) && Interlocked.Exchange(ref box.Value, null) is { } kept)
        {
            refresh(kept);
            return kept;
        }
        return create(model);
    }

    /// <summary>Keeps <paramref name="predictor"/> (null: nothing) for the next <see cref="Rent"/> of <paramref name="model"/>.</summary>
    public void Return(TModel model, TPredictor? predictor)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (predictor is null) return;
        _kept.GetValue(model, static _ => new StrongBox<TPredictor?>()).Value = predictor;
    }
}
