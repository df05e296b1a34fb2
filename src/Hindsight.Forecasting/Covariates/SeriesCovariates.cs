namespace Hindsight.Forecasting.Covariates;

/// <summary>
/// The covariates of one series, indexed like its values (index 0 = the series' first value).
/// </summary>
/// <param name="Past">Per past covariate, its values at 0 .. n - 1 (n the series length; later entries, if any, are never read).</param>
/// <param name="Future">Per future covariate, its values at 0 .. n + k - 1: the k known-ahead values after the series' end
/// follow its history (every future column has the same length).</param>
/// <param name="Static">Per static covariate, its value as text (numeric ones parse as numbers).</param>
public sealed record SeriesCovariates(float[][] Past, float[][] Future, string[] Static)
{
    /// <summary>Known-ahead periods available from index 0 (the length of the future columns; unlimited without any).</summary>
    public int FutureLength => Future.Length == 0 ? int.MaxValue : Future[0].Length;
}

/// <summary>
/// Names and kinds of a collection's covariates (<see cref="TimeSeries.Covariates"/>), in column order of
/// <see cref="SeriesCovariates"/>.
/// </summary>
/// <param name="Past">Past covariate names.</param>
/// <param name="Future">Future covariate names (file columns, then calendar and holiday columns).</param>
/// <param name="Static">Static covariate names.</param>
/// <param name="StaticCategorical">Per static covariate, whether it is categorical (some value is not a number).</param>
/// <param name="FutureScaled">Per future covariate, whether models standardise it (file columns; calendar and holiday columns are already in [-1, 1]).</param>
public sealed record CovariateSchema(string[] Past, string[] Future, string[] Static, bool[] StaticCategorical, bool[] FutureScaled)
{
    /// <summary>Whether there is no covariate at all.</summary>
    public bool IsEmpty => Past.Length + Future.Length + Static.Length == 0;

    /// <summary>Every covariate as "kind:name", for messages and --json.</summary>
    public IEnumerable<string> Describe() =>
        Past.Select(p => "past:" + p).Concat(Future.Select(f => "future:" + f)).Concat(Static.Select((s, i) => (StaticCategorical[i] ? "static-categorical:" : "static:") + s));
}
