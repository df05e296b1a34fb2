using Hindsight.Forecasting;
using Hindsight.Forecasting.Data;
using Hindsight.Plots;
using ScottPlot;
using ScottPlot.Plottables;

namespace Hindsight.Tests.Docs;

/// <summary>The charts docs/forecasting.md shows draw a model in its one colour (<see cref="ForecastCharts.ModelColor"/>) in every chart.</summary>
public class ForecastChartColourTests
{
    [Theory]
    [InlineData("gru")]
    [InlineData("jordan")]
    public void TrainingChartDrawsBothLossesInTheModelsColour(string model)
    {
        var summary = new TrainingSummary(100, 10, 4, 2, 0.5, [1.0, 0.8, 0.7, 0.6], [0.9, 0.5, 0.55, 0.6]);
        var lines = ForecastCharts.Training(model, summary).GetPlottables<Scatter>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(ForecastCharts.ModelColor(model), l.Color));
        Assert.NotEqual(lines[0].LinePattern, lines[1].LinePattern); // training solid, validation dashed
    }

    [Theory]
    [InlineData("mlp", "mlp")]
    [InlineData("auto (ar)", "auto")]
    public void FutureChartDrawsTheForecastAndItsIntervalInTheModelsColour(string model, string colourOf)
    {
        var data = SeriesCsv.Load(Support.Repo.Path("data/co2-concentration.csv"), new SeriesCsvOptions { ValueColumn = "CO2", Fill = MissingValuePolicy.Linear });
        float[] forecast = [410, 411, 412];
        var plot = ForecastCharts.Future(data, 0, forecast, model, ([409, 410, 411], [411, 412, 413]), 0.9);
        var color = ForecastCharts.ModelColor(colourOf);
        var line = plot.GetPlottables<Scatter>().Single(s => s.LegendText == $"{model} forecast");
        Assert.Equal(color, line.Color);
        Assert.Equal(color.WithAlpha(0.15), plot.GetPlottables<FillY>().Single().FillColor);
        Assert.NotEqual(Colors.Red, color);
    }
}
