using System.Globalization;

namespace Hindsight.Forecasting.Covariates;

/// <summary>A calendar encoder: one part of the date (its cycle length) and how it is encoded.</summary>
/// <param name="Part">hour, dow, dom, month or week.</param>
/// <param name="Encoding">Cyclic or one-hot.</param>
public readonly record struct CalendarPart(string Part, CalendarEncoding Encoding);

/// <summary>
/// Calendar covariates from dates (Darts' datetime attribute encoders): hour of the day (0..23, cycle 24; hourly and finer
/// data only), day of week (0 = Monday, cycle 7), day of month (1..31, cycle 31), month (1..12, cycle 12), ISO week of the
/// year (1..53, cycle 53); cyclic as sin and cos of 2 pi x value / cycle, or one-hot with one column per value.
/// </summary>
public static class CalendarFeatures
{
    private static readonly string[] Parts = ["hour", "dow", "dom", "month", "week"];

    /// <summary>The encoders of a comma-separated list (<c>dow,month</c>; also <c>hourofday</c>, <c>dayofweek</c>, <c>day</c>, <c>weekofyear</c>).</summary>
    /// <exception cref="ArgumentException">(parameter <c>calendar</c>) An unknown part.</exception>
    public static IReadOnlyList<CalendarPart> Parse(string? list, CalendarEncoding encoding) =>
        CovariateOptions.Columns(list).Select(p => p.ToLowerInvariant() switch
        {
            "hour" or "hourofday" => new CalendarPart("hour", encoding),
            "dow" or "dayofweek" or "weekday" => new CalendarPart("dow", encoding),
            "dom" or "day" or "dayofmonth" => new CalendarPart("dom", encoding),
            "month" => new CalendarPart("month", encoding),
            "week" or "weekofyear" => new CalendarPart("week", encoding),
            _ => throw new ArgumentException($"calendar: unknown part '{p}'; expected some of {string.Join(", ", Parts)}.", "calendar"),
        }).Distinct().ToList();

    /// <summary>Cycle length of a part.</summary>
    public static int Cycle(string part) => part switch { "hour" => 24, "dow" => 7, "dom" => 31, "month" => 12, _ => 53 };

    /// <summary>The column names of an encoder: <c>month_sin, month_cos</c>, or <c>month_1 .. month_12</c> (<c>hour_0 .. hour_23</c>).</summary>
    public static IEnumerable<string> Names(CalendarPart p) => p.Encoding == CalendarEncoding.Cyclic
        ? [p.Part + "_sin", p.Part + "_cos"]
        : Enumerable.Range(First(p.Part), Cycle(p.Part)).Select(v => p.Part + "_" + v.ToString(CultureInfo.InvariantCulture));

    /// <summary>The value of the part for <paramref name="date"/> (hour 0..23, dow 0..6 from Monday, dom 1..31, month 1..12, week 1..53).</summary>
    public static int Value(string part, DateTime date) => part switch
    {
        "hour" => date.Hour,
        "dow" => ((int)date.DayOfWeek + 6) % 7,
        "dom" => date.Day,
        "month" => date.Month,
        _ => ISOWeek.GetWeekOfYear(date),
    };

    /// <summary>The encoder's columns for <paramref name="dates"/> (one entry per date).</summary>
    public static IEnumerable<float[]> Columns(CalendarPart p, ReadOnlySpan<DateTime> dates)
    {
        int cycle = Cycle(p.Part), first = First(p.Part);
        var values = new int[dates.Length];
        for (int i = 0; i < dates.Length; i++) values[i] = Value(p.Part, dates[i]) - first;
        if (p.Encoding == CalendarEncoding.Cyclic)
        {
            var sin = new float[values.Length];
            var cos = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double angle = 2 * Math.PI * values[i] / cycle;
                sin[i] = (float)Math.Sin(angle);
                cos[i] = (float)Math.Cos(angle);
            }
            return [sin, cos];
        }
        var columns = Enumerable.Range(0, cycle).Select(_ => new float[values.Length]).ToArray();
        for (int i = 0; i < values.Length; i++) columns[values[i]][i] = 1;
        return columns;
    }

    private static int First(string part) => part is "dow" or "hour" ? 0 : 1;

    /// <summary>
    /// Checks that <paramref name="parts"/> suit data of <paramref name="frequency"/>: <c>hour</c> needs hourly or finer
    /// data (on daily and coarser data every period would have the same hour).
    /// </summary>
    /// <exception cref="ArgumentException">(parameter <c>calendar</c>) <c>hour</c> on daily or coarser data.</exception>
    public static void CheckFrequency(IReadOnlyList<CalendarPart> parts, Frequency frequency)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (!frequency.IsSubDaily && parts.Any(p => p.Part == "hour"))
            throw new ArgumentException($"calendar: 'hour' needs hourly or finer data; the data are {frequency.Name}.", "calendar");
    }
}
