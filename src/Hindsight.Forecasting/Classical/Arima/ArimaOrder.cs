namespace Hindsight.Forecasting.Classical.Arima;

/// <summary>The orders of a seasonal ARIMA (p,d,q)(P,D,Q)[m] (R's <c>arma</c> vector is <c>c(p, q, P, Q, m, d, D)</c>).</summary>
/// <param name="P">Non-seasonal AR order p.</param>
/// <param name="D">Non-seasonal differences d.</param>
/// <param name="Q">Non-seasonal MA order q.</param>
/// <param name="SeasonalP">Seasonal AR order P.</param>
/// <param name="SeasonalD">Seasonal differences D.</param>
/// <param name="SeasonalQ">Seasonal MA order Q.</param>
/// <param name="Period">Seasonal period m (1: no season; the seasonal orders are then 0).</param>
public readonly record struct ArimaOrder(int P, int D, int Q, int SeasonalP = 0, int SeasonalD = 0, int SeasonalQ = 0, int Period = 1)
{
    /// <summary>Number of ARMA coefficients p + q + P + Q.</summary>
    public int ArmaCount => P + Q + SeasonalP + SeasonalQ;
    /// <summary>Length of the expanded AR polynomial p + mP.</summary>
    public int ExpandedP => P + Period * SeasonalP;
    /// <summary>Length of the expanded MA polynomial q + mQ.</summary>
    public int ExpandedQ => Q + Period * SeasonalQ;
    /// <summary>Total differencing d + D.</summary>
    public int Differences => D + SeasonalD;
    /// <summary>Values lost to differencing, d + mD.</summary>
    public int DifferencedLength => D + Period * SeasonalD;

    /// <summary>R's notation, e.g. <c>ARIMA(0,1,1)(0,1,1)[12]</c>.</summary>
    public override string ToString() =>
        SeasonalP + SeasonalD + SeasonalQ > 0 && Period > 1
            ? $"ARIMA({P},{D},{Q})({SeasonalP},{SeasonalD},{SeasonalQ})[{Period}]"
            : $"ARIMA({P},{D},{Q})";

    /// <summary>
    /// The differencing polynomial's coefficients as R's <c>Delta</c>: <c>(1 - B)^d (1 - B^m)^D = 1 - sum Delta_i B^i</c>.
    /// </summary>
    public double[] Delta()
    {
        double[] poly = [1.0];
        for (int i = 0; i < D; i++) poly = Convolve(poly, [1.0, -1.0]);
        if (SeasonalD > 0)
        {
            var s = new double[Period + 1];
            s[0] = 1; s[Period] = -1;
            for (int i = 0; i < SeasonalD; i++) poly = Convolve(poly, s);
        }
        var delta = new double[poly.Length - 1];
        for (int i = 0; i < delta.Length; i++) delta[i] = -poly[i + 1];
        return delta;
    }

    // R: TSconv
    private static double[] Convolve(double[] a, double[] b)
    {
        var ab = new double[a.Length + b.Length - 1];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++)
                ab[i + j] += a[i] * b[j];
        return ab;
    }
}
