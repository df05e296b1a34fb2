namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// Regressors for <see cref="ArimaForecaster"/> (R's <c>xreg</c>; known-ahead covariates such as calendar terms or planned
/// prices): one matrix per fitted series, in the order of the series, each with one row per time step counted from the
/// series' first value (row t goes with value t) and one column per regressor. The rows must cover the fitted values and
/// every step forecast after them: a forecast of h steps after a history of L values reads rows L .. L + h - 1.
/// </summary>
/// <param name="Values">Series i's matrix (rows x k, the same k for every series).</param>
/// <param name="Names">Names of the k columns (default R's <c>xreg</c>, or <c>xreg1..k</c>).</param>
public sealed record ArimaRegressors(IReadOnlyList<double[,]> Values, IReadOnlyList<string>? Names = null)
{
    /// <summary>Number of regressor columns.</summary>
    public int Count => Values.Count == 0 ? 0 : Values[0].GetLength(1);

    /// <summary>Rows <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of series <paramref name="series"/>'s matrix.</summary>
    /// <exception cref="ArgumentException">(parameter <c>regressors</c>) Fewer rows than needed.</exception>
    internal double[,] Rows(int series, int from, int count)
    {
        var m = Values[series];
        int k = m.GetLength(1);
        if (m.GetLength(0) < from + count)
            throw new ArgumentException($"regressors: series {series} has regressor values for {m.GetLength(0)} time steps; {from + count} are needed ({from} of history and {count} ahead).", "regressors");
        var r = new double[count, k];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < k; j++) r[i, j] = m[from + i, j];
        return r;
    }

    /// <summary>Checks the matrices against the fitted series: one per series, the same column count.</summary>
    /// <exception cref="ArgumentException">(parameter <c>regressors</c>) A count that does not match.</exception>
    internal void Check(int seriesCount)
    {
        if (Values.Count != seriesCount)
            throw new ArgumentException($"regressors: {Values.Count} matrices for {seriesCount} series (one per series).", "regressors");
        for (int i = 0; i < Values.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(Values[i], "regressors");
            if (Values[i].GetLength(1) != Count)
                throw new ArgumentException($"regressors: series {i} has {Values[i].GetLength(1)} columns, series 0 has {Count}.", "regressors");
        }
        if (Count == 0) throw new ArgumentException("regressors: no columns.", "regressors");
        if (Names is not null && Names.Count != Count)
            throw new ArgumentException($"regressors: {Names.Count} names for {Count} columns.", "regressors");
    }
}
