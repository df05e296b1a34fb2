using ScottPlot;

namespace Hindsight.Plots;

/// <summary>Image format of written charts.</summary>
public enum ChartFormat
{
    /// <summary>Portable Network Graphics (the default).</summary>
    Png,
    /// <summary>Scalable Vector Graphics.</summary>
    Svg,
}

/// <summary>Writes a chart to disk atomically (temporary file, then rename): a reader never sees half an image.</summary>
public static class ChartFile
{
    /// <summary>The file extension of <paramref name="format"/>, with its dot.</summary>
    public static string Extension(ChartFormat format) => format == ChartFormat.Svg ? ".svg" : ".png";

    /// <summary>Parses <c>png</c> or <c>svg</c> (case-insensitive).</summary>
    public static ChartFormat Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "png" => ChartFormat.Png,
        "svg" => ChartFormat.Svg,
        _ => throw new ArgumentException($"unknown chart format '{text}'; expected png or svg."),
    };

    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> x <paramref name="height"/> pixels into <paramref name="path"/>.</summary>
    public static void Save(Plot plot, string path, int width, int height, ChartFormat format)
    {
        byte[] bytes = format == ChartFormat.Svg
            ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height))
            : plot.GetImageBytes(width, height, ImageFormat.Png);
        Serialization.AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Renders a grid of plots (<see cref="Multiplot"/>) into <paramref name="path"/>.</summary>
    public static void Save(Multiplot plots, string path, int width, int height, ChartFormat format)
    {
        byte[] bytes;
        if (format == ChartFormat.Svg)
        {
            using var stream = new MemoryStream();
            using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), stream))
                plots.Render(canvas, new PixelRect(0, width, height, 0));
            bytes = stream.ToArray();
        }
        else
        {
            using var image = plots.Render(width, height);
            bytes = image.GetImageBytes(ImageFormat.Png);
        }
        Serialization.AtomicFile.WriteAllBytes(path, bytes);
    }
}
