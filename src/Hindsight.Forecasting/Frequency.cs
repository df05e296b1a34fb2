using System.Globalization;

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
    /// <summary>Hours (timestamps on the hour; UTC, so every day has 24).</summary>
    Hour,
    /// <summary>Minutes (timestamps on the minute, e.g. every 15 minutes; UTC).</summary>
    Minute,
}

/// <summary>
/// The spacing of a series: <see cref="Step"/> units of <see cref="Unit"/> between consecutive values (monthly is
/// (Month, 1), quarterly (Month, 3), yearly (Month, 12), daily (Day, 1), weekly (Day, 7), hourly (Hour, 1), every
/// 15 minutes (Minute, 15)).
/// </summary>
public readonly record struct Frequency(TimeUnit Unit, int Step)
{
    /// <summary>Plain periods 1, 2, 3, ...</summary>
    public static Frequency Periods => new(TimeUnit.Period, 1);

    /// <summary>
    /// A readable name: <c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>quarterly</c>, <c>yearly</c>, <c>hourly</c>,
    /// <c>periods</c>, or <c>every N days</c> (hours, minutes, months, periods).
    /// </summary>
    public string Name => (Unit, Step) switch
    {
        (TimeUnit.Period, 1) => "periods",
        (TimeUnit.Period, _) => $"every {Step} periods",
        (TimeUnit.Day, 1) => "daily",
        (TimeUnit.Day, 7) => "weekly",
        (TimeUnit.Day, _) => $"every {Step} days",
        (TimeUnit.Hour, 1) => "hourly",
        (TimeUnit.Hour, _) => $"every {Step} hours",
        (TimeUnit.Minute, 1) => "every minute",
        (TimeUnit.Minute, _) => $"every {Step} minutes",
        (TimeUnit.Month, 1) => "monthly",
        (TimeUnit.Month, 3) => "quarterly",
        (TimeUnit.Month, 12) => "yearly",
        _ => $"every {Step} months",
    };

    /// <summary>Whether this is daily, weekly, monthly, quarterly, yearly or hourly (a frequency a series of a mixed file may have).</summary>
    public bool IsNamedCalendar => (Unit, Step) is (TimeUnit.Day, 1) or (TimeUnit.Day, 7) or (TimeUnit.Month, 1) or (TimeUnit.Month, 3) or (TimeUnit.Month, 12) or (TimeUnit.Hour, 1);

    /// <summary>Whether the unit is shorter than a day (hours or minutes): timestamps keep their time of day.</summary>
    public bool IsSubDaily => Unit is TimeUnit.Hour or TimeUnit.Minute;

    /// <summary>
    /// The usual seasonal period: 12 for monthly, 4 quarterly, 7 daily, 52 weekly; for hours and minutes one day
    /// (24 hourly, 96 every 15 minutes) when the step divides a day (GluonTS' <c>get_seasonality</c>); 1 otherwise.
    /// </summary>
    public int SeasonalPeriod => (Unit, Step) switch
    {
        (TimeUnit.Month, 1) => 12,
        (TimeUnit.Month, 3) => 4,
        (TimeUnit.Day, 1) => 7,
        (TimeUnit.Day, 7) => 52,
        (TimeUnit.Hour, _) when Step < 24 && 24 % Step == 0 => 24 / Step,
        (TimeUnit.Minute, _) when Step < 1440 && 1440 % Step == 0 => 1440 / Step,
        _ => 1,
    };

    /// <summary>The date <paramref name="steps"/> steps after <paramref name="start"/> (calendar units only).</summary>
    public DateTime Advance(DateTime start, int steps) => Unit switch
    {
        TimeUnit.Day => start.AddDays((long)Step * steps),
        TimeUnit.Month => start.AddMonths(Step * steps),
        TimeUnit.Hour => start.AddHours((long)Step * steps),
        TimeUnit.Minute => start.AddMinutes((long)Step * steps),
        _ => throw new InvalidOperationException($"{Name} has no calendar dates."),
    };

    /// <summary>
    /// The position of <paramref name="date"/> on the unit's integer axis (days since 0001-01-01, months since year 0,
    /// hours or minutes since 0001-01-01 00:00; a finer part of the time is dropped).
    /// </summary>
    public static long Ordinal(DateTime date, TimeUnit unit) => unit switch
    {
        TimeUnit.Day => date.Ticks / TimeSpan.TicksPerDay,
        TimeUnit.Month => date.Year * 12L + date.Month - 1,
        TimeUnit.Hour => date.Ticks / TimeSpan.TicksPerHour,
        TimeUnit.Minute => date.Ticks / TimeSpan.TicksPerMinute,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Periods have no date ordinal."),
    };

    /// <summary>
    /// The text of a date of this frequency: <c>yyyy-MM-dd HH:mm:ss</c> for hours and minutes (as pandas writes a
    /// timestamp), <c>yyyy-MM-dd</c> otherwise, or <c>yyyy-MM</c> with <paramref name="monthsShort"/> for months.
    /// </summary>
    public string Format(DateTime date, bool monthsShort = false) =>
        date.ToString(IsSubDaily ? "yyyy-MM-dd HH:mm:ss" : monthsShort && Unit == TimeUnit.Month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The unit of a file's dates, given per series (each in any order): hours or minutes when two consecutive times of
    /// some series are at most 12 hours apart (hours when every time sits at the same minute and second past the hour,
    /// minutes when at the same second past the minute); otherwise months when every date falls on the same day of the
    /// month, else days, whatever the time of day (daily or monthly data written as local midnight in UTC, 08:00Z in
    /// winter and 07:00Z in summer, stays daily or monthly). Null for sub-daily times that differ within a minute.
    /// </summary>
    public static TimeUnit? UnitOf(IEnumerable<IEnumerable<DateTime>> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var sorted = series.Select(s => s.Order().ToArray()).ToArray();
        var all = sorted.SelectMany(s => s).ToArray();
        if (all.Length == 0) return TimeUnit.Day;
        bool subDaily = sorted.Any(s => s.Zip(s.Skip(1), (a, b) => b - a).Any(d => d > TimeSpan.Zero && d <= TimeSpan.FromHours(12)));
        DateTime first = all[0];
        if (!subDaily) return all.All(d => d.Day == first.Day) ? TimeUnit.Month : TimeUnit.Day;
        static long Within(DateTime d, long unit) => d.Ticks % unit;
        if (all.All(d => Within(d, TimeSpan.TicksPerHour) == Within(first, TimeSpan.TicksPerHour))) return TimeUnit.Hour;
        if (all.All(d => Within(d, TimeSpan.TicksPerMinute) == Within(first, TimeSpan.TicksPerMinute))) return TimeUnit.Minute;
        return null;
    }
}
