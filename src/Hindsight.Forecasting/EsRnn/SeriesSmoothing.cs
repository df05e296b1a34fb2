using Hindsight.Layers;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// The per-series exponential smoothing of an ES-RNN (Smyl 2020): for each series s a level smoothing coefficient
/// alpha_s = sigmoid(<c>es.level_logit</c>[s]) and, for a seasonal period m &gt; 1, a seasonal coefficient
/// gamma_s = sigmoid(<c>es.season_logit</c>[s]) and m initial seasonal indices exp(<c>es.initial_season</c>[s, j]),
/// all learned by backpropagation together with the network.
/// </summary>
/// <remarks>
/// The recursion on positive values y (Holt-Winters level and multiplicative season, no trend):
/// <c>S[j] = exp(c_j)</c> for j &lt; m; <c>l[0] = y[0] / S[0]</c>; <c>l[t] = alpha y[t] / S[t] + (1 - alpha) l[t-1]</c> (t &gt;= 1);
/// <c>S[t+m] = gamma y[t] / l[t] + (1 - gamma) S[t]</c>. With m = 1 there is no season (S = 1): level only.
/// Everything at time t depends on y up to t only, so the seasonal indices of the next m periods after an origin are known.
/// </remarks>
public sealed class SeriesSmoothing : Module
{
    /// <summary>Per-series level smoothing logits (S); alpha = sigmoid.</summary>
    public Tensor LevelLogit { get; }
    /// <summary>Per-series seasonal smoothing logits (S), or null without season; gamma = sigmoid.</summary>
    public Tensor? SeasonLogit { get; }
    /// <summary>Per-series logs of the m initial seasonal indices (S, m), or null without season.</summary>
    public Tensor? InitialSeason { get; }
    /// <summary>Seasonal period m (1: level only).</summary>
    public int Season { get; }
    /// <summary>Number of series.</summary>
    public int SeriesCount { get; }

    /// <summary>
    /// Smoothing for <paramref name="seriesCount"/> series of period <paramref name="season"/>: logits 0.5 (alpha = gamma = 0.62,
    /// Smyl's start) and initial seasonal indices 1 (call <see cref="InitialiseSeason"/> to start from the data).
    /// </summary>
    public SeriesSmoothing(int seriesCount, int season)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seriesCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(season, 1);
        SeriesCount = seriesCount; Season = season;
        LevelLogit = RegisterParameter("level_logit", Filled(0.5f, seriesCount));
        if (season > 1)
        {
            SeasonLogit = RegisterParameter("season_logit", Filled(0.5f, seriesCount));
            InitialSeason = RegisterParameter("initial_season", new Tensor(seriesCount, season));
        }
    }

    private static Tensor Filled(float value, int n)
    {
        var t = new Tensor(n);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>
    /// Starts series <paramref name="series"/>'s initial seasonal indices from positive values <paramref name="y"/>: the
    /// mean over its first (up to four) full seasons of each value over its season's mean (1 where fewer than m values).
    /// </summary>
    public void InitialiseSeason(int series, ReadOnlySpan<float> y)
    {
        if (InitialSeason is null) return;
        int m = Season, cycles = Math.Min(4, y.Length / m);
        var row = InitialSeason.Data.AsSpan(series * m, m);
        row.Clear();
        if (cycles == 0) return;
        for (int k = 0; k < cycles; k++)
        {
            double mean = 0;
            for (int j = 0; j < m; j++) mean += y[k * m + j];
            mean /= m;
            for (int j = 0; j < m; j++) row[j] += (float)(Math.Log(y[k * m + j] / mean) / cycles);
        }
    }

    /// <summary>Level smoothing coefficient of series <paramref name="s"/>.</summary>
    public float Alpha(int s) => Sigmoid(LevelLogit.Data[s]);
    /// <summary>Seasonal smoothing coefficient of series <paramref name="s"/> (0 without season).</summary>
    public float Gamma(int s) => SeasonLogit is null ? 0f : Sigmoid(SeasonLogit.Data[s]);

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// Runs series <paramref name="s"/>'s recursion over positive values <paramref name="y"/> (n of them): fills
    /// <paramref name="level"/> (n) and <paramref name="season"/> (n + m; all ones without season).
    /// </summary>
    public void Run(int s, ReadOnlySpan<float> y, Span<double> level, Span<double> season)
    {
        int n = y.Length, m = Season;
        double alpha = Alpha(s), gamma = Gamma(s);
        if (InitialSeason is null) season[..(n + m)].Fill(1.0);
        else for (int j = 0; j < m; j++) season[j] = Math.Exp(InitialSeason.Data[s * m + j]);
        for (int t = 0; t < n; t++)
        {
            level[t] = t == 0 ? y[0] / season[0] : alpha * y[t] / season[t] + (1 - alpha) * level[t - 1];
            if (InitialSeason is not null) season[t + m] = gamma * y[t] / level[t] + (1 - gamma) * season[t];
        }
    }

    /// <summary>
    /// Back-propagates through series <paramref name="s"/>'s recursion (the same arguments as <see cref="Run"/>):
    /// <paramref name="dLevel"/> (n) and <paramref name="dSeason"/> (n + m) hold the gradients of the loss with respect to
    /// each level and seasonal index (both are overwritten); the gradients of the series' logits and initial seasonal logs
    /// are added into the parameters' gradients.
    /// </summary>
    public void Backward(int s, ReadOnlySpan<float> y, ReadOnlySpan<double> level, ReadOnlySpan<double> season, Span<double> dLevel, Span<double> dSeason)
    {
        int n = y.Length, m = Season;
        double alpha = Alpha(s), gamma = Gamma(s), dAlpha = 0, dGamma = 0;
        bool seasonal = InitialSeason is not null;
        for (int t = n - 1; t >= 0; t--)
        {
            if (seasonal)
            {
                // S[t+m] = gamma y/l + (1 - gamma) S[t]
                double g = dSeason[t + m];
                dGamma += g * (y[t] / level[t] - season[t]);
                dLevel[t] -= g * gamma * y[t] / (level[t] * level[t]);
                dSeason[t] += g * (1 - gamma);
            }
            double dl = dLevel[t];
            if (t == 0) dSeason[0] -= dl * y[0] / (season[0] * season[0]);
            else
            {
                // l[t] = alpha y/S[t] + (1 - alpha) l[t-1]
                dAlpha += dl * (y[t] / season[t] - level[t - 1]);
                dSeason[t] -= dl * alpha * y[t] / (season[t] * season[t]);
                dLevel[t - 1] += dl * (1 - alpha);
            }
        }
        if (LevelLogit.RequiresGrad) Tape.InputGrad(LevelLogit)[s] += (float)(dAlpha * alpha * (1 - alpha));
        if (!seasonal) return;
        if (SeasonLogit!.RequiresGrad) Tape.InputGrad(SeasonLogit)[s] += (float)(dGamma * gamma * (1 - gamma));
        if (InitialSeason!.RequiresGrad)
        {
            var dc = Tape.InputGrad(InitialSeason);
            for (int j = 0; j < m; j++) dc[s * m + j] += (float)(dSeason[j] * season[j]);
        }
    }
}
