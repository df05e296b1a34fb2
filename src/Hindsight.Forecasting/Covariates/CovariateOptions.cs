using Hindsight.Settings;

namespace Hindsight.Forecasting.Covariates;

/// <summary>How calendar encoders turn a date part into covariate columns.</summary>
public enum CalendarEncoding
{
    /// <summary>Two columns per part, sin and cos of 2 pi x part / cycle (Darts' cyclic encoder): neighbours stay close.</summary>
    Cyclic,
    /// <summary>One 0/1 column per value of the part (7 for the day of the week, 12 for the month, ...).</summary>
    OneHot,
}

/// <summary>
/// Which columns of a long data file are covariates, and which calendar and holiday covariates to derive from the dates
/// (NeuralForecast's <c>hist_exog_list</c>, <c>futr_exog_list</c>, <c>stat_exog_list</c>; Darts' encoders).
/// </summary>
/// <remarks>
/// Past covariates are known up to the forecast origin only (measured weather); future covariates are known ahead
/// (planned prices, promotions), so a forecast needs their values for every step: rows after the series' last value with
/// an empty value cell. Static covariates have one value per series (numeric, or categorical when some value is not a
/// number). Calendar and holiday columns are future covariates computed from the dates.
/// </remarks>
public sealed record CovariateOptions
{
    /// <summary>Columns of past covariates, comma-separated.</summary>
    [Setting("Past covariate columns of the long data, comma-separated (known up to the forecast origin)", DefaultText = "none")]
    public string? Past { get; init; }
    /// <summary>Columns of future (known-ahead) covariates, comma-separated.</summary>
    [Setting("Future covariate columns, comma-separated (known ahead: the forecast needs rows after the last value with an empty value)", DefaultText = "none")]
    public string? Future { get; init; }
    /// <summary>Columns of static covariates (one value per series), comma-separated.</summary>
    [Setting("Static covariate columns, comma-separated (one value per series; numeric, or categorical)", DefaultText = "none")]
    public string? Static { get; init; }
    /// <summary>Calendar encoders, comma-separated: <c>hour</c> (hourly and finer data), <c>dow</c>, <c>dom</c>, <c>month</c>, <c>week</c> (ISO week of the year).</summary>
    [Setting("Calendar future covariates from the dates, comma-separated: hour (hour of day; hourly data), dow (day of week), dom (day of month), month, week (ISO week of year)", DefaultText = "none")]
    public string? Calendar { get; init; }
    /// <summary>How calendar parts are encoded.</summary>
    [Setting("Encoding of the calendar covariates: cyclic (sin and cos) or onehot")]
    public CalendarEncoding CalendarEncoding { get; init; } = CalendarEncoding.Cyclic;
    /// <summary>CSV of holiday dates (a date column, optionally a name column): a 0/1 future covariate.</summary>
    [Setting("CSV of holiday dates (column date, optional column name): a 0/1 future covariate 'holiday'", DefaultText = "none")]
    public string? Holidays { get; init; }
    /// <summary>Whether each holiday name gets its own 0/1 column (else one column for all).</summary>
    [Setting("One 0/1 covariate per holiday name instead of one for all")]
    public bool HolidaysByName { get; init; }

    /// <summary>Whether any covariate is asked for.</summary>
    public bool Any => Columns(Past).Count + Columns(Future).Count + Columns(Static).Count + Columns(Calendar).Count > 0 || Holidays is not null;

    /// <summary>The names in a comma-separated list (trimmed, empty entries dropped).</summary>
    public static IReadOnlyList<string> Columns(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
