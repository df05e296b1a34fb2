using System.Globalization;

namespace Hindsight.Cli;

/// <summary>
/// Numbers side by side in one table column get the same number of decimals, chosen so that the column's largest
/// magnitude shows <c>significant</c> digits: <c>2.732</c> above <c>1.700</c> (not <c>1.7</c>), <c>411.0</c> above <c>2012.3</c>.
/// </summary>
internal static class TableNumbers
{
    /// <summary>Decimals that give the largest finite magnitude among <paramref name="values"/> <paramref name="significant"/> significant digits (0 to 6).</summary>
    public static int Decimals(IEnumerable<double?> values, int significant)
    {
        double max = 0;
        foreach (var v in values)
            if (v is double d && double.IsFinite(d)) max = Math.Max(max, Math.Abs(d));
        if (max == 0) return Math.Min(6, significant - 1);
        int magnitude = (int)Math.Floor(Math.Log10(max));
        // Rounding can carry into the next power of ten (9.9996 -> 10.000): count it as that power.
        if (Math.Round(max, Math.Clamp(significant - 1 - magnitude, 0, 15)) >= Math.Pow(10, magnitude + 1)) magnitude++;
        return Math.Clamp(significant - 1 - magnitude, 0, 6);
    }

    /// <summary>One column's cells: every value with the column's decimals, "n/a" for a missing one.</summary>
    public static string[] Column(IReadOnlyList<double?> values, int significant)
    {
        int decimals = Decimals(values, significant);
        return values.Select(v => v is double d ? d.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a").ToArray();
    }
}
