namespace Hindsight.Forecasting;

/// <summary>The training (and validation) loss of a <see cref="NeuralForecaster"/>; each is scale-free across series.</summary>
public enum NeuralLoss
{
    /// <summary>Mean squared error of the scaled values (each series in units of its training standard deviation).</summary>
    Mse,
    /// <summary>Mean absolute error of the scaled values (each series in units of its training standard deviation).</summary>
    Mae,
    /// <summary>sMAPE of the forecast in the data's units, as N-BEATS trains it (<see cref="Operations.Ops.SmapeLoss"/>).</summary>
    Smape,
    /// <summary>MAE divided by each series' in-sample seasonal naive MAE on its training part: the MASE (<see cref="Operations.Ops.MaseLoss"/>).</summary>
    Mase,
}

/// <summary>Parses the <c>loss</c> setting.</summary>
public static class NeuralLosses
{
    /// <summary>
    /// The losses of <paramref name="text"/>: one name (<c>mse</c>, <c>mae</c>, <c>smape</c>, <c>mase</c>) or a comma list, which
    /// ensemble members take in turn.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown or repeated name, or none (parameter <c>loss</c>).</exception>
    public static NeuralLoss[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new ArgumentException("loss: no loss given; expected mse, mae, smape or mase (or a comma list).", "loss");
        var losses = names.Select(n => Enum.TryParse<NeuralLoss>(n, ignoreCase: true, out var l) && !int.TryParse(n, out _)
            ? l : throw new ArgumentException($"loss: unknown loss '{n}'; expected mse, mae, smape or mase (or a comma list).", "loss")).ToArray();
        if (losses.Distinct().Count() != losses.Length) throw new ArgumentException($"loss: '{text}' names a loss twice.", "loss");
        return losses;
    }

    /// <summary>The setting's text for <paramref name="losses"/> (lower case, comma separated).</summary>
    public static string Format(IEnumerable<NeuralLoss> losses) => string.Join(",", losses.Select(l => l.ToString().ToLowerInvariant()));
}
