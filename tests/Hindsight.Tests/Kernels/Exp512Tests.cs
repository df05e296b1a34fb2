using System.Runtime.Intrinsics;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Tests.Kernels;

/// <summary>
/// <see cref="Exp512"/> gives, lane by lane, the bits of the runtime's 256-bit and 128-bit exp (the paths the activations
/// take at the other widths): on the edges (infinities, NaNs, zeros, the overflow and underflow thresholds and their
/// neighbours, arguments whose results are subnormal), on every float bit pattern drawn at random, and on dense random
/// arguments over the finite range of results; edge and ordinary values share vectors, so the edge branch runs beside
/// ordinary lanes.
/// </summary>
public class Exp512Tests
{
    private static IEnumerable<float> Edges()
    {
        float[] fixedValues =
        [
            0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7FC00001),
            BitConverter.Int32BitsToSingle(0x7F800001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFFFFFFF)), float.MaxValue, float.MinValue,
            float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 88.72284f, 88.7228394f, 88.7228241f, 88.72283f, 89f, 87f, -87f, -88f,
            -103.97208f, -103.972084f, -103.97207f, -104f, -87.33655f, -87.3365479f, -100f, -95f, -90f, 0.5f, -0.5f, 20f, -20f,
            BitConverter.Int32BitsToSingle(0x42AE0000), BitConverter.Int32BitsToSingle(0x42AE0001), BitConverter.Int32BitsToSingle(0x42ADFFFF),
            BitConverter.Int32BitsToSingle(unchecked((int)0xC2AE0000)), BitConverter.Int32BitsToSingle(unchecked((int)0xC2AE0001)),
            BitConverter.Int32BitsToSingle(unchecked((int)0xC2ADFFFF)),
        ];
        foreach (var v in fixedValues) yield return v;
        // Every float from 1024 ulp below to 1024 ulp above each threshold (overflow, underflow, the range check, the
        // start of subnormal results near -87.3).
        foreach (float centre in new[] { 88.72284f, -103.97208f, 87f, -87f, -87.33655f, 88f, -100f })
        {
            int bits = BitConverter.SingleToInt32Bits(centre);
            for (int d = -1024; d <= 1024; d++) yield return BitConverter.Int32BitsToSingle(bits + d);
        }
    }

    private static void AssertSameBits(float[] values)
    {
        int n = values.Length / 16 * 16;
        var ours = new float[16];
        var v256 = new float[16];
        var v128 = new float[16];
        for (int i = 0; i < n; i += 16)
        {
            var x = Vector512.Create(values.AsSpan(i, 16));
            Exp512.Of(x).CopyTo(ours);
            Vector256.Exp(x.GetLower()).CopyTo(v256);
            Vector256.Exp(x.GetUpper()).CopyTo(v256, 8);
            for (int q = 0; q < 4; q++) Vector128.Exp(Vector128.Create(values.AsSpan(i + 4 * q, 4))).CopyTo(v128, 4 * q);
            for (int k = 0; k < 16; k++)
            {
                int a = BitConverter.SingleToInt32Bits(ours[k]), b = BitConverter.SingleToInt32Bits(v256[k]), c = BitConverter.SingleToInt32Bits(v128[k]);
                if (a != b || a != c)
                    Assert.Fail($"exp({values[i + k]:R}) (bits 0x{BitConverter.SingleToInt32Bits(values[i + k]):X8}): 512-bit 0x{a:X8}, 256-bit 0x{b:X8}, 128-bit 0x{c:X8}");
            }
        }
    }

    [Fact]
    public void EdgesGiveTheRuntimesBits()
    {
        var edges = Edges().ToList();
        // Each edge once in every lane position: rotate the list so the vectors mix edges and their neighbours.
        var values = new List<float>();
        for (int shift = 0; shift < 16; shift++) values.AddRange(edges.Skip(shift).Concat(edges.Take(shift)));
        while (values.Count % 16 != 0) values.Add(0.25f);
        AssertSameBits([.. values]);
    }

    [Fact]
    public void RandomBitPatternsGiveTheRuntimesBits()
    {
        var rng = new Random(13);
        var values = new float[1 << 22];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next() << 1));
        AssertSameBits(values);
    }

    [Fact]
    public void RandomArgumentsOverTheResultRangeGiveTheRuntimesBits()
    {
        var rng = new Random(2026);
        var values = new float[1 << 22];
        for (int i = 0; i < values.Length; i++)
            values[i] = i % 4 == 0 ? (float)(rng.NextDouble() * 2 - 1) : (float)(rng.NextDouble() * 200 - 108);  // [-1, 1) and [-108, 92)
        AssertSameBits(values);
    }

    [Fact]
    public void TheDispatchingExpIsTheSameFunction()
    {
        var x = Vector512.Create(-120f, -103.97f, -87.5f, -10f, -1f, -1e-3f, 0f, 1e-3f, 0.7f, 1f, 5f, 30f, 88.7f, 88.73f, float.NaN, float.NegativeInfinity);
        Assert.Equal(Exp512.Of(x).AsInt32(), Exp512.Exp(x).AsInt32());
    }
}
