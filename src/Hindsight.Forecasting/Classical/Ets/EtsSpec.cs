namespace Hindsight.Forecasting.Classical.Ets;

/// <summary>A component's form in the ETS taxonomy (R's codes: N = 0, A = 1, M = 2).</summary>
public enum EtsForm
{
    /// <summary>N: absent.</summary>
    None = 0,
    /// <summary>A: additive.</summary>
    Additive = 1,
    /// <summary>M: multiplicative.</summary>
    Multiplicative = 2,
}

/// <summary>One ETS model: error (A/M), trend (N/A/M, optionally damped) and season (N/A/M), e.g. ETS(M,Ad,M).</summary>
/// <param name="Error">Additive or multiplicative errors.</param>
/// <param name="Trend">Trend form.</param>
/// <param name="Season">Season form.</param>
/// <param name="Damped">Whether the trend is damped by phi.</param>
public readonly record struct EtsSpec(EtsForm Error, EtsForm Trend, EtsForm Season, bool Damped)
{
    /// <summary>The letter of a form: N, A or M.</summary>
    public static char Letter(EtsForm form) => form switch { EtsForm.Additive => 'A', EtsForm.Multiplicative => 'M', _ => 'N' };

    /// <summary>Short code as R's <c>ets(model=, damped=)</c> would name it: <c>ANN</c>, <c>AAdN</c>, <c>MAM</c>.</summary>
    public string Code => $"{Letter(Error)}{Letter(Trend)}{(Damped ? "d" : "")}{Letter(Season)}";

    /// <summary>R's method label, e.g. <c>ETS(A,Ad,N)</c>.</summary>
    public override string ToString() => $"ETS({Letter(Error)},{Letter(Trend)}{(Damped ? "d" : "")},{Letter(Season)})";
}

/// <summary>What the parameters are chosen to minimise (R's <c>opt.crit</c>).</summary>
public enum EtsCriterion
{
    /// <summary>"lik": minus twice the log-likelihood (up to a constant).</summary>
    Likelihood,
    /// <summary>"mse": mean squared one-step error.</summary>
    Mse,
    /// <summary>"amse": mean of the 1..nmse-step mean squared errors.</summary>
    Amse,
    /// <summary>"sigma": mean squared residual.</summary>
    Sigma,
    /// <summary>"mae": mean absolute residual.</summary>
    Mae,
}

/// <summary>Which parameter region is searched (R's <c>bounds</c>).</summary>
public enum EtsBounds
{
    /// <summary>"both": inside the usual box and admissible.</summary>
    Both,
    /// <summary>"usual": inside the box of <see cref="EtsOptions.Lower"/>/<see cref="EtsOptions.Upper"/>.</summary>
    Usual,
    /// <summary>"admissible": the forecastability region only.</summary>
    Admissible,
}

/// <summary>Information criterion of the automatic choice (R's <c>ic</c>).</summary>
public enum EtsInformationCriterion
{
    /// <summary>Corrected AIC (R's default).</summary>
    Aicc,
    /// <summary>AIC.</summary>
    Aic,
    /// <summary>BIC.</summary>
    Bic,
}

/// <summary>
/// Options of <see cref="Ets.Fit"/>, named and defaulted as R's <c>forecast::ets()</c> arguments.
/// </summary>
public sealed record EtsOptions
{
    /// <summary>Three letters error/trend/season, each N/A/M or Z (automatic), e.g. <c>ZZZ</c>, <c>ANN</c>, <c>MAM</c>;
    /// null is R's missing model (<c>ZZZ</c>, and a constant series gets R's simple exponential smoothing with alpha 0.99999).</summary>
    public string? Model { get; init; }
    /// <summary>Damped trend: true, false, or null to try both (R's <c>damped = NULL</c>).</summary>
    public bool? Damped { get; init; }
    /// <summary>Fixed alpha, or null to estimate.</summary>
    public double? Alpha { get; init; }
    /// <summary>Fixed beta, or null to estimate.</summary>
    public double? Beta { get; init; }
    /// <summary>Fixed gamma, or null to estimate.</summary>
    public double? Gamma { get; init; }
    /// <summary>Fixed phi, or null to estimate.</summary>
    public double? Phi { get; init; }
    /// <summary>Only additive models (R's <c>additive.only</c>).</summary>
    public bool AdditiveOnly { get; init; }
    /// <summary>Lower bounds of alpha, beta, gamma, phi (R: 1e-4, 1e-4, 1e-4, 0.8).</summary>
    public IReadOnlyList<double> Lower { get; init; } = [1e-4, 1e-4, 1e-4, 0.8];
    /// <summary>Upper bounds of alpha, beta, gamma, phi (R: 0.9999, 0.9999, 0.9999, 0.98).</summary>
    public IReadOnlyList<double> Upper { get; init; } = [0.9999, 0.9999, 0.9999, 0.98];
    /// <summary>Optimisation criterion (R: "lik").</summary>
    public EtsCriterion Criterion { get; init; } = EtsCriterion.Likelihood;
    /// <summary>Horizons of the "amse" criterion (R: 3, at most 30).</summary>
    public int Nmse { get; init; } = 3;
    /// <summary>Parameter region (R: "both").</summary>
    public EtsBounds Bounds { get; init; } = EtsBounds.Both;
    /// <summary>Criterion of the automatic choice (R: "aicc").</summary>
    public EtsInformationCriterion InformationCriterion { get; init; } = EtsInformationCriterion.Aicc;
    /// <summary>Skip models with infinite variance (R's <c>restrict = TRUE</c>).</summary>
    public bool Restrict { get; init; } = true;
    /// <summary>Also try multiplicative trends (R's <c>allow.multiplicative.trend</c>, default false).</summary>
    public bool AllowMultiplicativeTrend { get; init; }
    /// <summary>Most Nelder-Mead evaluations per model (R's etsmodel: 2000).</summary>
    public int MaxIterations { get; init; } = 2000;
}
