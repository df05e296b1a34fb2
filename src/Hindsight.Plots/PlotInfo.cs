namespace Hindsight.Plots;
/// <summary>Charts for Hindsight results (ScottPlot); kept out of the core library.</summary>
public static class PlotInfo
{ /// <summary>Library name.</summary>
    public const string Name = "Hindsight.Plots";
}
