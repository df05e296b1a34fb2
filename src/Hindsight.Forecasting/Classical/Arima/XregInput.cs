using Hindsight.Forecasting.Classical.Statistics;

namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>
/// Checks of a regressor matrix (R's <c>xreg</c>: one row per time step, one column per regressor) before a fit or a
/// forecast, each failure an <see cref="ArgumentException"/> naming the parameter: rows and columns as expected, finite
/// values, no constant column and no column a combination of the others (with the intercept).
/// </summary>
internal static class XregInput
{
    /// <summary>The columns of <paramref name="xreg"/> (rows x k), checked to have <paramref name="rows"/> rows (when not
    /// negative), <paramref name="columns"/> columns (when not negative) and finite values.</summary>
    public static double[][] Columns(double[,] xreg, int rows, int columns, string parameter)
    {
        ArgumentNullException.ThrowIfNull(xreg, parameter);
        int n = xreg.GetLength(0), k = xreg.GetLength(1);
        if (rows >= 0 && n != rows)
            throw new ArgumentException($"{parameter}: {n} rows, but the series has {rows} values (one row per value).", parameter);
        if (columns >= 0 && k != columns)
            throw new ArgumentException($"{parameter}: {k} columns, but the model was fitted with {columns} regressors.", parameter);
        if (k == 0 && columns < 0) throw new ArgumentException($"{parameter}: no columns.", parameter);
        var result = new double[k][];
        for (int j = 0; j < k; j++)
        {
            var c = new double[n];
            for (int i = 0; i < n; i++)
            {
                double v = xreg[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"{parameter}: row {i}, column {j} is {v}; regressors must be finite.", parameter);
                c[i] = v;
            }
            result[j] = c;
        }
        return result;
    }

    /// <summary>The names of <paramref name="k"/> regressors: <paramref name="names"/>, or R's <c>xreg</c> / <c>xreg1..k</c>.</summary>
    public static string[] Names(int k, IReadOnlyList<string>? names, string parameter)
    {
        if (names is null) return k == 1 ? ["xreg"] : Enumerable.Range(1, k).Select(j => $"xreg{j}").ToArray();
        if (names.Count != k) throw new ArgumentException($"{parameter}: {names.Count} names for {k} regressor columns.", parameter);
        return names.ToArray();
    }

    /// <summary>
    /// Rejects a constant column (R's <c>is.constant</c>) and a column set that with a column of ones is rank deficient by
    /// auto.arima's rule (smallest singular value below machine epsilon of their sum; R: "xreg is rank deficient").
    /// </summary>
    public static void CheckColumns(double[][] columns, string[] names, string parameter)
    {
        for (int j = 0; j < columns.Length; j++)
            if (SeriesChecks.IsConstant(columns[j]))
                throw new ArgumentException($"{parameter}: regressor '{names[j]}' is constant; it duplicates the mean (use includeMean) and R's fits fail with it.", parameter);
        if (columns.Length == 0) return;
        var one = new double[columns[0].Length];
        Array.Fill(one, 1.0);
        var sv = RegressionAlgebra.Svd([one, .. columns]).Singular;
        if (sv[^1] / sv.Sum() < 2.220446049250313e-16)
            throw new ArgumentException($"{parameter}: the regressors are collinear (with the intercept): xreg is rank deficient (as R's auto.arima).", parameter);
    }
}
