namespace Hindsight.Forecasting;

/// <summary>
/// One series of a <see cref="TimeSeries"/>: its identifier, its values in time order (one per period, no gaps) and,
/// for calendar data, the date (for hours and minutes, the timestamp) of the first value.
/// </summary>
/// <param name="Id">Unique name within the collection (the id column, the wide table's row label, or the value column).</param>
/// <param name="Values">Values at periods 0..n-1; every value finite.</param>
/// <param name="Start">Date of <c>Values[0]</c> (for hours and minutes with its time of day), or null for plain periods.</param>
/// <param name="FirstPeriod">For plain periods, the period number of <c>Values[0]</c> as read (e.g. a year column's 1990); 1 by default.</param>
public sealed record Series(string Id, float[] Values, DateTime? Start, long FirstPeriod = 1)
{
    /// <summary>Number of values.</summary>
    public int Length => Values.Length;
    /// <summary>This series' own spacing when it differs from its collection's (a suite of mixed frequencies), else null.</summary>
    public Frequency? OwnFrequency { get; init; }
    /// <summary>Its covariates, indexed like <see cref="Values"/> (future ones reaching past the end), or null.</summary>
    public Covariates.SeriesCovariates? Covariates { get; init; }
}

/// <summary>
/// A collection of one or many univariate series sharing a frequency (Darts' <c>TimeSeries</c> list, NeuralForecast's
/// long data frame).
/// </summary>
/// <remarks>
/// Layout: <see cref="Items"/> in file order; each <see cref="Series.Values"/> is a float array indexed by period
/// (0 = the series' first observed period), regularly spaced by <see cref="Frequency"/>; series may have different
/// lengths and starts. Guarantees (checked by the constructor): at least one series; ids unique and non-empty; every
/// series has at least one value; every value finite (missing values are either an error or filled by the reader's
/// <see cref="MissingValuePolicy"/> before a <see cref="TimeSeries"/> exists); calendar series have a start date and
/// plain-period series none.
/// </remarks>
public sealed class TimeSeries
{
    /// <summary>Where the data came from (a file path; used in messages).</summary>
    public string Source { get; }
    /// <summary>Spacing of the series (of those without an <see cref="Series.OwnFrequency"/>; see <see cref="FrequencyOf"/>).</summary>
    public Frequency Frequency { get; }
    /// <summary>Whether some series have their own spacing (<see cref="Series.OwnFrequency"/>), e.g. yearly and monthly series in one file.</summary>
    public bool IsMixedFrequency => Items.Any(s => s.OwnFrequency is { } f && f != Frequency);
    /// <summary>The spacing of <paramref name="series"/>: its own, or the collection's.</summary>
    public Frequency FrequencyOf(Series series) => series?.OwnFrequency ?? Frequency;
    /// <summary>The series, in file order.</summary>
    public IReadOnlyList<Series> Items { get; }
    /// <summary>How many missing values the reader filled (0 unless a fill policy was chosen).</summary>
    public int FilledValues { get; }
    /// <summary>What the values are: the value column's name when read from a file (labels chart axes), else "value".</summary>
    public string ValueName { get; init; } = "value";
    /// <summary>Names and kinds of the covariates every series carries (<see cref="Series.Covariates"/>), or null without any.</summary>
    public Covariates.CovariateSchema? Covariates { get; init; }

    /// <summary>Number of series.</summary>
    public int Count => Items.Count;
    /// <summary>Length of the shortest series.</summary>
    public int MinLength => Items.Min(s => s.Length);

    /// <summary>Creates the collection and checks its guarantees.</summary>
    /// <exception cref="ArgumentException">A guarantee is broken (names the series and index).</exception>
    public TimeSeries(string source, Frequency frequency, IReadOnlyList<Series> items, int filledValues = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException($"{source}: no series.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in items)
        {
            if (string.IsNullOrEmpty(s.Id)) throw new ArgumentException($"{source}: a series has an empty id.");
            if (!seen.Add(s.Id)) throw new ArgumentException($"{source}: series id '{s.Id}' appears twice.");
            if (s.Values.Length == 0) throw new ArgumentException($"{source}: series '{s.Id}' has no values.");
            for (int i = 0; i < s.Values.Length; i++)
                if (!float.IsFinite(s.Values[i])) throw new ArgumentException($"{source}: series '{s.Id}' value {i} is {s.Values[i]}; a TimeSeries holds finite values only.");
            if ((frequency.Unit == TimeUnit.Period) != (s.Start is null))
                throw new ArgumentException($"{source}: series '{s.Id}' {(s.Start is null ? "has no start date" : "has a start date")} but the frequency is {frequency.Name}.");
        }
        Source = source; Frequency = frequency; Items = items; FilledValues = filledValues;
    }

    /// <summary>The series named <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such series.</exception>
    public Series this[string id] => Items.FirstOrDefault(s => s.Id == id) ?? throw new KeyNotFoundException($"{Source}: no series '{id}'.");

    /// <summary>
    /// A readable label of period <paramref name="index"/> of <paramref name="series"/>: an ISO date (<c>2024-01-31</c>,
    /// <c>2024-01</c> for months, <c>2024-01-31 13:00:00</c> for hours and minutes), or the period number counted from
    /// <see cref="Series.FirstPeriod"/>.
    /// </summary>
    public string Label(Series series, int index)
    {
        var frequency = FrequencyOf(series);
        return series.Start is { } start
            ? frequency.Format(frequency.Advance(start, index), monthsShort: true)
            : (series.FirstPeriod + (long)index * frequency.Step).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The same collection with every series cut to its first <c>Length - drop</c> values (a holdout split).</summary>
    /// <exception cref="ArgumentException">A series would keep fewer than 1 value.</exception>
    public TimeSeries DropLast(int drop)
    {
        var cut = Items.Select(s =>
        {
            if (s.Length - drop < 1) throw new ArgumentException($"{Source}: series '{s.Id}' has {s.Length} values; cannot hold out {drop}.");
            return s with { Values = s.Values[..^drop] };
        }).ToList();
        return new TimeSeries(Source, Frequency, cut, FilledValues) { Covariates = Covariates };
    }
}
