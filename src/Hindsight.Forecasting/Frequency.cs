namespace Hindsight.Forecasting;

/// <summary>The unit a series' time index counts in.</summary>
public enum TimeUnit
{
    /// <summary>Plain integer periods (no calendar).</summary>
    Period,
    /// <summary>Calendar days.</summary>
    Day,
    /// <summary>Calendar months (the day of the month is ignored).</summary>
    Month,
}

/// <summary>
/// The spacing of a series: <see cref="Step"/> units of <see cref="Unit"/> between consecutive values (monthly is
/// (Month, 1), quarterly (Month, 3), yearly (Month, 12), daily (Day, 1), weekly (Day, 7)).
/// </summary>
public readonly record struct Frequency(TimeUnit Unit, int Step)
{
    /// <summary>Plain periods 1, 2, 3, ...</summary>
    public static Frequency Periods => new(TimeUnit.Period, 1);

    /// <summary>A readable name: <c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>quarterly</c>, <c>yearly</c>, <c>periods</c> or <c>every N days</c>.</summary>
    public string Name => (Unit, Step) switch
    {
        (TimeUnit.Period, 1) => "periods",
        (TimeUnit.Period, _) => $"every {Step} periods",
        (TimeUnit.Day, 1) => "daily",
        (TimeUnit.Day, 7) => "weekly",
        (TimeUnit.Day, _) => $"every {Step} days",
        (TimeUnit.Month, 1) => "monthly",
        (TimeUnit.Month, 3) => "quarterly",
        (TimeUnit.Month, 12) => "yearly",
        _ => $"every {Step} months",
    };

    /// <summary>Whether this is daily, weekly, monthly, quarterly or yearly (a frequency a series of a mixed file may have).</summary>
    public bool IsNamedCalendar => (Unit, Step) is (TimeUnit.Day, 1) or (TimeUnit.Day, 7) or (TimeUnit.Month, 1) or (TimeUnit.Month, 3) or (TimeUnit.Month, 12);

    /// <summary>The usual seasonal period: 12 for monthly, 4 quarterly, 7 daily, 52 weekly, 1 otherwise.</summary>
    public int SeasonalPeriod => (Unit, Step) switch
    {
        (TimeUnit.Month, 1) => 12,
        (TimeUnit.Month, 3) => 4,
        (TimeUnit.Day, 1) => 7,
        (TimeUnit.Day, 7) => 52,
        _ => 1,
    };

    /// <summary>The date <paramref name="steps"/> steps after <paramref name="start"/> (calendar units only).</summary>
    public DateTime Advance(DateTime start, int steps) => Unit switch
    {
        TimeUnit.Day => start.AddDays((long)Step * steps),
        TimeUnit.Month => start.AddMonths(Step * steps),
        _ => throw new InvalidOperationException($"{Name} has no calendar dates."),
    };

    /// <summary>The position of <paramref name="date"/> on the unit's integer axis (days since 0001-01-01, or months since year 0).</summary>
    public static long Ordinal(DateTime date, TimeUnit unit) => unit switch
    {
        TimeUnit.Day => date.Ticks / TimeSpan.TicksPerDay,
        TimeUnit.Month => date.Year * 12L + date.Month - 1,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Periods have no date ordinal."),
    };
}
