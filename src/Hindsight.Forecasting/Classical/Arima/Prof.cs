namespace Hindsight.Forecasting.Classical.Arima;
#pragma warning disable CS1591
public static class Prof
{
    public static long MlCalls, CssCalls, Q0Ticks, FilterTicks, HessTicks, BfgsMlTicks, Fits, MlFits, Refits;
    public static System.Diagnostics.Stopwatch Sw = System.Diagnostics.Stopwatch.StartNew();
    public static string Report() => $"fits {Fits} mlfits {MlFits} refits {Refits} ml {MlCalls} css {CssCalls} q0 {Q0Ticks / 1e7:F2}s filter {FilterTicks / 1e7:F2}s hess {HessTicks / 1e7:F2}s bfgsml {BfgsMlTicks / 1e7:F2}s";
    public static void Reset() { MlCalls = CssCalls = Q0Ticks = FilterTicks = HessTicks = BfgsMlTicks = Fits = MlFits = Refits = 0; }
}
