namespace Hindsight.Forecasting.Probabilistic;

/// <summary>How the intervals of a model with quantiles of its own (a head, or R's analytic intervals) are calibrated.</summary>
public enum IntervalCalibration
{
    /// <summary>The model's own quantiles as they are.</summary>
    None,
    /// <summary>
    /// Conformalised quantile regression (Romano et al. 2019; MAPIE's <c>cqr</c>): each central interval widened (or
    /// narrowed) per horizon step by the conformity scores (absolute distances outside it) of a copy's intervals on
    /// calibration horizons (<see cref="QuantileRecalibration"/>).
    /// </summary>
    Cqr,
    /// <summary>
    /// CQR with scores relative to the interval's width (CQR-r, Sesia and Candès 2020): the correction is a multiple of
    /// each interval's own width, so it follows a spread that changes with the series' level.
    /// </summary>
    CqrScaled,
    /// <summary>The model's own quantiles replaced by split conformal intervals around its point forecast (statsforecast's <c>ConformalIntervals</c>).</summary>
    Conformal,
}
