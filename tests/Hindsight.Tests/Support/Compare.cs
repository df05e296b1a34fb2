using Xunit.Abstractions;

namespace Hindsight.Tests.Support;

/// <summary>Parity comparison: the largest difference relative to the expected tensor's scale, reported per tensor.</summary>
public static class Compare
{
    /// <summary>
    /// Asserts <c>max|actual - expected| &lt;= tolerance * max|expected|</c>: relative to the tensor's scale (an all-zero
    /// expectation must be matched exactly), and writes the largest difference to the test output.
    /// </summary>
    public static void Close(Tensor expected, ReadOnlySpan<float> actual, string name, ITestOutputHelper? output = null, double tolerance = 1e-5)
    {
        Assert.True(expected.Length == actual.Length, $"{name}: expected {expected.Length} values {expected.ShapeString}, got {actual.Length}");
        double scale = 0, maxDiff = 0;
        foreach (var v in expected.Data) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected.Data[i]);
            if (double.IsNaN(d)) d = double.PositiveInfinity;
            maxDiff = Math.Max(maxDiff, d);
        }
        output?.WriteLine($"{name,-40} {expected.ShapeString,-16} max|diff| = {maxDiff:E2} (scale {scale:G4})");
        Assert.True(maxDiff <= tolerance * scale, $"{name}: max|diff| {maxDiff:E3} exceeds {tolerance:E1} x scale {scale:G4}");
    }

    public static void Close(Tensor expected, Tensor actual, string name, ITestOutputHelper? output = null, double tolerance = 1e-5)
    {
        Assert.True(expected.SameShape(actual), $"{name}: shape {actual.ShapeString}, expected {expected.ShapeString}");
        Close(expected, actual.Data, name, output, tolerance);
    }
}
