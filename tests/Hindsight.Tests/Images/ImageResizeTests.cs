using Hindsight.Images;

namespace Hindsight.Tests.Images;

/// <summary>Area averaging: each output pixel is the mean of the input area it covers.</summary>
public class ImageResizeTests
{
    [Fact]
    public void HalvingAveragesEachTwoByTwoBlockPerChannel()
    {
        // 4x4 with 2 channels: channel 0 = x + 4y, channel 1 = 100
        var values = new float[4 * 4 * 2];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++) { values[(y * 4 + x) * 2] = x + 4 * y; values[(y * 4 + x) * 2 + 1] = 100; }
        var half = ImageResize.Area(values, 4, 4, 2, 2, 2);
        Assert.Equal([2.5f, 100, 4.5f, 100, 10.5f, 100, 12.5f, 100], half);
    }

    [Fact]
    public void ANonIntegerRatioWeightsByOverlap()
    {
        // 3 -> 2 across: output 0 covers input 0 and half of 1; output 1 the other half of 1 and input 2
        var row = ImageResize.Area([0f, 3f, 6f], 3, 1, 1, 2, 1);
        Assert.Equal((0 + 0.5f * 3) / 1.5f, row[0], 1e-6f);
        Assert.Equal((0.5f * 3 + 6) / 1.5f, row[1], 1e-6f);
    }

    [Fact]
    public void EnlargingRepeatsPixelsAndAConstantStaysConstant()
    {
        Assert.Equal([1f, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], ImageResize.Area([1f, 2, 3, 4], 2, 2, 1, 4, 4));
        var constant = Enumerable.Repeat(0.25f, 7 * 5 * 3).ToArray();
        Assert.All(ImageResize.Area(constant, 7, 5, 3, 3, 4), v => Assert.Equal(0.25f, v, 1e-6f));
        Assert.All(ImageResize.Area(constant, 7, 5, 3, 11, 13), v => Assert.Equal(0.25f, v, 1e-6f));
    }

    [Fact]
    public void TheSameSizeIsACopyAndAWrongLengthIsNamed()
    {
        float[] values = [1, 2, 3, 4];
        var copy = ImageResize.Area(values, 2, 2, 1, 2, 2);
        Assert.Equal(values, copy);
        Assert.NotSame(values, copy);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => ImageResize.Area(values, 3, 2, 1, 2, 2)).ParamName);
    }
}
